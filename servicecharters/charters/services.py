"""What changes a charter: one function per step, each in one transaction,
each recording a `CharterEvent`. Pages, htmx fragments, the API and the demo
all call these; none writes a charter another way.

The rules (said once, here):
- a comune has one charter per service; it starts empty or from a club model;
- only a draft is edited, and every edit says which `lock_version` it
  started from (another person's save in between is refused, what was typed
  is kept by the caller);
- draft → in approval needs a title, the service's description and at least
  one standard; in approval → approved is the manager's
  (`Action.APPROVE_CHARTERS`), and so is sending it back, with a reason;
- approved → published sets the date it is in force from; the version in
  force until then becomes superseded and stays readable;
- a new version starts from the newest approved or published one, copying
  its standards (same `lineage`, so monitoring reads across versions); only
  one version is open (draft or in approval) at a time.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub.permissions import Action, can
from servicecharters.models import (
    CharterEvent,
    CharterStandard,
    CharterTemplate,
    CharterText,
    CharterVersion,
    ServiceCharter,
)

# The rules of a standard's terms live in `servicecharters.terms`, shared with the club's
# model charters (catalogue/, a sibling layer that may not import this one).
from servicecharters.terms import check_terms  # noqa: F401 - part of this module's interface

Status = CharterVersion.Status
Kind = CharterEvent.Kind

TEXT_FIELDS = ("title", *CharterText.SECTIONS, "change_summary")
TERMS_FIELDS = (
    "position", "dimension", "kind", "title", "measure", "comparator", "target_value", "unit",
    "compliance_pct", "figure_ref", "remedy",
)


class StaleCharter(ValidationError):
    """Someone else saved this version (or standard) after it was opened."""


def _record(version: CharterVersion, kind: str, acting_user, reason: str = "") -> None:
    CharterEvent.objects.create(
        municipality_id=version.municipality_id, charter_id=version.charter_id, version=version,
        kind=kind, reason=reason, user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )


def _locked(version: CharterVersion) -> CharterVersion:
    """The version re-read under a row lock on its charter: steps on one
    charter run one after the other."""
    ServiceCharter.objects.select_for_update().filter(pk=version.charter_id).first()
    return CharterVersion.objects.select_for_update().get(pk=version.pk)


def _require(version: CharterVersion, *statuses: str, message: str) -> None:
    if version.status not in statuses:
        raise ValidationError(message, code="status")


def _require_manager(version: CharterVersion, acting_user) -> None:
    if not can(acting_user, Action.APPROVE_CHARTERS, municipality=version.municipality):
        raise ValidationError(
            _("Solo il responsabile del comune approva, restituisce o pubblica una carta dei servizi."),
            code="permission",
        )


def _copy_standards(rows, version: CharterVersion, *, keep_lineage: bool) -> None:
    CharterStandard.objects.bulk_create([
        CharterStandard(
            municipality_id=version.municipality_id, version=version,
            **({"lineage": row.lineage} if keep_lineage else {}),
            **{name: getattr(row, name) for name in TERMS_FIELDS},
        )
        for row in rows
    ])


@transaction.atomic
def create_charter(*, municipality, service, template: CharterTemplate | None = None, acting_user) -> CharterVersion:
    """The comune's charter for `service`, with its first draft (empty, or a
    copy of a club model of the same service)."""
    if template is not None and template.service_id != service.pk:
        raise ValidationError({"template": _("Il modello scelto è per un altro servizio.")})
    duplicate = ValidationError({"service": _("Il comune ha già una carta dei servizi per questo servizio: aprila e avvia una nuova versione.")})
    if ServiceCharter.objects.filter(service=service).exists():
        raise duplicate
    try:
        # Two people creating it at once: the unique constraint decides, and
        # the second gets the same message instead of an error page.
        with transaction.atomic():
            charter = ServiceCharter.objects.create(
                municipality=municipality, service=service,
                created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise duplicate from None
    text = {name: getattr(template, name) for name in ("title", *CharterText.SECTIONS)} if template else {}
    text.setdefault("title", _("Carta dei servizi: %(service)s") % {"service": service.name})
    version = CharterVersion.objects.create(
        municipality=municipality, charter=charter, number=1, template=template, **text,
    )
    if template is not None:
        _copy_standards(template.standards.all(), version, keep_lineage=False)
    _record(version, Kind.CREATED, acting_user)
    return version


def _check_lock(current: int, given: int, message: str) -> None:
    if current != given:
        raise StaleCharter(message, code="stale")


@transaction.atomic
def update_draft(*, version: CharterVersion, lock_version: int, acting_user, **text) -> CharterVersion:
    """Save the texts of a draft (only the fields given)."""
    version = _locked(version)
    _require(version, Status.DRAFT, message=_("Si modifica solo una bozza: questa versione è «%(status)s».") % {"status": version.get_status_display()})
    _check_lock(version.lock_version, lock_version, _(
        "Qualcun altro ha salvato questa bozza dopo che l'hai aperta. Il tuo testo è ancora nel modulo: "
        "confrontalo con quello salvato e salva di nuovo per sovrascriverlo."
    ))
    unknown = set(text) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not charter text fields: {sorted(unknown)}")
    for name, value in text.items():
        setattr(version, name, value)
    if not (version.title or "").strip():
        raise ValidationError({"title": _("Scrivi il titolo della carta.")})
    version.full_clean(exclude=["charter", "template", "approved_by"])
    version.lock_version += 1
    version.save()
    _record(version, Kind.EDITED, acting_user)
    return version


@transaction.atomic
def save_standard(
    *, version: CharterVersion, standard: CharterStandard | None = None, acting_user, **terms
) -> CharterStandard:
    """Add a standard to a draft, or change one of its standards."""
    version = _locked(version)
    _require(version, Status.DRAFT, message=_("Gli standard si modificano solo in una bozza."))
    terms = check_terms({k: v for k, v in terms.items() if k in TERMS_FIELDS}, service=version.charter.service)
    if standard is None:
        if "position" not in terms:
            terms["position"] = (version.standards.count() + 1) * 10
        standard = CharterStandard(municipality_id=version.municipality_id, version=version)
    elif standard.version_id != version.pk:
        raise ValidationError(_("Lo standard non è di questa versione."))
    for name, value in terms.items():
        setattr(standard, name, value)
    standard.full_clean(exclude=["version"])
    standard.save()
    version.lock_version += 1
    version.save(update_fields=["lock_version", "updated_at"])
    _record(version, Kind.EDITED, acting_user)
    return standard


@transaction.atomic
def delete_standard(*, standard: CharterStandard, acting_user) -> None:
    version = _locked(standard.version)
    _require(version, Status.DRAFT, message=_("Gli standard si tolgono solo da una bozza."))
    standard.delete()
    version.lock_version += 1
    version.save(update_fields=["lock_version", "updated_at"])
    _record(version, Kind.EDITED, acting_user)


def submission_errors(version: CharterVersion) -> list[str]:
    """What a draft lacks before it can go for approval (shown on the page
    before the button, and raised by `submit`)."""
    missing = []
    if not version.title.strip():
        missing.append(_("il titolo"))
    if not version.presentation.strip():
        missing.append(_("la descrizione del servizio"))
    if not version.complaints.strip():
        missing.append(_("come presentare un reclamo"))
    if not version.standards.exists():
        missing.append(_("almeno uno standard di qualità"))
    return missing


@transaction.atomic
def submit(*, version: CharterVersion, acting_user) -> CharterVersion:
    version = _locked(version)
    _require(version, Status.DRAFT, message=_("Si invia per l'approvazione solo una bozza."))
    missing = submission_errors(version)
    if missing:
        raise ValidationError(
            _("Prima di inviarla per l'approvazione, la carta deve avere: %(missing)s.") % {"missing": ", ".join(map(str, missing))},
            code="incomplete",
        )
    version.status = Status.IN_APPROVAL
    version.save(update_fields=["status", "updated_at"])
    _record(version, Kind.SUBMITTED, acting_user)
    return version


@transaction.atomic
def return_for_changes(*, version: CharterVersion, reason: str, acting_user) -> CharterVersion:
    version = _locked(version)
    _require_manager(version, acting_user)
    _require(version, Status.IN_APPROVAL, message=_("Si restituisce solo una carta in approvazione."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Scrivi che cosa va cambiato: lo leggerà chi ha preparato la carta.")})
    version.status = Status.DRAFT
    version.save(update_fields=["status", "updated_at"])
    _record(version, Kind.RETURNED, acting_user, reason=reason.strip())
    return version


@transaction.atomic
def approve(*, version: CharterVersion, acting_user) -> CharterVersion:
    version = _locked(version)
    _require_manager(version, acting_user)
    _require(version, Status.IN_APPROVAL, message=_("Si approva solo una carta inviata per l'approvazione."))
    version.status = Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    version.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    _record(version, Kind.APPROVED, acting_user)
    return version


@transaction.atomic
def publish(*, version: CharterVersion, valid_from: datetime.date | None = None, acting_user) -> CharterVersion:
    """Publish an approved version; the one in force until now is superseded."""
    version = _locked(version)
    _require_manager(version, acting_user)
    _require(version, Status.APPROVED, message=_("Si pubblica solo una carta approvata."))
    now = timezone.now()
    previous = CharterVersion.objects.select_for_update().filter(
        charter_id=version.charter_id, status=Status.PUBLISHED
    ).first()
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
        _record(previous, Kind.SUPERSEDED, acting_user)
    version.status = Status.PUBLISHED
    version.published_at = now
    version.valid_from = valid_from or timezone.localdate()
    version.save(update_fields=["status", "published_at", "valid_from", "updated_at"])
    _record(version, Kind.PUBLISHED, acting_user)
    return version


@transaction.atomic
def start_new_version(*, charter: ServiceCharter, acting_user) -> CharterVersion:
    """A draft copy of the newest approved or published version."""
    ServiceCharter.objects.select_for_update().filter(pk=charter.pk).first()
    versions = CharterVersion.objects.filter(charter=charter)
    if versions.filter(status__in=CharterVersion.OPEN_STATUSES).exists():
        raise ValidationError(_("Questa carta ha già una versione in lavorazione: completa quella."), code="open")
    base = versions.filter(status__in=[Status.PUBLISHED, Status.APPROVED]).order_by("-number").first()
    if base is None:
        raise ValidationError(_("Non c'è una versione approvata o pubblicata da cui partire."), code="no_base")
    number = max(v.number for v in versions) + 1
    draft = CharterVersion.objects.create(
        municipality_id=charter.municipality_id, charter=charter, number=number, template=base.template,
        **{name: getattr(base, name) for name in ("title", *CharterText.SECTIONS)},
    )
    _copy_standards(base.standards.all(), draft, keep_lineage=True)
    _record(draft, Kind.NEW_VERSION, acting_user)
    return draft
