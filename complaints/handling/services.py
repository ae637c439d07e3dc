"""Handling a complaint: the status machine and who moves it, assignment,
internal notes, suspensions that stop the clock, the answer, closing,
reopening (by staff, or by the citizen within the comune's period) and the
citizen's rating. Every change is a `ComplaintEvent` (who, when).

Staff act through `check(user, HANDLE_COMPLAINTS, municipality=...)`, first
thing in every service; the citizen acts only through the tracking link
(`reopen_by_citizen`, `rate`), which the caller has already resolved.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import deadlines, policy
from complaints.models import Complaint, ComplaintEvent, Office, SubCategory, Suspension
from complaints.notifications import send_answer
from qclub.models import Membership
from qclub.permissions import Action, check

S = Complaint.Status

# action -> (statuses it starts from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({S.RECEIVED}), S.ACKNOWLEDGED),
    "start": (frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.REOPENED}), S.IN_PROGRESS),
    "answer": (frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}), S.ANSWERED),
    "close": (frozenset({S.ANSWERED}), S.CLOSED),
    "reopen": (frozenset({S.ANSWERED, S.CLOSED}), S.REOPENED),
}
# A suggestion or a compliment, or a complaint whose author wants no answer,
# may also be closed without one.
CLOSE_WITHOUT_ANSWER = frozenset({S.RECEIVED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED})


class ConcurrentEdit(ValidationError):
    pass


def may(complaint: Complaint, action: str) -> bool:
    """Whether the status machine allows `action` now (not who may do it)."""
    if complaint.anonymised_on is not None:
        return False
    if action in ("suspend",):
        return complaint.is_open and not complaint.suspended
    if action == "resume":
        return complaint.suspended
    if action in ("note", "assign", "classify"):
        return True
    sources, _target = TRANSITIONS[action]
    if action == "close" and (complaint.kind != Complaint.Kind.COMPLAINT or not complaint.wants_answer):
        sources = sources | CLOSE_WITHOUT_ANSWER
    if action == "answer" and complaint.suspended:
        return True  # answering ends the wait
    return complaint.status in sources


def allowed_actions(complaint: Complaint) -> list[str]:
    return [a for a in ("acknowledge", "start", "assign", "note", "classify", "suspend", "resume",
                        "answer", "close", "reopen") if may(complaint, a)]


def _locked(complaint: Complaint, version: int | None) -> Complaint:
    current = Complaint.objects.select_for_update().select_related("municipality").get(pk=complaint.pk)
    if version is not None and current.version != version:
        raise ConcurrentEdit(
            _("Nel frattempo qualcun altro ha modificato questa segnalazione: ricarica la pagina e riprova.")
        )
    return current


def _require(complaint: Complaint, action: str) -> None:
    if not may(complaint, action):
        raise ValidationError(
            _("Con la segnalazione nello stato «%(status)s» questa operazione non è possibile.")
            % {"status": complaint.get_status_display()}
        )


def _event(complaint, kind, *, user=None, by_citizen=False, from_status="", to_status="", text=""):
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, actor=user, by_citizen=by_citizen,
        from_status=from_status, to_status=to_status, text=text,
    )


def _move(complaint: Complaint, target: str, *, user=None, by_citizen=False, text="", on=None) -> None:
    previous = complaint.status
    on = on or policy.today()
    complaint.status = target
    if previous == S.RECEIVED and complaint.acknowledged_on is None and target != S.RECEIVED:
        complaint.acknowledged_on = on
        complaint.acknowledged_late = bool(complaint.acknowledge_due and on > complaint.acknowledge_due)
    _event(complaint, ComplaintEvent.Kind.STATUS, user=user, by_citizen=by_citizen,
           from_status=previous, to_status=target, text=text)


def _save(complaint: Complaint) -> Complaint:
    complaint.version += 1
    complaint.save()
    return complaint


def _staff(user, complaint: Complaint) -> None:
    check(user, Action.HANDLE_COMPLAINTS, municipality=complaint.municipality)


@transaction.atomic
def acknowledge(*, complaint: Complaint, user, version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "acknowledge")
    _move(complaint, S.ACKNOWLEDGED, user=user)
    return _save(complaint)


@transaction.atomic
def assign(*, complaint: Complaint, user, office: Office | None, assignee=None,
           version: int | None = None) -> Complaint:
    """Assign to an office and a person of the comune who handles complaints;
    an open complaint not yet in progress moves to "in lavorazione"."""
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "assign")
    if not complaint.is_open:
        raise ValidationError(_("Si assegnano solo le segnalazioni ancora aperte."))
    if office is not None and office.municipality_id != complaint.municipality_id:
        raise ValidationError({"office": [_("Ufficio non trovato.")]})
    if assignee is not None and not Membership.objects.filter(
        user=assignee, municipality_id=complaint.municipality_id, user__is_active=True
    ).exists():
        raise ValidationError({"assignee": [_("La persona scelta non lavora per questo comune.")]})
    complaint.office, complaint.assignee = office, assignee
    who = (assignee.get_full_name() or assignee.get_username()) if assignee else ""
    _event(complaint, ComplaintEvent.Kind.ASSIGNED, user=user,
           text=", ".join(x for x in (office.name if office else "", who) if x))
    if complaint.status in TRANSITIONS["start"][0]:
        _move(complaint, S.IN_PROGRESS, user=user)
    return _save(complaint)


@transaction.atomic
def start(*, complaint: Complaint, user, version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "start")
    _move(complaint, S.IN_PROGRESS, user=user)
    return _save(complaint)


@transaction.atomic
def add_note(*, complaint: Complaint, user, text: str) -> ComplaintEvent:
    """An internal note: never shown to the citizen."""
    _staff(user, complaint)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Scrivi il testo della nota.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("Il testo è troppo lungo: al massimo 5000 caratteri.")]})
    complaint = _locked(complaint, None)
    if complaint.anonymised_on:
        raise ValidationError(_("I dati di questa segnalazione sono stati cancellati."))
    return _event(complaint, ComplaintEvent.Kind.NOTE, user=user, text=text)


@transaction.atomic
def classify(*, complaint: Complaint, user, service=None, category=None, subcategory: SubCategory | None = None,
             duplicate_of: Complaint | None = None, version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "classify")
    if subcategory is not None and (category is None or subcategory.category_id != category.pk):
        raise ValidationError({"subcategory": [_("La sottocategoria non appartiene alla categoria scelta.")]})
    if duplicate_of is not None and duplicate_of.pk == complaint.pk:
        raise ValidationError({"duplicate_of": [_("Una segnalazione non può essere il duplicato di sé stessa.")]})
    complaint.service, complaint.category, complaint.subcategory = service, category, subcategory
    complaint.duplicate_of = duplicate_of
    _event(complaint, ComplaintEvent.Kind.CLASSIFIED, user=user,
           text=" · ".join(str(x) for x in (service, category, subcategory) if x))
    return _save(complaint)


@transaction.atomic
def suspend(*, complaint: Complaint, user, reason: str, on: datetime.date | None = None,
            version: int | None = None) -> Complaint:
    """Waiting for the citizen: the answer's clock stops from `on`."""
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "suspend")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Scrivi che cosa si attende dal cittadino.")]})
    on = on or policy.today()
    Suspension.objects.create(complaint=complaint, started_on=on, reason=reason[:300])
    complaint.suspended = True
    complaint.answer_due = None
    _event(complaint, ComplaintEvent.Kind.SUSPENDED, user=user, text=reason[:300])
    return _save(complaint)


