"""What citizens read of a comune's service charters: the published version
of each charter, its superseded versions, and the monitoring reports the
comune published, with their results.

Every read here runs inside `public_read`: no comune active and the public
scope, audited. The database then shows only published and superseded
versions (and their standards) and only published monitoring reports (and
their results), whoever is signed in: a comune's own officer looking at its
public page must not see the draft they are writing. `_require_public_read`
refuses to run anywhere else, so a view that forgot the context fails
instead of reading as the visitor's comune. The status filters below only
pick which visible version is in force and which are previous ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from qclub.models import Municipality
from qclub.tenancy import (
    SCOPE_PUBLIC,
    acting_for,
    active_municipality_id,
    active_scope,
    cross_tenant,
)
from servicecharters.models import (
    CharterStandard,
    CharterVersion,
    MonitoringReport,
    ServiceCharter,
    StandardResult,
)

Status = CharterVersion.Status

# The monitoring a page shows beside each promise: the latest published years.
MAX_YEARS = 5


class NotInPublicRead(RuntimeError):
    """A public selector ran outside `public_read` (a programming error)."""


@contextmanager
def public_read(reason: str) -> Iterator[None]:
    """No comune active, the public scope, audited: the only context these
    selectors run in."""
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason=reason[:200]):
        yield


def _require_public_read() -> None:
    if active_municipality_id() is not None or active_scope() != SCOPE_PUBLIC:
        raise NotInPublicRead("service charters' public selectors run only inside public_read()")


@dataclass(frozen=True)
class ReportSummary:
    """A published year's monitoring in one line: N of M standards met."""

    year: int
    met: int
    judged: int
    total: int


@dataclass(frozen=True)
class CharterLine:
    """One published charter on the comune's list."""

    charter: ServiceCharter
    version: CharterVersion
    latest: ReportSummary | None


def _summaries(reports: list[MonitoringReport]) -> dict[int, ReportSummary]:
    """Each report's N of M, counted in the database in one query (grouped
    by report: a tenant table's key is (comune, id), so the count is not
    annotated on the report rows themselves)."""
    if not reports:
        return {}
    counts = {
        row["report_id"]: row
        for row in StandardResult.objects.filter(report__in=reports)
        .values("report_id")
        .annotate(
            n_total=Count("id"), n_met=Count("id", filter=Q(met=True)),
            n_judged=Count("id", filter=Q(met__isnull=False)),
        )
        .order_by()
    }
    empty = {"n_total": 0, "n_met": 0, "n_judged": 0}
    return {
        report.pk: ReportSummary(
            year=report.year, total=(row := counts.get(report.pk, empty))["n_total"], met=row["n_met"],
            judged=row["n_judged"],
        )
        for report in reports
    }


def published_charters(municipality: Municipality) -> list[CharterLine]:
    """The comune's charters with a version in force, by service name, each
    with its latest published monitoring. Three queries, whatever the number
    of charters."""
    _require_public_read()
    versions = list(
        CharterVersion.objects.filter(municipality=municipality, status=Status.PUBLISHED)
        .select_related("charter__service")
        .order_by("charter__service__name", "charter_id")
    )
    if not versions:
        return []
    latest = {
        report.charter_id: report
        for report in MonitoringReport.objects.filter(
            municipality=municipality, charter__in=[v.charter_id for v in versions], published_at__isnull=False,
        )
        .order_by("charter_id", "-year")
        .distinct("charter_id")
    }
    summaries = _summaries(list(latest.values()))
    return [
        CharterLine(
            charter=version.charter, version=version,
            latest=summaries[latest[version.charter_id].pk] if version.charter_id in latest else None,
        )
        for version in versions
    ]


def charter_get(municipality: Municipality, service_code: str) -> ServiceCharter:
    """The comune's charter of the service, if citizens may read it (one of
    its versions is published or superseded), else 404."""
    _require_public_read()
    charter = (
        ServiceCharter.objects.filter(municipality=municipality, service__code=service_code)
        .select_related("service", "municipality")
        .first()
    )
    if charter is None:
        raise Http404(_("Carta dei servizi non trovata."))
    return charter


def _standards() -> Prefetch:
    return Prefetch("standards", queryset=CharterStandard.objects.order_by("position", "id"))


def in_force(charter: ServiceCharter) -> CharterVersion:
    """The version in force (the published one) with its standards, else 404."""
    _require_public_read()
    version = (
        CharterVersion.objects.filter(charter=charter, status=Status.PUBLISHED)
        .prefetch_related(_standards())
        .first()
    )
    if version is None:
        raise Http404(_("Questa carta dei servizi non ha una versione in vigore."))
    return version


def superseded_get(charter: ServiceCharter, number: int) -> CharterVersion:
    """A previous version by its number, with its standards, else 404 (a
    draft, one in approval or approved but not published answers 404 like
    an unknown number)."""
    _require_public_read()
    version = (
        CharterVersion.objects.filter(charter=charter, number=number, status=Status.SUPERSEDED)
        .prefetch_related(_standards())
        .first()
    )
    if version is None:
        raise Http404(_("Versione non trovata."))
    return version


def is_in_force(charter: ServiceCharter, number: int) -> bool:
    _require_public_read()
    return CharterVersion.objects.filter(charter=charter, number=number, status=Status.PUBLISHED).exists()


def previous_versions(charter: ServiceCharter) -> list[CharterVersion]:
    """The superseded versions, newest first (numbers and dates only)."""
    _require_public_read()
    return list(
        CharterVersion.objects.filter(charter=charter, status=Status.SUPERSEDED)
        .only("number", "title", "valid_from", "published_at", "superseded_at", "charter_id", "municipality_id")
        .order_by("-number")
    )


@dataclass(frozen=True)
class Monitoring:
    """A charter's published monitoring: the reports (newest first, each with
    its N of M) and every result by standard lineage, oldest year first."""

    reports: list[MonitoringReport]
    summaries: dict[int, ReportSummary]
    by_lineage: dict[object, list[StandardResult]]
    by_standard: dict[int, list[StandardResult]]

    @property
    def latest(self) -> MonitoringReport | None:
        return self.reports[0] if self.reports else None

    def summary(self, report: MonitoringReport) -> ReportSummary:
        return self.summaries[report.pk]

    @property
    def lines(self) -> list[tuple[MonitoringReport, ReportSummary]]:
        return [(report, self.summaries[report.pk]) for report in self.reports]


def published_monitoring(charter: ServiceCharter, *, years: int = MAX_YEARS) -> Monitoring:
    """The latest `years` published monitoring reports of the charter and
    their results. Three queries."""
    _require_public_read()
    reports = list(
        MonitoringReport.objects.filter(charter=charter, published_at__isnull=False).order_by("-year")[:years]
    )
    by_lineage: dict[object, list[StandardResult]] = defaultdict(list)
    by_standard: dict[int, list[StandardResult]] = defaultdict(list)
    if reports:
        for result in StandardResult.objects.filter(
            report__in=reports, report__published_at__isnull=False
        ).order_by("year", "id"):
            by_lineage[result.lineage].append(result)
            by_standard[result.standard_id].append(result)
    return Monitoring(reports=reports, summaries=_summaries(reports), by_lineage=dict(by_lineage),
                      by_standard=dict(by_standard))


def sitemap_charters() -> list[tuple[str, str, object]]:
    """(comune slug, service code, published at) of every charter in force."""
    _require_public_read()
    return list(
        CharterVersion.objects.filter(status=Status.PUBLISHED)
        .order_by("municipality__slug", "charter__service__code")
        .values_list("municipality__slug", "charter__service__code", "published_at")
    )
