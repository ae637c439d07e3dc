"""The service charters' section of the page of one service (issue #12,
`ModuleHooks.service_sections`): the charter in force for the comune's
service, its standards with what was promised and, from the latest published
monitoring, whether each was kept.

The core calls it inside the page's scope (public: citizens; club: the
club's members), with no comune active: the database shows only published
versions and published monitoring to citizens, approved ones too to the
club; drafts never. Three queries, whatever the number of standards."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from qclub.models import Municipality, Service
from qclub.modules import Readers, ServiceSection
from servicecharters.models import CharterStandard, CharterVersion, ServiceCharter, StandardResult

Status = CharterVersion.Status


@dataclass(frozen=True)
class StandardLine:
    standard: CharterStandard
    result: StandardResult | None  # the latest published year's, if any


def _in_force(municipality: Municipality, service: Service) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(
            municipality_id=municipality.pk, charter__service=service, status=Status.PUBLISHED
        )
        .select_related("charter")
        .first()
    )


def _lines(version: CharterVersion) -> list[StandardLine]:
    standards = list(
        CharterStandard.objects.filter(municipality_id=version.municipality_id, version=version)
        .order_by("position", "id")
    )
    # A standard's results across versions share its lineage; the newest
    # published year's wins (the database hides unpublished monitoring too).
    latest: dict = {}
    results = StandardResult.objects.filter(
        municipality_id=version.municipality_id,
        lineage__in=[standard.lineage for standard in standards],
        report__published_at__isnull=False,
    ).order_by("lineage", "-year")
    for result in results:
        latest.setdefault(result.lineage, result)
    return [StandardLine(standard, latest.get(standard.lineage)) for standard in standards]


def public_charter_url(municipality: Municipality, service: Service) -> str:
    """The citizens' page of the charter, when the public pages are installed."""
    try:
        return reverse("charters_public:charter", args=[municipality.slug, service.code])
    except NoReverseMatch:
        return ""


def service_sections(
    municipality: Municipality, service: Service, audience: Readers
) -> Sequence[ServiceSection]:
    version = _in_force(municipality, service)
    if version is None:
        return ()
    lines = _lines(version)
    years = sorted({line.result.year for line in lines if line.result}, reverse=True)
    return (
        ServiceSection(
            title=_("Carta dei servizi: impegni e risultati"),
            template="servicecharters/service_section.html",
            context={
                "version": version,
                "lines": lines,
                "monitoring_year": years[0] if years else None,
                "met_count": sum(1 for line in lines if line.result and line.result.met),
                "judged_count": sum(1 for line in lines if line.result and line.result.met is not None),
                "charter_url": public_charter_url(municipality, service),
            },
            position=40,
        ),
    )


def service_codes(municipality: Municipality, audience: Readers) -> Collection[str]:
    return set(
        ServiceCharter.objects.filter(
            municipality_id=municipality.pk, versions__status=Status.PUBLISHED
        ).values_list("service__code", flat=True)
    )
