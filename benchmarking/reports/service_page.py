"""Benchmarking's section of the page of one service (issue #12,
`ModuleHooks.service_sections`): the comune's latest approved yearly value
of each indicator of the service, against the peers' median, with its
position and its line over the years.

The core calls it inside the page's scope with no comune active, so the
database decides which figures show (`ApprovedResult`'s read policies): the
club's members read every figure a comune shares with the club, and the
club's statistics (`ResultSummary`, position among the comuni that report);
citizens only what open data publishes (published campaigns past their
embargo), with the median of the published figures, as the open data pages
show it. Three queries, bounded by the service's indicators and years."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from benchmarking.comparisons import standing, svg
from benchmarking.comparisons.selectors import min_reporters, traffic_light
from benchmarking.models import ApprovedResult, ResultSummary
from benchmarking.opendata.selectors import public_trend
from benchmarking.periods import Period
from qclub.models import Municipality, Service
from qclub.modules import Readers, ServiceSection
from qclub.numbers import format_number

# Years of a comune's line: the newest few are enough for a page of a service.
YEARS_SHOWN = 8
# A service has a handful of indicators; the bound keeps the page's read fixed.
MAX_ROWS = 400


@dataclass(frozen=True)
class ServiceLine:
    result: ApprovedResult  # the latest year's figure
    median: Decimal | None
    rank: int | None
    reported: int | None
    light: str
    sparkline: str
    trend_text: str

    @property
    def decimals(self) -> int:
        return self.result.indicator_version.decimals


def _readable(municipality: Municipality, service: Service | None, audience: Readers):
    """The comune's yearly figures the readers may see, of `service` (None:
    of any service)."""
    rows = ApprovedResult.objects.filter(
        municipality_id=municipality.pk, indicator__is_active=True, period_kind="Y", value__isnull=False,
    )
    rows = rows.filter(indicator__service__isnull=False) if service is None else rows.filter(
        indicator__service=service
    )
    if audience == Readers.PUBLIC:
        # What open data publishes (the public policy holds it too).
        rows = rows.filter(campaign__published_at__isnull=False).filter(
            Q(campaign__embargo_until__isnull=True) | Q(campaign__embargo_until__lte=timezone.localdate())
        )
    return rows


def service_lines(municipality: Municipality, service: Service, audience: Readers) -> list[ServiceLine]:
    rows = list(
        _readable(municipality, service, audience)
        .select_related("indicator", "indicator_version", "campaign__area")
        .order_by("indicator__position", "indicator__code", "-period_year")[:MAX_ROWS]
    )
    by_indicator: dict[int, list[ApprovedResult]] = {}
    for row in rows:
        years = by_indicator.setdefault(row.indicator_id, [])
        if len(years) < YEARS_SHOWN:
            years.append(row)
    if not by_indicator:
        return []
    latest = {pk: years[0] for pk, years in by_indicator.items()}
    if audience == Readers.PUBLIC:
        trend = public_trend(list(latest), list({r.campaign for r in latest.values()}))
        medians = {pk: points[-1].median for pk, points in trend.items() if points}
        summaries = {}
    else:
        summaries = {
            (s.indicator_id, s.period_year): s
            for s in ResultSummary.objects.filter(
                indicator_id__in=list(latest), period_kind="Y", period_index=1,
                period_year__in={r.period_year for r in latest.values()},
            )
        }
        medians = {pk: getattr(summaries.get((pk, r.period_year)), "median", None) for pk, r in latest.items()}
    enough = min_reporters()
    lines = []
    for pk, years in by_indicator.items():
        result = years[0]
        version = result.indicator_version
        ordered = list(reversed(years))
        text = " · ".join(
            f"{Period(r.period_year).label}: {format_number(r.value, version.decimals)}" for r in ordered
        )
        summary = summaries.get((pk, result.period_year))
        placed = summary is not None and summary.reported >= enough and result.rank is not None
        light = ""
        if placed:
            light = standing.range_light(result.value, version) if standing.has_range(version) else traffic_light(
                result.score, standing.score_of(summary.median, version), standing.score_of(summary.best, version)
            )
        lines.append(ServiceLine(
            result=result, median=medians.get(pk),
            rank=result.rank if placed else None, reported=summary.reported if placed else None,
            light=light,
            sparkline=mark_safe(svg.sparkline([r.value for r in ordered], title=text)) if len(ordered) > 1 else "",  # noqa: S308 (escaped inside)
            trend_text=text,
        ))
    return lines


def service_sections(
    municipality: Municipality, service: Service, audience: Readers
) -> Sequence[ServiceSection]:
    lines = service_lines(municipality, service, audience)
    if not lines:
        return ()
    datasets = sorted(
        {(line.result.campaign.area.code, line.result.period_year) for line in lines}, reverse=True
    )
    return (
        ServiceSection(
            title=_("Gli indicatori a confronto"),
            template="benchmarking/service_section.html",
            context={
                "lines": lines,
                "open_data_url": (
                    reverse("opendata:dataset", args=[datasets[0][0], str(datasets[0][1])])
                    if audience == Readers.PUBLIC else ""
                ),
                "members": audience == Readers.MEMBERS,
            },
            position=10,
        ),
    )


def service_codes(municipality: Municipality, audience: Readers) -> Collection[str]:
    return set(
        _readable(municipality, None, audience)
        .values_list("indicator__service__code", flat=True)
        .distinct()
    )
