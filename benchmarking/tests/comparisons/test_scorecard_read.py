"""The scorecard's one-query read gives what the per-area ORM reads it
replaced gave (kept here as the reference), for every viewer and comune of
the club: figures kept to the comune, a target-range indicator, too few
reporters and the trend of earlier periods included."""

from decimal import Decimal

from benchmarking.collection import services
from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons import standing
from benchmarking.comparisons.selectors import ScorecardLine, min_reporters, traffic_light
from benchmarking.comparisons.standing import score_of
from benchmarking.models import ApprovedResult, IndicatorVersion, ResultSummary, Submission
from benchmarking.periods import Period
from benchmarking.tests.comparisons.test_range_indicators import as_range
from benchmarking.tests.factories import approve, campaign_for
from qclub.models import Role
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from tests.factories import officer_of

P2025 = Period(2025)


def orm_scorecard(municipality, area, period):
    """The scorecard as read before (three ORM queries per area)."""
    versions = {}
    for version in (
        IndicatorVersion.objects.filter(indicator__area=area, indicator__is_active=True)
        .select_related("indicator").order_by("number")
    ):
        versions[version.indicator_id] = version
    indicators = sorted((v.indicator for v in versions.values()), key=lambda i: (i.position, i.code))
    own, history = {}, {}
    for indicator_id, year, kind, index, value, reason, score, percentile, rank in (
        ApprovedResult.objects.filter(
            municipality=municipality, area=area, period_kind=period.kind, period_year__lte=period.year
        )
        .order_by("period_year", "period_index")
        .values_list("indicator_id", "period_year", "period_kind", "period_index", "value", "reason", "score",
                     "percentile", "rank")
    ):
        history.setdefault(indicator_id, []).append((Period(year, kind, index), value))
        if year == period.year and index == period.index:
            own[indicator_id] = (value, reason, score, percentile, rank)
    summaries = {
        indicator_id: (reported, median, best) for indicator_id, reported, median, best in
        ResultSummary.objects.filter(
            indicator__in=list(versions), period_year=period.year, period_kind=period.kind,
            period_index=period.index,
        ).values_list("indicator_id", "reported", "median", "best")
    }
    lines = []
    for indicator in indicators:
        version = versions[indicator.pk]
        result, summary = own.get(indicator.pk), summaries.get(indicator.pk)
        enough = summary is not None and summary[0] >= min_reporters()
        value, reason, score, percentile, rank = result or (None, "", None, None, None)
        in_range = standing.has_range(version)
        light = ""
        if enough and score is not None:
            light = (
                standing.range_light(value, version) if in_range
                else traffic_light(score, score_of(summary[1], version), score_of(summary[2], version))
            )
        lines.append(ScorecardLine(
            indicator=indicator, version=version, value=value, reason=reason,
            percentile=percentile if enough and not in_range else None, rank=rank if enough else None,
            reported=summary[0] if summary else 0, median=summary[1] if summary else None,
            best=summary[2] if summary and enough and not in_range else None,
            light=light, trend=history.get(indicator.pk, []),
            position=standing.position(value, version), from_range=standing.distance_to_range(value, version),
        ))
    return lines


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _snapshot(lines) -> list[dict]:
    return [
        {**vars(line), "indicator": _fields(line.indicator), "version": _fields(line.version),
         "version.indicator": _fields(line.version.indicator), "position_text": line.position_text,
         "range_text": line.range_text}
        for line in lines
    ]


def test_the_one_query_scorecard_reads_what_the_orm_reads_read(club, django_assert_num_queries):
    earlier = campaign_for(club.area, club.indicators, year=2024)
    for comune, figure in zip(club[:3], [50, 100, 150], strict=True):  # too few reporters in 2024
        approve(earlier, comune, club.coordinator, certificati=figure, certificati_online=0, sportello_fte=1)
    as_range(club)
    with acting_for(club[4]):  # E keeps the share of online certificates to itself
        submission = Submission.objects.get(campaign=club.campaign)
        services.set_visibility(submission, {club.indicators[1].pk: False}, officer_of(club[4], role=Role.MANAGER))

    compared = 0
    for viewer in club.comuni:
        for comune in club.comuni:
            for period in (P2025, Period(2024)):
                with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
                    expected = _snapshot(orm_scorecard(comune, club.area, period))
                    with django_assert_num_queries(1):
                        found = comparisons.scorecards(comune, [club.area], period)
                assert list(found) == [club.area.pk]
                assert _snapshot(found[club.area.pk]) == expected, (viewer, comune, period)
                compared += len(expected)
    assert compared
    # What the scenario covers: a range line, a figure kept to E (seen by E only), a 2-point trend.
    with acting_for(club[4]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        own_view = {line.indicator.pk: line for line in comparisons.scorecard(club[4], club.area, P2025)}
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        a_view = {line.indicator.pk: line for line in comparisons.scorecard(club[4], club.area, P2025)}
        a_own = {line.indicator.pk: line for line in comparisons.scorecard(club[0], club.area, P2025)}
    assert own_view[club.indicators[1].pk].value is not None and a_view[club.indicators[1].pk].value is None
    assert own_view[club.indicators[0].pk].has_range and own_view[club.indicators[0].pk].position
    assert [p.year for p, _v in a_own[club.indicators[0].pk].trend] == [2024, 2025]
    assert a_own[club.indicators[0].pk].percentile is None and Decimal(0) <= a_own[club.indicators[0].pk].from_range