def _end_suspension(complaint: Complaint, on: datetime.date) -> None:
    open_ = complaint.suspensions.filter(ended_on__isnull=True).first()
    if open_ is not None:
        open_.ended_on = max(on, open_.started_on)
        open_.save(update_fields=["ended_on"])
    complaint.suspended = False
    policy.refresh_due_dates(complaint, standards=_standards(complaint))


def _standards(complaint: Complaint) -> policy.Standards:
    return policy.standards_for(municipality=complaint.municipality, service=complaint.service,
                                kind=complaint.kind)


@transaction.atomic
def resume(*, complaint: Complaint, user, on: datetime.date | None = None,
           version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "resume")
    _end_suspension(complaint, on or policy.today())
    _event(complaint, ComplaintEvent.Kind.RESUMED, user=user)
    return _save(complaint)


@transaction.atomic
def answer(*, complaint: Complaint, user, text: str, root_cause: str = "", founded: bool | None = None,
           on: datetime.date | None = None, version: int | None = None) -> Complaint:
    """Write the answer (sent by e-mail when the person left one) and record
    how long it took in working days and whether it was late."""
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "answer")
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("Scrivi la risposta.")]
    elif len(text) > Complaint._meta.get_field("answer").max_length:
        errors["text"] = [_("Il testo è troppo lungo: al massimo 10000 caratteri.")]
    if root_cause and root_cause not in Complaint.RootCause.values:
        errors["root_cause"] = [_("Scegli una causa dall'elenco.")]
    if errors:
        raise ValidationError(errors)
    on = on or policy.today()
    if complaint.suspended:
        _end_suspension(complaint, on)
        _event(complaint, ComplaintEvent.Kind.RESUMED, user=user)
    complaint.answer, complaint.answered_on = text, on
    complaint.root_cause, complaint.founded = root_cause, founded
    start_day = complaint.clock_started_on or complaint.received_on
    complaint.answer_working_days = min(deadlines.working_days_between(
        start_day, on, province_code=complaint.municipality.province_code,
        suspensions=list(complaint.suspensions.filter(started_on__gte=start_day).values_list("started_on", "ended_on")),
    ), 32767)
    complaint.answered_late = complaint.answer_working_days > _standards(complaint).answer_days
    _move(complaint, S.ANSWERED, user=user, on=on)
    _event(complaint, ComplaintEvent.Kind.ANSWERED, user=user, text=text)
    complaint = _save(complaint)
    if complaint.contact_email:
        send_answer.defer(municipality=complaint.municipality, complaint_id=complaint.pk)
    return complaint


