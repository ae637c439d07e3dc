"""Indicators judged against a target range (`comparisons.standing`): rank by
distance to the range with every comune in range tied first, no single best,
no percentile or quartile, the same meaning on every way out (ranking, stored
ranks and summary, scorecard, API, CSV, PDF context, open data)."""

import csv
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons import services as comparison_services
from benchmarking.comparisons import standing
from benchmarking.models import ApprovedResult, IndicatorVersion, ResultSummary
from benchmarking.opendata import selectors as open_data
from benchmarking.periods import Period
from benchmarking.reports import services as reports
from qclub.tenancy import SCOPE_CLUB, SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import officer_of

P2025 = Period(2025)


def as_range(club, low=150, high=300):
    """Certificates per FTE (A 100, B 200, C 200, D 300, E 400) judged against
    150–300 instead of "higher is better", re-ranked as an approval would."""
    per_fte = club.indicators[0]
    IndicatorVersion.objects.filter(indicator=per_fte).update(
        better=IndicatorVersion.Better.BAND, band_low=Decimal(low), band_high=Decimal(high)
    )
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(indicator=per_fte).update(score=None)
        for row in ApprovedResult.objects.filter(indicator=per_fte).select_related("indicator_version"):
            row.score = standing.score_of(row.value, row.indicator_version)
            row.save(update_fields=["score"])
        comparison_services.rerank(club.campaign, [per_fte.pk])
    return per_fte


@pytest.fixture
def ranged(club):
    return as_range(club)


def test_position_and_distance_are_to_the_nearest_bound():
    version = IndicatorVersion(better=IndicatorVersion.Better.BAND, band_low=Decimal(8), band_high=Decimal(25))
    assert [standing.position(Decimal(v), version) for v in (5, 8, 20, 25, "25.1")] == [
        "below", "in_range", "in_range", "in_range", "above"]
    assert standing.distance_to_range(Decimal("5.5"), version) == Decimal("2.5")
    assert standing.distance_to_range(Decimal(30), version) == 5
    assert standing.distance_to_range(Decimal(12), version) == 0
    assert standing.score_of(Decimal(30), version) == -5
    assert standing.position_text(Decimal("5.5"), version, 1) == "sotto di 2,5"
    assert standing.range_text(version) == "8–25"


def test_range_ranks_by_distance_with_every_comune_in_range_first(club, ranged):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(ranged, P2025, viewer=club[0])
    by_name = {row.municipality.name: row for row in result.rows}
    assert {name: row.rank for name, row in by_name.items()} == {
        "Comune B": 1, "Comune C": 1, "Comune D": 1, "Comune A": 4, "Comune E": 5}
    assert by_name["Comune A"].position == "below" and by_name["Comune A"].from_range == 50
    assert by_name["Comune E"].position == "above" and by_name["Comune E"].from_range == 100
    assert by_name["Comune D"].position == "in_range" and by_name["Comune D"].from_range == 0
    # no single best performer: the best is "in range", shared; no distance from a best, no quartile
    assert result.stats.best is None
    assert {row.municipality.name for row in result.best_rows} == {"Comune B", "Comune C", "Comune D"}
    assert all(row.from_best is None and row.quartile is None for row in result.rows)


def test_rerank_stores_distance_ranks_and_no_percentile_or_best(club, ranged):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        stored = dict(ApprovedResult.objects.filter(indicator=ranged, rank__isnull=False)
                      .values_list("municipality__name", "rank"))
        percentiles = set(ApprovedResult.objects.filter(indicator=ranged).values_list("percentile", flat=True))
    assert stored == {"Comune A": 4, "Comune B": 1, "Comune C": 1, "Comune D": 1, "Comune E": 5}
    assert percentiles == {None}
    summary = ResultSummary.objects.get(indicator=ranged, period_year=2025)
    assert summary.best is None and summary.best_municipality is None and summary.median == 200


def test_scorecard_never_calls_a_range_indicator_a_strength(club, ranged):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        in_range = {line.indicator.pk: line for line in comparisons.scorecard(club[1], club.area, P2025)}[ranged.pk]
        below = {line.indicator.pk: line for line in comparisons.scorecard(club[0], club.area, P2025)}[ranged.pk]
    assert in_range.percentile is None and in_range.best is None and in_range.light == "green"
    assert in_range.rank == 1 and in_range.position_text == "entro l'intervallo"
    assert below.light == "red" and below.position_text == "sotto di 50,0"
    strengths, gaps = comparisons.strengths_and_gaps([in_range])
    assert strengths == [] and gaps == []


