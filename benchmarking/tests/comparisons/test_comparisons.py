"""Rankings, summaries, peer groups and the guardrails of the members area."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons import services as comparison_services
from benchmarking.comparisons.selectors import Group
from benchmarking.models import ApprovedResult, IndicatorVersion, ResultSummary, Visibility
from benchmarking.periods import Period
from benchmarking.tests.factories import approve, campaign_for, indicator_with
from qclub.models import Role
from qclub.tenancy import SCOPE_CLUB, SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import MunicipalityFactory, officer_of

V = "value"
P2025 = Period(2025)


def test_ranks_quartiles_and_best_with_ties(club):
    per_fte = club.indicators[0]
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(per_fte, P2025, viewer=club[0])
    by_name = {row.municipality.name: row for row in result.rows}
    assert [row.value for row in result.rows] == [400, 300, 200, 200, 100]
    assert [row.rank for row in result.rows] == [1, 2, 3, 3, 5]
    assert result.stats.median == 200 and result.stats.q1 == 200 and result.stats.q3 == 300
    assert result.stats.best == 400 and result.stats.reported == 5
    assert by_name["Comune E"].quartile == 1 and by_name["Comune A"].quartile == 4
    assert by_name["Comune A"].from_best == 300 and by_name["Comune A"].from_median == -100
    assert by_name["Comune A"].is_viewer
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        ranks = sorted(ApprovedResult.objects.filter(indicator=per_fte, rank__isnull=False).values_list("rank", flat=True))
        not_applicable = ApprovedResult.objects.get(indicator=per_fte, municipality=club[5])
    assert ranks == [1, 2, 3, 3, 5]
    assert not_applicable.value is None and not_applicable.reason == "not_applicable" and not_applicable.rank is None


def test_lower_is_better_turns_the_ranking(area, elements, comune_a, coordinator):
    waiting = indicator_with(area, "certificati / sportello_fte", code="attesa", better=IndicatorVersion.Better.LOWER)
    campaign = campaign_for(area, [waiting], year=2025)
    comuni = [MunicipalityFactory() for _ in range(4)]
    for comune, minutes in zip(comuni, [30, 10, 20, 40], strict=True):
        approve(campaign, comune, coordinator, certificati=minutes, sportello_fte=1)
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(waiting, P2025, viewer=None)
    assert [row.value for row in result.rows] == [10, 20, 30, 40]
    assert result.stats.best == 10 and result.best_rows[0].municipality.pk == comuni[1].pk


def test_too_few_comuni_show_no_rank_and_no_best(area, campaign, coordinator, indicators, settings):
    settings.BENCHMARK_MIN_REPORTERS = 3
    for figure in (100, 200):
        approve(campaign, MunicipalityFactory(), coordinator, certificati=figure, certificati_online=0, sportello_fte=1)
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(indicators[0], P2025, viewer=None)
    assert result.suppressed and result.best_rows == []
    assert all(row.rank is None and row.from_best is None for row in result.rows)
    assert result.stats.median == 150  # the median still helps


def test_the_club_figure_of_a_ratio_is_the_ratio_of_sums(club):
    per_fte = club.indicators[0]
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(per_fte, P2025, viewer=None)
    # (100 + 200 + 400 + 300 + 400) / (1 + 1 + 2 + 1 + 1) = 233.3…, not the mean of ratios (240)
    assert round(result.club_ratio, 1) == Decimal("233.3")
    assert result.stats.mean == 240
    assert round(ResultSummary.objects.get(indicator=per_fte).club_ratio, 1) == Decimal("233.3")


def test_peer_groups(club):
    per_fte = club.indicators[0]
    viewer = club[1]  # Lombardia, 40,000 residents: class 20.001–50.000
    group = comparisons.PeerGroup.objects.create(name="Capoluoghi")
    group.members.set([club[3], club[4]])
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        region = comparisons.ranking(per_fte, P2025, viewer=viewer, shown=Group(comparisons.REGION))
        klass = comparisons.ranking(per_fte, P2025, viewer=viewer, shown=Group(comparisons.CLASS))
        chosen = comparisons.ranking(per_fte, P2025, viewer=viewer, shown=Group(comparisons.GROUP, group.pk))
        similar = comparisons.ranking(per_fte, P2025, viewer=viewer, shown=Group(comparisons.SIMILAR))
        # Shown among all, statistics on the region only.
        mixed = comparisons.ranking(per_fte, P2025, viewer=viewer, shown=Group(), basis=Group(comparisons.REGION))
    names = lambda r: sorted(row.municipality.name for row in r.rows)  # noqa: E731
    assert names(region) == ["Comune A", "Comune B", "Comune C"]
    assert names(klass) == ["Comune B", "Comune C"]
    assert names(chosen) == ["Comune D", "Comune E"]
    assert "Comune B" in names(similar) and len(similar.rows) == 5
    assert len(mixed.rows) == 5 and mixed.stats.reported == 3 and mixed.stats.median == 200
    assert {row.municipality.name for row in mixed.rows if row.in_basis} == {"Comune A", "Comune B", "Comune C"}


def test_reopening_takes_figures_out_until_approved_again(club):
    with acting_for(club[4]):
        submission = services.start_submission(club.campaign)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        services.transition(submission, services.REOPEN, club.coordinator, note="rettifica")
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=None)
    assert [row.value for row in result.rows] == [300, 200, 200, 100]
    assert ResultSummary.objects.get(indicator=club.indicators[0]).best == 300


def test_a_figure_kept_to_the_comune_is_invisible_to_the_others(club):
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(municipality=club[4]).update(visibility=Visibility.OWN)
        comparison_services.rerank(ApprovedResult.objects.filter(municipality=club[4]).first().campaign, [club.indicators[0].pk])
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        assert not ApprovedResult.objects.filter(municipality=club[4]).exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM benchmarking_approvedresult WHERE municipality_id = %s", [club[4].pk])
            assert cursor.fetchone() == (0,)
    with acting_for(club[4]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        assert ApprovedResult.objects.filter(municipality=club[4]).exists()  # its own, still


def test_members_never_read_drafts(area, campaign, comune_a, comune_b, officer_b, coordinator):
    with acting_for(comune_b):
        draft = services.start_submission(campaign)
        services.save_values(draft, {"certificati": Entry(state=V, value=Decimal(999), note="fonte interna")}, officer_b)
    with acting_for(comune_a), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        assert not ApprovedResult.objects.filter(municipality=comune_b).exists()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM benchmarking_datavalue WHERE municipality_id = %s", [comune_b.pk])
            assert cursor.fetchone() == (0,)
            cursor.execute("SELECT count(*) FROM benchmarking_indicatorresult WHERE municipality_id = %s", [comune_b.pk])
            assert cursor.fetchone() == (0,)


def test_summaries_match_postgresql_percentiles(club):
    with connection.cursor() as cursor, cross_tenant(scope=SCOPE_CLUB, reason="test"):
        cursor.execute(
            "SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY value), percentile_cont(0.5) WITHIN GROUP (ORDER BY value), "
            "percentile_cont(0.75) WITHIN GROUP (ORDER BY value) FROM benchmarking_approvedresult "
            "WHERE indicator_id = %s AND value IS NOT NULL", [club.indicators[0].pk])
        q1, median, q3 = cursor.fetchone()
    summary = ResultSummary.objects.get(indicator=club.indicators[0])
    assert (summary.q1, summary.median, summary.q3) == (Decimal(str(q1)), Decimal(str(median)), Decimal(str(q3)))


def test_scorecard_and_trend(club):
    previous = campaign_for(club.area, club.indicators, year=2024)
    for comune, figure in zip(club[:5], [50, 100, 150, 200, 250], strict=True):
        approve(previous, comune, club.coordinator, certificati=figure, certificati_online=0, sportello_fte=1)
    with acting_for(club[4]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        lines = {line.indicator.code: line for line in comparisons.scorecard(club[4], club.area, P2025)}
        points = comparisons.trend(club.indicators[0], [club[4]])
    line = lines["certificati_per_fte"]
    assert line.value == 400 and line.rank == 1 and line.percentile == 100 and line.light == "green"
    assert [value for _p, value in line.trend] == [250, 400]
    assert [(p.period.year, p.values[club[4].pk], p.median) for p in points] == [(2024, 250, 150), (2025, 400, 200)]


def test_rebuild_gives_the_same_ranks(club):
    from django.core.management import call_command

    def snapshot():
        with cross_tenant(scope=SCOPE_CLUB, reason="test"):
            return sorted(ApprovedResult.objects.values_list("municipality_id", "indicator_id", "value", "rank", "percentile"))

    before = snapshot()
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", areas=(club.indicators[0].area_id,)):
        ApprovedResult.objects.all().delete()
    assert snapshot() == []
    call_command("rebuild_comparisons", stdout=io.StringIO())
    assert snapshot() == before


def test_a_group_shown_against_statistics_of_all(club):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=club[1], shown=Group(comparisons.REGION), basis=Group())
    assert sorted(row.municipality.name for row in result.rows) == ["Comune A", "Comune B", "Comune C"]
    assert result.stats.reported == 5
    assert {row.municipality.name: row.rank for row in result.rows} == {"Comune C": 3, "Comune B": 3, "Comune A": 5}


def test_a_result_kept_to_the_comune_leaves_the_ranking_and_stays_out(club):
    manager = officer_of(club[4], role=Role.MANAGER)
    with acting_for(club[4]):
        submission = services.start_submission(club.campaign)
        assert services.set_visibility(submission, {club.indicators[0].pk: False}, manager) == 1
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=club[0])
        assert [row.value for row in result.rows] == [300, 200, 200, 100]
        assert not services.IndicatorResult.objects.filter(municipality=club[4], indicator=club.indicators[0]).exists()
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        services.transition(submission, services.REOPEN, club.coordinator, note="rettifica")
    with acting_for(club[4]):
        services.transition(submission, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        services.transition(submission, services.APPROVE, club.coordinator)
    with acting_for(club[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        assert [row.value for row in comparisons.ranking(club.indicators[0], P2025, viewer=club[0]).rows] == [300, 200, 200, 100]
    with pytest.raises(PermissionDenied), acting_for(club[4]):
        services.set_visibility(submission, {club.indicators[0].pk: True}, officer_of(club[4]))