@transaction.atomic
def close(*, complaint: Complaint, user, version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    _require(complaint, "close")
    if complaint.suspended:
        _end_suspension(complaint, policy.today())
    complaint.closed_on = policy.today()
    _move(complaint, S.CLOSED, user=user)
    return _save(complaint)


def _reopen(complaint: Complaint, *, user, by_citizen: bool, reason: str, on: datetime.date) -> Complaint:
    _require(complaint, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Scrivi perché la segnalazione va riaperta.")]})
    if len(reason) > 3000:
        raise ValidationError({"reason": [_("Il testo è troppo lungo: al massimo 3000 caratteri.")]})
    complaint.reopen_count += 1
    complaint.clock_started_on = on
    complaint.closed_on = None
    policy.refresh_due_dates(complaint, standards=_standards(complaint))
    _move(complaint, S.REOPENED, user=user, by_citizen=by_citizen, text=reason, on=on)
    return _save(complaint)


@transaction.atomic
def reopen(*, complaint: Complaint, user, reason: str, version: int | None = None) -> Complaint:
    _staff(user, complaint)
    complaint = _locked(complaint, version)
    return _reopen(complaint, user=user, by_citizen=False, reason=reason, on=policy.today())


def reopen_deadline(complaint: Complaint) -> datetime.date | None:
    """The last day the citizen may ask to reopen (calendar days after the answer)."""
    if complaint.answered_on is None:
        return None
    return complaint.answered_on + datetime.timedelta(days=policy.settings_for(complaint.municipality).reopen_days)


def citizen_may_reopen(complaint: Complaint, on: datetime.date | None = None) -> bool:
    deadline = reopen_deadline(complaint)
    return bool(may(complaint, "reopen") and deadline and (on or policy.today()) <= deadline)


@transaction.atomic
def reopen_by_citizen(*, complaint: Complaint, reason: str, on: datetime.date | None = None) -> Complaint:
    """The person asks to reopen, from the tracking link, within the comune's period."""
    complaint = _locked(complaint, None)
    on = on or policy.today()
    if not citizen_may_reopen(complaint, on):
        raise ValidationError(_("Il periodo per chiedere di riaprire questa segnalazione è terminato."))
    return _reopen(complaint, user=None, by_citizen=True, reason=reason, on=on)


@transaction.atomic
def rate(*, complaint: Complaint, rating: int) -> Complaint:
    """The person rates the answer (1 to 5), once per answer."""
    complaint = _locked(complaint, None)
    if complaint.status not in (S.ANSWERED, S.CLOSED) or complaint.anonymised_on:
        raise ValidationError(_("Si può valutare solo una risposta già data."))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": [_("Scegli un voto da 1 a 5.")]})
    last_rating = complaint.events.filter(kind=ComplaintEvent.Kind.RATED).order_by("-at").first()
    last_answer = complaint.events.filter(kind=ComplaintEvent.Kind.ANSWERED).order_by("-at").first()
    if last_rating is not None and last_answer is not None and last_rating.at > last_answer.at:
        raise ValidationError(_("Hai già valutato questa risposta. Grazie!"))
    complaint.rating = rating
    _event(complaint, ComplaintEvent.Kind.RATED, by_citizen=True, text=str(rating))
    return _save(complaint)


def staff_choices(municipality) -> list:
    """The comune's people a complaint may be assigned to."""
    return list(
        get_user_model().objects.filter(
            memberships__municipality=municipality, is_active=True
        ).order_by("last_name", "first_name", "username")
    )


# --- The comune's configuration ------------------------------------------------------


@transaction.atomic
def save_settings(*, municipality, user, acknowledge_days: int, answer_days: int, reopen_days: int,
                  retention_months: int):
    from complaints.models import ComplaintSettings

    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    row = ComplaintSettings.objects.select_for_update().filter(municipality=municipality).first()
    row = row or ComplaintSettings(municipality=municipality)
    row.acknowledge_days, row.answer_days = acknowledge_days, answer_days
    row.reopen_days, row.retention_months = reopen_days, retention_months
    row.full_clean(exclude=["municipality"])
    if row.acknowledge_days > row.answer_days:
        raise ValidationError({"acknowledge_days": [_("La presa in carico non può scadere dopo la risposta.")]})
    row.save()
    return row


@transaction.atomic
def add_office(*, municipality, user, name: str) -> Office:
    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Scrivi il nome dell'ufficio (al massimo 120 caratteri).")]})
    if Office.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("Questo ufficio c'è già.")]})
    return Office.objects.create(municipality=municipality, name=name)


@transaction.atomic
def add_subcategory(*, municipality, user, category, name: str) -> SubCategory:
    check(user, Action.HANDLE_COMPLAINTS, municipality=municipality)
    name = (name or "").strip()
    if category is None:
        raise ValidationError({"category": [_("Scegli la categoria.")]})
    if not name or len(name) > 120:
        raise ValidationError({"name": [_("Scrivi il nome della sottocategoria (al massimo 120 caratteri).")]})
    if SubCategory.objects.filter(category=category, name__iexact=name).exists():
        raise ValidationError({"name": [_("Questa sottocategoria c'è già.")]})
    return SubCategory.objects.create(municipality=municipality, category=category, name=name)
