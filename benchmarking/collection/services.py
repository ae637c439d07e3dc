"""Benchmarking rules: what a submission collects, how a figure is checked,
saved and computed, and how a submission moves from draft to approval.

Every page, the file import and the API go through these functions, so the
rules are the same everywhere. Callers run them inside the tenancy context of
the comune they act for (`acting_for`, or the request's), or inside
`cross_tenant(scope="review")` for a coordinator's review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.catalogue.selectors import campaign_elements, campaign_indicators
from benchmarking.collection import notifications
from benchmarking.collection.selectors import period_of, shared_copy, shared_holders, shared_values
from benchmarking.collection.validation import (
    hard_errors,
    part_whole_errors,
    peer_values,
    previous_values,
    value_warnings,
)
from benchmarking.comparisons import services as comparisons
from benchmarking.comparisons.selectors import score_of
from benchmarking.formula import evaluate, ratio_parts
from benchmarking.models import (
    ApprovedResult,
    Campaign,
    DataElement,
    DataValue,
    DataValueChange,
    Indicator,
    IndicatorResult,
    IndicatorVersion,
    SharedValue,
    Submission,
    SubmissionEvent,
    Visibility,
)
from qclub.models import Municipality
from qclub.permissions import Action, can, check
from qclub.tenancy import SCOPE_REVIEW, cross_tenant

State = DataValue.State


Status = Submission.Status


Kind = DataElement.Kind


EDITABLE = frozenset({Status.NOT_STARTED, Status.DRAFT, Status.READY, Status.RETURNED, Status.REOPENED})


REVIEWABLE = frozenset({Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.REOPENED})


class ConcurrentEdit(Exception):
    """Someone else changed these values since the form was loaded."""

    def __init__(self, codes: list[str], names: list[str] | None = None):
        self.codes = codes
        # The message names the data elements (a clerk does not know the codes).
        super().__init__(
            _("Nel frattempo qualcun altro ha modificato: %(names)s. Ricarica la pagina: "
              "i tuoi valori non sono stati salvati.") % {"names": ", ".join(names or codes)}
        )


@dataclass
class Entry:
    """What someone wants a value to be, and the version they saw."""

    state: str
    value: Decimal | None = None
    note: str = ""
    estimated: bool = False
    justification: str = ""
    seen_version: int | None = None  # None: overwrite checks skipped (import of a whole file)

    def differs_from(self, row: DataValue) -> bool:
        return self.figure_differs_from(row) or self.justification != row.justification

    def figure_differs_from(self, row: DataValue) -> bool:
        """What a shared figure holds (the justification is each area's own)."""
        return (
            self.state != row.state
            or self.value != row.value
            or self.note != row.note
            or self.estimated != row.estimated
        )


def is_stale(entry: Entry, row: DataValue) -> bool:
    """The edit-conflict rule of every way in (form, API, file import): a change
    to a value that someone else changed since the version the person saw (the
    form's hidden version, the API's `version`, the template's «versione»
    column). Sending the value unchanged is never a conflict."""
    return entry.seen_version is not None and entry.seen_version != row.version and entry.differs_from(row)


@dataclass
class SaveOutcome:
    changed: list[str] = field(default_factory=list)
    submission: Submission | None = None


def start_submission(campaign: Campaign) -> Submission:
    """The active comune's submission for the campaign, with a row for every
    data element: created by the comune's first write (`save_values`, the file
    import through it, a national load), never by a read. Pages and API read
    a campaign not yet started through `selectors.submission_or_blank`."""
    submission, _created = Submission.objects.get_or_create(campaign=campaign)
    ensure_values(submission)
    return submission


def ensure_values(submission: Submission) -> None:
    elements = campaign_elements(submission.campaign)
    have = set(submission.values.values_list("element_id", flat=True))
    shared = shared_values(submission.campaign, [e for e in elements if e.shared and e.pk not in have])
    missing = [
        DataValue(
            submission=submission, municipality_id=submission.municipality_id, element=element,
            **shared_copy(shared.get(element.pk)),
        )
        for element in elements
        if element.pk not in have
    ]
    if missing:
        DataValue.objects.bulk_create(missing)
        refresh(submission)


class CampaignClosed(ValidationError):
    """The round is closed: nothing of it changes until a coordinator reopens it."""

    def __init__(self, campaign: Campaign):
        super().__init__(
            _("La rilevazione «%(campaign)s» è chiusa: i dati si possono solo consultare. "
              "Solo chi coordina l'area può riaprirla.") % {"campaign": campaign},
            code="campaign_closed",
        )


def check_campaign_accepts_values(campaign: Campaign, *, lock: bool = False) -> None:
    """The one rule of a closed round (`Campaign.accepts_values`), for every way in:
    the entry form and its fragments, the file import, the API, status changes. With
    `lock`, inside a transaction, the campaign is read again and held FOR SHARE until
    the end of it, so a round closing meanwhile waits for the write to finish."""
    if lock:
        if campaign.pk not in Campaign.objects.lock_accepting_values([campaign.pk]):
            campaign.refresh_from_db(fields=["status"])
            raise CampaignClosed(campaign)
    elif not campaign.accepts_values():
        raise CampaignClosed(campaign)
# --- Shared context figures: one value per comune and period -------------------------


def _lock_shared(submission: Submission, rows: list[DataValue]) -> dict[int, SharedValue]:
    """The shared rows of these figures, locked (created from the submission's
    copy the first time one is written)."""
    found = {
        v.element_id: v
        for v in SharedValue.objects.select_for_update().filter(
            element_id__in=[row.element_id for row in rows], **period_of(submission.campaign)
        )
    }
    for row in rows:
        if row.element_id not in found:
            found[row.element_id], _created = SharedValue.objects.get_or_create(
                element_id=row.element_id, **period_of(submission.campaign),
                defaults={"state": row.state, "value": row.value, "note": row.note,
                          "estimated": row.estimated, "version": row.version},
            )
    return found


def shared_locked(copy: DataValue) -> bool:
    """A shared figure cannot change while a submission of another area that
    holds it is sent or approved: its figures would change under the
    coordinator's eyes (ask for it to be returned or reopened first)."""
    return copy.submission.status not in EDITABLE


def _shared_blockers(submission: Submission, rows: list[DataValue]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for copy in shared_holders(submission, [row.element_id for row in rows]):
        if shared_locked(copy):
            errors.setdefault(copy.element.code, []).append(
                _("È un dato condiviso con «%(area)s», la cui scheda è «%(status)s»: per cambiarlo "
                  "chiedi al coordinatore di restituire o riaprire quella scheda.")
                % {"area": copy.submission.campaign.area.name, "status": copy.submission.get_status_display()}
            )
    return errors


def _share(submission: Submission, row: DataValue, shared: SharedValue, user) -> set[int]:
    """Write a saved figure to its shared row and every other copy, each copy's
    change in its history. Returns the other submissions touched."""
    shared.state, shared.value, shared.note = row.state, row.value, row.note
    shared.estimated, shared.version, shared.updated_by = row.estimated, row.version, user
    shared.save()
    touched: set[int] = set()
    reason = _("Dato condiviso, modificato in «%(area)s»") % {"area": submission.campaign.area.name}
    for copy in shared_holders(submission, [row.element_id]):
        if (copy.state, copy.value, copy.note, copy.estimated, copy.version) == (
            row.state, row.value, row.note, row.estimated, row.version
        ):
            continue
        if (copy.state, copy.value) != (row.state, row.value):
            DataValueChange.objects.create(
                municipality_id=copy.municipality_id, data_value=copy, user=user,
                old_state=copy.state, old_value=copy.value, new_state=row.state, new_value=row.value,
                reason=reason[:300],
            )
        copy.state, copy.value, copy.note, copy.estimated = row.state, row.value, row.note, row.estimated
        copy.version, copy.updated_by = row.version, user
        copy.save()
        touched.add(copy.submission_id)
    return touched


def check_editable(submission: Submission) -> None:
    check_campaign_accepts_values(submission.campaign)
    if submission.status not in EDITABLE:
        raise ValidationError(
            _("La scheda è «%(status)s»: i valori non si possono modificare.")
            % {"status": submission.get_status_display()}
        )


def save_values(
    submission: Submission, entries: dict[str, Entry], user, *, reason: str = ""
) -> SaveOutcome:
    """Save what changed, all or nothing.

    Refuses (ValidationError keyed by element code) if any figure breaks a hard
    rule, and (ConcurrentEdit) if a value someone changed was changed by
    someone else since they loaded it. Values not changed are left alone, so
    two people filling different parts of one submission do not collide.

    `submission` may be the unsaved one of a campaign not yet started
    (`selectors.submission_or_blank`): this first write creates it and its
    values, in the same transaction, so a refused save leaves nothing behind.
    """
    check(user, Action.ENTER_DATA, municipality=submission.municipality, message=_("Non puoi inserire dati per questo comune."))
    check_campaign_accepts_values(submission.campaign)
    with transaction.atomic():
        check_campaign_accepts_values(submission.campaign, lock=True)
        if submission.pk is None:
            submission = start_submission(submission.campaign)
            # The comune the rows were created for (the active one) is the one checked.
            check(user, Action.ENTER_DATA, municipality=submission.municipality, message=_("Non puoi inserire dati per questo comune."))
        submission = Submission.objects.select_for_update().select_related("campaign").get(pk=submission.pk)
        check_editable(submission)
        rows = {
            row.element.code: row
            for row in submission.values.select_related("element", "element__part_of")
        }
        unknown = sorted(set(entries) - set(rows))
        if unknown:
            raise ValidationError({code: [_("Questo dato non fa parte della campagna.")] for code in unknown})
        errors: dict[str, list[str]] = {}
        conflicts: list[str] = []
        changed: dict[str, Entry] = {}
        for code, entry in entries.items():
            row = rows[code]
            messages = hard_errors(row.element, entry.state, entry.value)
            messages += text_errors(note=entry.note, justification=entry.justification).values()
            if messages:
                errors[code] = messages
            if entry.differs_from(row):
                if is_stale(entry, row):
                    conflicts.append(code)
                changed[code] = entry
        # Part ≤ whole, on the figures as they will be after saving.
        after = {code: (row.element, changed.get(code, row).value) for code, row in rows.items()}
        for code, messages in part_whole_errors(after).items():
            errors.setdefault(code, []).extend(messages)
        for code, messages in result_errors(submission.campaign, {code: changed.get(code, row) for code, row in rows.items()}).items():
            errors.setdefault(code, []).extend(messages)
        shared_rows = [
            rows[code] for code, entry in changed.items()
            if rows[code].element.shared and entry.figure_differs_from(rows[code])
        ]
        shared = _lock_shared(submission, shared_rows) if shared_rows else {}
        for row in shared_rows:
            # The edit-conflict rule on the one shared value: someone may have
            # changed it from another area's form.
            seen = changed[row.element.code].seen_version
            if seen is not None and seen != shared[row.element_id].version and row.element.code not in conflicts:
                conflicts.append(row.element.code)
        for code, messages in _shared_blockers(submission, shared_rows).items():
            errors.setdefault(code, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        if conflicts:
            raise ConcurrentEdit(sorted(conflicts), [rows[code].element.name for code in sorted(conflicts)])
        touched: set[int] = set()
        for code, entry in changed.items():
            row = rows[code]
            DataValueChange.objects.create(
                municipality_id=submission.municipality_id, data_value=row, user=user,
                old_state=row.state, old_value=row.value, new_state=entry.state,
                new_value=entry.value, reason=(reason or entry.justification)[:300],
            )
            row.state, row.value, row.note = entry.state, entry.value, entry.note
            row.estimated, row.justification = entry.estimated, entry.justification
            if row.element_id in shared:
                row.version = max(row.version, shared[row.element_id].version) + 1
            elif not row.element.shared:
                # A shared figure's copy keeps the shared version when only its
                # justification (each area's own) changes.
                row.version += 1
            row.updated_by = user
            row.save()
            if row.element_id in shared:
                touched |= _share(submission, row, shared[row.element_id], user)
        if changed and submission.status == Status.NOT_STARTED:
            submission.status = Status.DRAFT
        if changed:
            submission.version += 1
            submission.save(update_fields=["status", "version", "updated_at"])
        refresh(submission, user=user, written=set(changed))
        for other in Submission.objects.filter(pk__in=touched).select_related("campaign"):
            refresh(other, user=user, written={rows[code].element.code for code in changed})
    return SaveOutcome(changed=sorted(changed), submission=submission)


def text_errors(*, note: str | None, justification: str | None) -> dict[str, str]:
    """The length limits of a figure's texts (field name -> message), read from
    the model's fields so that the form, the API and the file import refuse
    the same text."""
    def limit(name: str) -> int:
        return DataValue._meta.get_field(name).max_length

    def count(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    errors = {}
    if note is not None and len(note) > limit("note"):
        errors["note"] = _("La nota supera %(n)s caratteri (ne hai scritti %(m)s).") % {
            "n": count(limit("note")), "m": count(len(note))}
    if justification is not None and len(justification) > limit("justification"):
        errors["justification"] = _("La giustificazione supera %(n)s caratteri (ne hai scritti %(m)s).") % {
            "n": count(limit("justification")), "m": count(len(justification))}
    return errors


def refresh(submission: Submission, user=None, *, written: set[str] | None = None) -> None:
    """Recompute warnings, indicator results and the board's counters.

    The soft rules run on the figures just written (`written`, by element code)
    and on any figure written since the last check (a national load, rows just
    created); a figure left as it was keeps its warnings. Otherwise saving a
    returned form unchanged, or submitting it, would check its figures again
    against other comuni approved in the meantime and raise new warnings that
    block the submission, though nothing in it changed.
    """
    rows = list(submission.values.select_related("element"))
    checked_at = submission.checked_at
    to_check = [
        row for row in rows
        if checked_at is None or (written is not None and row.element.code in written)
        or (row.updated_at is not None and row.updated_at > checked_at)
    ]
    changed = []
    if to_check:
        previous = previous_values(submission)
        peers = peer_values(submission, user)
        population = Municipality.objects.filter(pk=submission.municipality_id).values_list("population", flat=True).first()
        for row in to_check:
            warnings = value_warnings(
                row.element, row.state, row.value, previous.get(row.element_id),
                peers.get(row.element_id, []), population,
            )
            if warnings != row.warnings:
                row.warnings = warnings
                changed.append(row)
    if changed:
        DataValue.objects.bulk_update(changed, ["warnings"])
    compute_results(submission, {row.element.code: row for row in rows})
    Submission.objects.filter(pk=submission.pk).update(
        expected_count=len(rows),
        filled_count=sum(1 for row in rows if row.state != State.MISSING),
        warning_count=sum(1 for row in rows if row.warnings),
        unjustified_count=sum(1 for row in rows if row.warnings and not row.justification.strip()),
        checked_at=timezone.now(),
    )
    submission.refresh_from_db()


def formula_inputs(rows: dict[str, DataValue | Entry]) -> dict[str, Decimal | str | None]:
    inputs: dict[str, Decimal | str | None] = {}
    for code, row in rows.items():
        if row.state == State.VALUE:
            inputs[code] = row.value
        elif row.state in (State.NOT_APPLICABLE, State.CONFIDENTIAL):
            inputs[code] = row.state
        else:
            inputs[code] = None
    return inputs


def compute(campaign: Campaign, rows: dict[str, DataValue | Entry]) -> list[tuple[Indicator, IndicatorVersion, object]]:
    """Each indicator of the campaign over `rows` (saved values or unsaved entries)."""
    inputs = formula_inputs(rows)
    return [
        (indicator, version, evaluate(version.parsed, inputs))
        for indicator, version in campaign_indicators(campaign)
    ]


def _integer_digits(model, name: str) -> int:
    field = model._meta.get_field(name)
    return field.max_digits - field.decimal_places


def _fits(value: Decimal | None, digits: int) -> bool:
    return value is None or abs(value) < Decimal(10) ** digits


def result_errors(campaign: Campaign, rows: dict[str, DataValue | Entry]) -> dict[str, list[str]]:
    """Indicators whose result over `rows` would not fit the columns that keep
    it, by the codes of the figures that make it (a hard rule).

    Each figure fits its own column, but a formula can multiply or divide them
    into a number too large for the result (`IndicatorResult.value`), its score
    or, for a ratio, the numerator and denominator kept for the club's ratio
    of sums (`ApprovedResult`): refused here, before anything is written,
    rather than failing in the database."""
    value_digits = _integer_digits(IndicatorResult, "value")
    score_digits = _integer_digits(ApprovedResult, "score")
    part_digits = min(_integer_digits(ApprovedResult, "numerator"), _integer_digits(ApprovedResult, "denominator"))
    inputs = formula_inputs(rows)
    errors: dict[str, list[str]] = {}
    for indicator, version, outcome in compute(campaign, rows):
        if outcome.value is None:
            continue
        fits = _fits(outcome.value, value_digits) and _fits(score_of(outcome.value, version), score_digits)
        parts = ratio_parts(version.parsed) if fits else None
        if parts is not None:
            fits = all(
                _fits(evaluate(part, inputs).value, part_digits) for part in (parts.numerator, parts.denominator)
            )
        if fits:
            continue
        message = _(
            "Con questi valori l'indicatore «%(indicator)s» risulterebbe un numero troppo grande "
            "(oltre %(digits)s cifre): controlla i dati da cui si calcola."
        ) % {"indicator": indicator.name, "digits": value_digits}
        for code in sorted(version.parsed.codes & rows.keys()):
            errors.setdefault(code, []).append(message)
    return errors


def compute_results(submission: Submission, rows: dict[str, DataValue]) -> None:
    """Store each indicator's value with the version it was computed with;
    only what changed is written. Figures written without `save_values` (the
    national load) meet `result_errors` here, before the results are."""
    if errors := result_errors(submission.campaign, rows):
        raise ValidationError(errors)
    existing = {r.indicator_id: r for r in IndicatorResult.objects.filter(submission=submission)}
    new, changed = [], []
    for indicator, version, outcome in compute(submission.campaign, rows):
        result = existing.get(indicator.pk)
        if result is None:
            new.append(IndicatorResult(
                municipality_id=submission.municipality_id, submission=submission, indicator=indicator,
                indicator_version=version, value=outcome.value, reason=outcome.reason,
            ))
        elif (result.indicator_version_id, result.value, result.reason) != (version.pk, outcome.value, outcome.reason):
            result.indicator_version, result.value, result.reason = version, outcome.value, outcome.reason
            changed.append(result)
    if new:
        IndicatorResult.objects.bulk_create(new)
    if changed:
        IndicatorResult.objects.bulk_update(changed, ["indicator_version", "value", "reason"])


SUBMIT, RETURN, APPROVE, REOPEN = "submit", "return", "approve", "reopen"
READY = "ready"


TRANSITIONS: dict[str, tuple[frozenset[str], str, Action]] = {
    # action: (from statuses, to status, permission needed)
    # The officer (or the manager) marks the form ready; the manager is told and submits it.
    READY: (frozenset({Status.DRAFT, Status.RETURNED, Status.REOPENED}), Status.READY, Action.ENTER_DATA),
    SUBMIT: (
        frozenset({Status.DRAFT, Status.READY, Status.RETURNED, Status.REOPENED}), Status.SUBMITTED, Action.SUBMIT_DATA,
    ),
    RETURN: (frozenset({Status.SUBMITTED}), Status.RETURNED, Action.REVIEW_SUBMISSIONS),
    APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED, Action.REVIEW_SUBMISSIONS),
    REOPEN: (frozenset({Status.APPROVED}), Status.REOPENED, Action.REVIEW_SUBMISSIONS),
}


NOTE_REQUIRED = frozenset({RETURN, REOPEN})


# Only for someone who cannot submit: a manager submits directly.
FOR_OFFICERS_ONLY = frozenset({READY})


def allowed_actions(submission: Submission, user) -> list[str]:
    """The transitions `user` may make now; none while the round is closed."""
    if not submission.campaign.accepts_values():
        return []
    return [
        action for action, (sources, _target, permission) in TRANSITIONS.items()
        if submission.status in sources and _may(user, permission, submission)
        and not (action in FOR_OFFICERS_ONLY and _may(user, Action.SUBMIT_DATA, submission))
    ]


def _scope(permission: Action, submission: Submission) -> dict:
    """What a transition's permission is held for: the campaign's area for the
    coordinators' review, the submission's comune otherwise."""
    if permission == Action.REVIEW_SUBMISSIONS:
        return {"area": submission.campaign.area}
    return {"municipality": submission.municipality}


def _may(user, permission: Action, submission: Submission) -> bool:
    return can(user, permission, **_scope(permission, submission))


def _check(user, permission: Action, submission: Submission, *, message: str) -> None:
    check(user, permission, **_scope(permission, submission), message=message)


def transition(submission: Submission, action: str, user, *, note: str = "") -> Submission:
    """Move the submission (ready, submit, return, approve, reopen), recorded as an event.

    The officer marks it ready and the manager submits in their comune's context
    (marking ready tells the comune's managers, by e-mail from a job);
    coordinators act inside `cross_tenant(scope="review")`, where the database
    lets them update only submissions of the areas they coordinate. Nothing
    moves while the round is closed (`Campaign.accepts_values`).
    """
    if action not in TRANSITIONS:
        raise ValidationError(_("Azione sconosciuta."))
    sources, target, permission = TRANSITIONS[action]
    _check(user, permission, submission, message=_("Non hai il ruolo per questa azione."))
    check_campaign_accepts_values(submission.campaign)
    note = (note or "").strip()
    if action in NOTE_REQUIRED and not note:
        raise ValidationError({"note": [_("Scrivi il motivo: il comune lo leggerà.")]})
    if len(note) > 2000:
        raise ValidationError({"note": [_("Il motivo supera 2000 caratteri.")]})
    with transaction.atomic():
        check_campaign_accepts_values(submission.campaign, lock=True)
        locked = Submission.objects.select_for_update().select_related("campaign", "municipality").get(pk=submission.pk)
        if locked.status not in sources:
            raise ValidationError(
                _("La scheda è «%(status)s»: questa azione non è possibile.")
                % {"status": locked.get_status_display()}
            )
        if action == SUBMIT:
            refresh(locked, user=user)
            if locked.unjustified_count:
                raise ValidationError(
                    ngettext(
                        "Prima di inviare giustifica gli avvisi: %(n)d valore ne ha bisogno.",
                        "Prima di inviare giustifica gli avvisi: %(n)d valori ne hanno bisogno.",
                        locked.unjustified_count,
                    )
                    % {"n": locked.unjustified_count}
                )
        now = timezone.now()
        SubmissionEvent.objects.create(
            municipality_id=locked.municipality_id, submission=locked, user=user,
            from_status=locked.status, to_status=target, note=note,
        )
        locked.status = target
        locked.version += 1
        if target == Status.SUBMITTED:
            locked.submitted_at = now
        if target == Status.APPROVED:
            locked.approved_at = now
        locked.save(update_fields=["status", "version", "submitted_at", "approved_at", "updated_at"])
        # The members area reads approved figures only: they enter it on
        # approval and leave it on reopening, in the same transaction.
        if target == Status.APPROVED:
            comparisons.publish(locked)
        elif action == REOPEN:
            comparisons.withdraw(locked)
        elif action == READY:
            # Deferred on this transaction's connection: queued only if the change commits.
            notifications.notify_ready.defer(
                municipality=locked.municipality, submission_id=locked.pk, user_id=getattr(user, "pk", None),
            )
    return locked


def set_visibility(submission: Submission, choices: dict[int, bool], user) -> int:
    """The manager decides which of the comune's results the club may see
    (`choices`: indicator id -> shared). A result kept to the comune leaves the
    club's rankings at once and stays out when approved again. Returns how many
    results changed."""
    check(user, Action.SUBMIT_DATA, municipality=submission.municipality,
          message=_("Solo il responsabile del comune decide cosa condividere."))
    changed: list[int] = []
    with transaction.atomic():
        # The stored status decides, not the caller's copy of the submission.
        locked = Submission.objects.select_for_update().select_related("campaign").get(pk=submission.pk)
        for result in IndicatorResult.objects.select_for_update().filter(
            submission=locked, indicator_id__in=list(choices)
        ):
            wanted = Visibility.CLUB if choices[result.indicator_id] else Visibility.OWN
            if result.visibility != wanted:
                result.visibility = wanted
                result.save(update_fields=["visibility"])
                changed.append(result.indicator_id)
        if changed and locked.status == Status.APPROVED:
            # The approved figures are copied again from the results, as on
            # approval: visibility, the campaign's embargo when it is already
            # published, and the inputs kept with an own-only result.
            comparisons.publish(locked, and_rerank=False)
            indicator_ids = list(
                ApprovedResult.objects.filter(submission=locked).values_list("indicator_id", flat=True)
            )
            # Ranks of every comune move: a maintenance step in the area's review
            # scope, audited as the manager's.
            with cross_tenant(
                scope=SCOPE_REVIEW, reason="visibilità dei risultati cambiata",
                acting_user=user, areas=(locked.campaign.area_id,),
            ):
                comparisons.rerank(locked.campaign, indicator_ids)
    return len(changed)
