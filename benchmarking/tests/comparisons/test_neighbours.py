"""Nearest neighbours explained: which comuni are the most similar, on which
descriptors and at what distance, and a warning when the club is too small
for the choice to mean anything."""

import math

import pytest
from django.urls import reverse

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.selectors import Group
from benchmarking.models import ContextValue
from benchmarking.periods import Period
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from tests.factories import officer_of

P2025 = Period(2025)


def test_neighbours_are_nearest_on_log_population_with_their_distances(club):
    # A has 3,000 residents; B 40,000, C 45,000, D 60,000, E 300,000 (F reported nothing).
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=club[0], shown=Group("similar"))
    n = result.neighbours
    assert n.descriptors == ["popolazione"] and n.own_values == ["3.000"]
    assert [c.municipality.name for c in n.chosen] == ["Comune B", "Comune C", "Comune D", "Comune E"]
    assert n.chosen[0].distance == pytest.approx(math.log(40_000 / 3_000))
    assert n.chosen[0].values == ["40.000"]
    # four others to choose ten from: the set is most of the club, and we say so
    assert n.pool == 4 and n.too_small


def test_a_club_twice_the_neighbours_is_not_too_small(club, monkeypatch):
    monkeypatch.setattr(comparisons, "SIMILAR_SIZE", 2)
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=club[0], shown=Group("similar"))
    assert [c.municipality.name for c in result.neighbours.chosen] == ["Comune B", "Comune C"]
    assert not result.neighbours.too_small
    assert {row.municipality.name for row in result.rows} == {"Comune A", "Comune B", "Comune C"}


def test_context_descriptors_count_and_unknown_ones_are_named(club):
    for comune, share in zip(club[:5], ["10", "90", "12", "11", "50"], strict=True):
        with acting_for(comune):
            ContextValue.objects.create(municipality=comune, year=2025, key="quota_online", value=share)
    with cross_tenant(scope=SCOPE_CLUB, reason="test"):
        result = comparisons.ranking(club.indicators[0], P2025, viewer=club[0],
                                     shown=Group("similar", None, ("quota_online", "sconosciuto")))
    n = result.neighbours
    assert n.descriptors == ["popolazione", "quota_online"] and n.unknown_keys == ["sconosciuto"]
    assert n.own_values == ["3.000", "10"]
    by_name = {c.municipality.name: c for c in n.chosen}
    # B is as large as C but its online share is far from A's: C comes first
    assert [c.municipality.name for c in n.chosen][:2] == ["Comune C", "Comune B"]
    assert by_name["Comune B"].values == ["40.000", "90"]


def test_page_and_api_explain_the_neighbours(client, club):
    client.force_login(officer_of(club[0]))
    url = reverse("benchmarking:ranking", args=[club.indicators[0].code]) + "?periodo=2025&mostra=similar"
    html = client.get(url).content.decode()
    section = html.split('id="neighbours"')[1].split("</section>")[0]
    assert "popolazione" in section and "Comune B" in section and "40.000" in section
    assert 'id="neighbours-too-small"' in section
    plain = client.get(url.replace("mostra=similar", "mostra=all")).content.decode()
    assert 'id="neighbours"' not in plain
    data = client.get(f"/api/v1/confronti/indicatori/{club.indicators[0].code}/classifica/?periodo=2025&mostra=similar").json()
    assert data["neighbours"]["too_small"] is True
    assert [c["slug"] for c in data["neighbours"]["chosen"]][0] == "comune-b"
