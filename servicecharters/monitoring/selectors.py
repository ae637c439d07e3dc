"""What the monitoring pages read: the years of a charter (with reports, or
that can be computed), one year's results beside the promises with their
trend, and the dashboard's counts. Bounded: a charter has a handful of
standards, and the trend reads `TREND_YEARS` years of them in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from servicecharters.models import (
    CharterStandard,
    CharterVersion,
    MonitoringReport,
    ServiceCharter,
    StandardResult,
)
from servicecharters.monitoring import rules
from servicecharters.monitoring.services import version_for_year
from servicecharters.standards import wording

Status = CharterVersion.Status
IN_FORCE = (Status.PUBLISHED, Status.SUPERSEDED)
TREND_YEARS = 5  # the year shown and the four before


def last_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


def computable_years(charter: ServiceCharter, today: datetime.date | None = None) -> list[int]:
    """The years, newest first, in which a version of the charter was in
    force and that are over (a year is monitored once it has ended)."""
    first = CharterVersion.objects.filter(
        charter=charter, status__in=IN_FORCE, valid_from__isnull=False
    ).aggregate(first=Min("valid_from"))["first"]
    if first is None:
        return []
    return list(range(last_year(today), first.year - 1, -1))


@dataclass
class YearLine:
    year: int
    report: MonitoringReport | None
    met: int = 0
    missed: int = 0
    unjudged: int = 0

    @property
    def published(self) -> bool:
        return self.report is not None and self.report.published_at is not None


def year_lines(charter: ServiceCharter, today: datetime.date | None = None) -> list[YearLine]:
    """Every year with a report or that can be computed, newest first, with
    the counts of standards met, missed and not yet judged."""
    reports = {report.year: report for report in MonitoringReport.objects.filter(charter=charter)}
    # Counted by year and verdict: only those columns grouped (a GROUP BY on
    # a tenant row would need its composite key).
    counts = {
        (row["year"], row["met"]): row["n"]
        for row in StandardResult.objects.filter(report__charter=charter).order_by()
        .values("year", "met").annotate(n=Count("id"))
    }
    years = sorted(set(reports) | set(computable_years(charter, today)), reverse=True)
    lines = []
    for year in years:
        report = reports.get(year)
        line = YearLine(year, report)
        if report is not None:
            line.met, line.missed, line.unjudged = (counts.get((year, met), 0) for met in (True, False, None))
        lines.append(line)
    return lines


def report_get(charter: ServiceCharter, year: int) -> MonitoringReport | None:
    return MonitoringReport.objects.filter(charter=charter, year=year).first()


def year_allowed(charter: ServiceCharter, year: int, today: datetime.date | None = None) -> bool:
    return year in computable_years(charter, today) or MonitoringReport.objects.filter(
        charter=charter, year=year
    ).exists()


def result_get(report: MonitoringReport, public_id) -> StandardResult:
    found = StandardResult.objects.select_related("standard").filter(report=report, public_id=public_id).first()
    if found is None:
        raise Http404(_("Valore non trovato."))
    return found


@dataclass
class TrendPoint:
    year: int
    value: object  # Decimal | None
    met: bool | None
    text: str
    verdict: str


@dataclass
class Row:
    standard: CharterStandard
    result: StandardResult | None
    promise: str
    actual: str
    verdict: str
    trend: list[TrendPoint] = field(default_factory=list)
    missed_twice: bool = False
    # Set by the page: the trend's SVG and the form of a value entered by hand.
    sparkline: str = ""
    form: object = None

    @property
    def met(self) -> bool | None:
        return self.result.met if self.result else None

    @property
    def entered_by_hand(self) -> bool:
        return not self.standard.figure_ref


@dataclass
class YearView:
    year: int
    version: CharterVersion | None
    report: MonitoringReport | None
    rows: list[Row]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "met": sum(1 for row in self.rows if row.met is True),
            "missed": sum(1 for row in self.rows if row.met is False),
            "unjudged": sum(1 for row in self.rows if row.met is None),
        }


def year_view(charter: ServiceCharter, year: int) -> YearView:
    """The year's results beside the promises of the version in force then,
    each with its trend over `TREND_YEARS` years and the flag "missed two
    years running" (`rules.missed_two_years_running`). Three queries."""
    report = report_get(charter, year)
    version = version_for_year(charter, year)
    standards = list(version.standards.all()) if version else []
    lineages = [s.lineage for s in standards]
    history: dict = {}
    for result in StandardResult.objects.filter(
        lineage__in=lineages, year__gt=year - TREND_YEARS, year__lte=year, report__charter=charter,
    ).select_related("standard"):
        history.setdefault(result.lineage, {})[result.year] = result
    rows = []
    for standard in standards:
        by_year = history.get(standard.lineage, {})
        result = by_year.get(year)
        trend = [
            TrendPoint(
                y, r.actual_value if r else None, r.met if r else None,
                wording.actual(r.standard, r.actual_value) if r else "—", wording.verdict(r.met) if r else "—",
            )
            for y in range(year - TREND_YEARS + 1, year + 1)
            for r in [by_year.get(y)]
        ]
        # Drop the leading years with nothing (before the charter was monitored).
        while trend and trend[0].value is None and trend[0].met is None and len(trend) > 1:
            trend.pop(0)
        rows.append(Row(
            standard=standard, result=result, promise=wording.promise(result.standard if result else standard),
            actual=wording.actual(standard, result.actual_value if result else None),
            verdict=wording.verdict(result.met if result else None), trend=trend,
            missed_twice=rules.missed_two_years_running({y: r.met for y, r in by_year.items()}, year),
        ))
    return YearView(year, version, report, rows)


# --- The dashboard -----------------------------------------------------------------


def missed_twice(year: int, limit: int = 3) -> tuple[int, list[StandardResult]]:
    """The active comune's standards missed in `year` and the year before
    (`rules.missed_two_years_running`, in SQL): how many, and the first few."""
    before = StandardResult.objects.filter(lineage=OuterRef("lineage"), year=year - 1, met=False)
    found = StandardResult.objects.filter(year=year, met=False).filter(Exists(before))
    count = found.count()
    first = list(found.select_related("standard", "report__charter__service").order_by("standard__title")[:limit])
    return count, first


def monitoring_due(year: int, limit: int = 3) -> dict[str, tuple[int, list[ServiceCharter]]]:
    """The active comune's charters in force in `year` whose monitoring is
    not computed yet ("to_compute") or computed and not published
    ("to_publish"): how many, and the first few."""
    in_force = CharterVersion.objects.filter(
        charter=OuterRef("pk"), status__in=IN_FORCE, valid_from__lte=datetime.date(year, 12, 31),
    )
    reports = MonitoringReport.objects.filter(charter=OuterRef("pk"), year=year)
    charters = ServiceCharter.objects.filter(Exists(in_force)).select_related("service").order_by("service__name")
    outcome = {}
    for name, queryset in (
        ("to_compute", charters.exclude(Exists(reports))),
        ("to_publish", charters.filter(Exists(reports.filter(published_at__isnull=True)))),
    ):
        outcome[name] = (queryset.count(), list(queryset[:limit]))
    return outcome
