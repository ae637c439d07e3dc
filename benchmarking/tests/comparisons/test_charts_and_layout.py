"""Charts agree with the tables (the box plot draws the server's statistics,
figures in Italian format), the scorecard's trend is a sparkline whose text
alternative is its figures, and the header marks the members area as such."""

import re

from django.urls import reverse

from benchmarking.comparisons import charts
from benchmarking.comparisons import selectors as comparisons
from benchmarking.periods import Period
from benchmarking.tests.factories import approve, campaign_for
from qclub.tenancy import SCOPE_CLUB, cross_tenant
from tests.factories import officer_of

P2025 = Period(2025)


def ranking_of(club):
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        return comparisons.ranking(club.indicators[0], P2025, viewer=club[0])


def test_box_plot_draws_the_quartiles_the_tables_show(club):
    result = ranking_of(club)
    figure, text = charts.distribution(result, 1)
    box = next(trace for trace in figure["data"] if trace["type"] == "box")
    stats = result.stats
    assert (box["q1"], box["median"], box["q3"]) == ([float(stats.q1)], [float(stats.median)], [float(stats.q3)])
    assert (box["lowerfence"], box["upperfence"]) == ([float(stats.minimum)], [float(stats.maximum)])
    assert "x" not in box  # no sample: plotly computes nothing of its own
    points = next(trace for trace in figure["data"] if trace["type"] == "scatter")
    assert sorted(points["x"]) == [100, 200, 200, 300, 400]
    assert "primo quartile 200,0" in text


def test_charts_use_italian_separators(club):
    result = ranking_of(club)
    for figure, _text in (charts.ranking_bar(result, 1), charts.distribution(result, 1)):
        assert figure["layout"]["separators"] == ",."
        assert figure["layout"]["xaxis"]["hoverformat"] == ",.1f"


def test_scorecard_trend_is_a_sparkline_with_its_figures_as_text(client, club):
    previous = campaign_for(club.area, club.indicators, year=2024)
    approve(previous, club[4], club.coordinator, certificati=1250, certificati_online=0, sportello_fte=1)
    client.force_login(officer_of(club[4]))
    html = client.get(reverse("benchmarking:scorecard") + "?periodo=2025").content.decode()
    table = html.split('id="scorecard"')[1].split("</table>")[0]
    svg = re.search(r'<td class="qc-trend"><svg[^>]*role="img"[^>]*>.*?</svg>', table, re.S).group(0)
    assert "<title>" in svg and "2024: 1.250,0; 2025: 400,0" in svg
    assert "<polyline" in svg and " style=" not in table  # presentation attributes, no inline style


def active_nav(html: str) -> list[str]:
    return re.findall(r'class="nav-link active"[^>]*><span>([^<]+)</span>', html)


def test_the_header_marks_the_members_area_not_benchmarking(client, club):
    client.force_login(officer_of(club[0]))
    ranking = client.get(reverse("benchmarking:ranking", args=[club.indicators[0].code])).content.decode()
    assert active_nav(ranking) == ["Confronti"]
    assert active_nav(client.get(reverse("benchmarking:scorecard")).content.decode()) == ["Confronti"]
    assert active_nav(client.get(reverse("members_area")).content.decode()) == ["Confronti"]
    assert active_nav(client.get(reverse("benchmarking:index")).content.decode()) == ["Benchmarking"]
