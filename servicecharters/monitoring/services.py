"""The yearly monitoring of a charter: each standard's actual value, met or
not, and the report that publishes them (one function per step, one
transaction each; pages, API, the yearly job and the demo call these).

The rules:
- a year is judged against the version in force in it: the newest published
  (or since superseded) version in force by 31 December;
- a standard linked to a figure (`figure_ref`) gets its actual value from the
  figure's module (approved or published figures only, `qclub.modules`):
  computed, never typed; one with no link is entered with its evidence;
- met / not met is `monitoring.rules.is_met`, nothing else;
- a published report is final: computing again or entering a value is refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub import modules
from qclub.permissions import Action, can
from servicecharters.models import CharterVersion, MonitoringReport, ServiceCharter, StandardResult
from servicecharters.monitoring import rules

Status = CharterVersion.Status
Origin = StandardResult.Origin


class StaleResult(ValidationError):
    """Someone else saved this value after it was opened."""


def version_for_year(charter: ServiceCharter, year: int) -> CharterVersion | None:
    """The version in force in `year`: the newest published or superseded one
    in force by the year's end."""
    return (
        CharterVersion.objects.filter(
            charter=charter, status__in=[Status.PUBLISHED, Status.SUPERSEDED],
            valid_from__lte=datetime.date(year, 12, 31),
        )
        .order_by("-valid_from", "-number")
        .first()
    )


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _report(charter: ServiceCharter, year: int) -> MonitoringReport:
    report, _created = MonitoringReport.objects.select_for_update().get_or_create(
        municipality_id=charter.municipality_id, charter=charter, year=year,
    )
    if report.published_at is not None:
        raise ValidationError(
            _("Il monitoraggio %(year)s è già pubblicato e non si cambia più.") % {"year": year}, code="published"
        )
    return report


@transaction.atomic
def compute_year(*, charter: ServiceCharter, year: int, acting_user=None) -> MonitoringReport:
    """Create or refresh the year's report: every linked standard's actual
    value from its figure, every standard's met / not met. Values entered by
    hand are kept."""
    ServiceCharter.objects.select_for_update().filter(pk=charter.pk).first()
    version = version_for_year(charter, year)
    if version is None:
        raise ValidationError(
            _("Nel %(year)s questa carta non era ancora pubblicata: non c'è nulla da monitorare.") % {"year": year},
            code="no_version",
        )
    report = _report(charter, year)
    existing = {r.lineage: r for r in StandardResult.objects.filter(report=report)}
    for standard in version.standards.all():
        result = existing.get(standard.lineage) or StandardResult(
            municipality_id=charter.municipality_id, report=report, lineage=standard.lineage, year=year,
            origin=Origin.COMPUTED if standard.figure_ref else Origin.ENTERED,
        )
        result.standard = standard
        if standard.figure_ref:
            found = modules.figure_values(
                standard.figure_ref, years=[year], municipality_ids=[charter.municipality_id],
                reason=f"charter monitoring {charter.public_id} {year}",
            )
            value = next((f for f in found if f.municipality_id == charter.municipality_id), None)
            result.origin = Origin.COMPUTED
            result.actual_value = value.value if value else None
            result.source_note = (value.note if value else _("Nessun dato approvato o pubblicato per l'anno."))[:200]
        result.met = rules.is_met(standard, result.actual_value)
        if result.pk:
            result.lock_version += 1
        result.updated_by = _user(acting_user)
        result.save()
    return report


@transaction.atomic
def enter_result(
    *, result: StandardResult, actual_value: Decimal | None, evidence: str, lock_version: int, acting_user
) -> StandardResult:
    """The actual value of a standard with no linked figure, with its evidence."""
    result = StandardResult.objects.select_for_update().select_related("standard", "report").get(pk=result.pk)
    if result.report.published_at is not None:
        raise ValidationError(_("Il monitoraggio di quest'anno è già pubblicato e non si cambia più."), code="published")
    if result.standard.figure_ref:
        raise ValidationError(
            _("Il valore di questo standard è calcolato dalla sua fonte: non si inserisce a mano."), code="computed"
        )
    if result.lock_version != lock_version:
        raise StaleResult(_(
            "Qualcun altro ha salvato questo valore dopo che l'hai aperto. Quello che hai scritto è ancora "
            "nel modulo: confrontalo con il valore salvato e salva di nuovo per sovrascriverlo."
        ), code="stale")
    if actual_value is not None and not (evidence or "").strip():
        raise ValidationError({"evidence": _("Indica da dove viene il valore (documento, registro, rilevazione).")})
    result.actual_value = actual_value
    result.evidence = (evidence or "").strip()
    result.origin = Origin.ENTERED
    result.met = rules.is_met(result.standard, actual_value)
    result.lock_version += 1
    result.updated_by = _user(acting_user)
    result.full_clean(exclude=["report", "standard"])
    result.save()
    return result


@transaction.atomic
def publish_report(*, report: MonitoringReport, acting_user) -> MonitoringReport:
    """Publish the year's monitoring: from now on citizens and other comuni
    read it, and it no longer changes."""
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    if not can(acting_user, Action.APPROVE_CHARTERS, municipality=report.municipality):
        raise ValidationError(_("Solo il responsabile del comune pubblica il monitoraggio."), code="permission")
    if report.published_at is not None:
        raise ValidationError(_("Questo monitoraggio è già pubblicato."), code="published")
    if not report.results.exists():
        raise ValidationError(_("Calcola o inserisci i valori degli standard prima di pubblicare."), code="empty")
    report.published_at = timezone.now()
    report.published_by = _user(acting_user)
    report.save(update_fields=["published_at", "published_by"])
    return report


def charters_to_compute(year: int) -> list[ServiceCharter]:
    """The active comune's charters with a version in force in `year` whose
    monitoring for the year is not published (a published one is final)."""
    in_force = CharterVersion.objects.filter(
        charter=OuterRef("pk"), status__in=[Status.PUBLISHED, Status.SUPERSEDED],
        valid_from__lte=datetime.date(year, 12, 31),
    )
    published = MonitoringReport.objects.filter(charter=OuterRef("pk"), year=year, published_at__isnull=False)
    return list(
        ServiceCharter.objects.filter(Exists(in_force)).exclude(Exists(published))
        .select_related("service").order_by("service__name")
    )


def compute_due(*, municipality, year: int, acting_user=None) -> list[MonitoringReport]:
    """The yearly job's step for one comune (run acting for it): compute
    `year` for every charter in force then, leaving published reports alone.
    Each charter in its own transaction (`compute_year`)."""
    return [
        compute_year(charter=charter, year=year, acting_user=acting_user)
        for charter in charters_to_compute(year)
        if charter.municipality_id == municipality.pk
    ]