def test_ranking_page_shows_the_range_not_a_best(client, club, ranged):
    client.force_login(officer_of(club[0]))
    html = client.get(reverse("benchmarking:ranking", args=[ranged.code]) + "?periodo=2025").content.decode()
    best = html.split('id="best"')[1].split("</td>")[0]
    assert "150–300" in best and "nessun singolo migliore" in best
    assert "Comune B" in best and "Comune E" not in best
    table = html.split('id="ranking-table"')[1].split("</table>")[0]
    assert "Rispetto all&#x27;intervallo" in table or "Rispetto all'intervallo" in table
    assert "sopra di 100,0" in table and "sotto di 50,0" in table
    assert "Distanza dal migliore" not in table and "Quartile" not in table


def test_api_ranking_and_scorecard_say_where_each_comune_stands(client, club, ranged):
    client.force_login(officer_of(club[0]))
    data = client.get(f"/api/v1/confronti/indicatori/{ranged.code}/classifica/?periodo=2025").json()
    assert data["summary"]["best"] is None and data["summary"]["better"] == "band"
    assert Decimal(data["summary"]["band_low"]) == 150 and sorted(data["summary"]["best_comuni"]) == [
        "comune-b", "comune-c", "comune-d"]
    rows = {row["slug"]: row for row in data["rows"]}
    assert rows["comune-a"]["position"] == "below" and Decimal(rows["comune-a"]["from_range"]) == 50
    assert rows["comune-a"]["rank"] == 4 and rows["comune-b"]["rank"] == 1 and rows["comune-b"]["from_best"] is None
    card = client.get("/api/v1/confronti/scheda/?periodo=2025").json()
    line = next(line for line in card["lines"] if line["indicator"] == ranged.code)
    assert line["percentile"] is None and line["position"] == "below" and ranged.code not in card["strengths"]


def test_csv_export_names_the_range_and_the_position(client, club, ranged):
    client.force_login(officer_of(club[0]))
    response = client.get(reverse("benchmarking:ranking", args=[ranged.code]) + "?periodo=2025&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert "Quartile" not in header and "Distanza dal migliore" not in header
    column = {name: index for index, name in enumerate(header)}
    a = next(row for row in rows[1:] if row[column["Comune"]] == "Comune A")
    assert a[column["Direzione"]] == "Entro un intervallo obiettivo (150–300)"
    assert a[column["Rispetto all'intervallo"]] == "sotto" and a[column["Distanza dall'intervallo"]] == "50,0"


def test_pdf_area_report_has_no_best_for_a_range(club, ranged):
    with acting_for(club[0]):
        context = reports.area_report(club.area, P2025, user=officer_of(club[0]), viewer=club[0])
    section = next(s for s in context["sections"] if s.indicator.pk == ranged.pk)
    assert section.ranking.stats.best is None and section.ranking.has_range
    assert "migliore:" not in section.chart  # no best line in the chart's legend
    html = render_to_string("benchmarking/reports/pdf_area.html", {**context, "font_faces": ""})
    own = html.split(f'id="ind-{ranged.code}"')[1].split("</section>")[0]
    assert "nessun singolo migliore" in own and "sotto di 50" in own


def test_open_data_gives_the_range_and_positions(client, published, club):
    per_fte = as_range(club)
    tables = open_data.dataset_tables(published["campaign"])
    table = next(t for t in tables if t.indicator.pk == per_fte.pk)
    assert table.best is None and table.range_text == "150–300"
    assert {row.municipality: row.position for row in table.rows}["Comune E"] == "above"
    data = open_data.dataset_dict(published["campaign"], tables)
    indicator = next(i for i in data["indicators"] if i["code"] == per_fte.code)
    assert indicator["best"] is None and indicator["band_low"] == 150
    assert {v["comune"]: v["position"] for v in indicator["values"]}["Comune A"] == "below"


def test_trend_chart_draws_the_range_and_no_best(client, club, ranged):
    client.force_login(officer_of(club[0]))
    response = client.get(reverse("benchmarking:trend", args=[ranged.code]))
    assert response.status_code == 200
    figure = response.context["figure"]
    assert [(shape["y0"], shape["y1"]) for shape in figure["layout"]["shapes"]] == [(150, 300)]
    best = next(trace for trace in figure["data"] if trace["name"] == "Migliore")
    assert all(y is None for y in best["y"])


def test_a_comunes_public_page_gives_the_range(client, published, club):
    as_range(club)
    page = client.get(reverse("municipality_public", args=[club[0].slug])).content.decode()
    assert "Entro un intervallo obiettivo: 150–300" in page
