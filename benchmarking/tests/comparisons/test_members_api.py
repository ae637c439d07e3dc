"""Members-area API: members only, approved figures only, the same figures as the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from benchmarking.tests.factories import DRAFT_FIGURE, SECRET_JUSTIFICATION, SECRET_NOTE
from qclub.models import Municipality
from tests.factories import MunicipalityFactory, officer_of


@pytest.fixture
def api(club):
    client = APIClient()
    client.force_authenticate(officer_of(club[0]))
    return client


def endpoints(club):
    code = club.indicators[0].code
    return [
        reverse("api_members_ranking", args=[code]) + "?periodo=2025",
        reverse("api_members_summary", args=[code]) + "?periodo=2025",
        reverse("api_members_trend", args=[code]) + f"?comuni={club[0].slug},{club[1].slug}",
        reverse("api_members_scorecard") + f"?periodo=2025&comune={club[1].slug}",
    ]


def test_member_reads_every_endpoint_without_drafts_notes_or_justifications(api, club):
    for url in endpoints(club) + [reverse("api_members_ranking", args=[club.indicators[0].code]) + "?periodo=2026"]:
        response = api.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (SECRET_NOTE, SECRET_JUSTIFICATION, str(DRAFT_FIGURE)):
            assert secret not in body, (url, secret)


def test_non_member_and_anonymous_are_refused(club):
    client = APIClient()
    for url in endpoints(club):
        assert client.get(url).status_code in (401, 403), url
    client.force_authenticate(officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE)))
    for url in endpoints(club):
        assert client.get(url).status_code == 403, url


def test_ranking_json_has_the_figures_of_the_page(api, club, client):
    data = api.get(reverse("api_members_ranking", args=[club.indicators[0].code]) + "?periodo=2025").json()
    assert [row["comune"] for row in data["rows"]][:1] == ["Comune E"]
    assert [Decimal(row["value"]) for row in data["rows"]] == [400, 300, 200, 200, 100]
    assert [row["rank"] for row in data["rows"]] == [1, 2, 3, 3, 5]
    summary = data["summary"]
    assert Decimal(summary["median"]) == 200 and summary["best_comuni"] == [club[4].slug]
    assert round(Decimal(summary["club_ratio"]), 1) == Decimal("233.3")
    assert [row["slug"] for row in data["not_applicable"]] == [club[5].slug]
    client.force_login(officer_of(club[0]))
    html = client.get(reverse("benchmarking:ranking", args=[club.indicators[0].code]) + "?periodo=2025").content.decode()
    summary_html = html.split('id="summary"')[1].split("</table>")[0]
    assert "200,0" in summary_html and "233,3" in summary_html and "Comune E" in summary_html


def test_peer_group_parameters_are_the_pages(api, club):
    url = reverse("api_members_ranking", args=[club.indicators[0].code])
    data = api.get(url + "?periodo=2025&mostra=all&statistiche=region").json()
    assert len(data["rows"]) == 5 and data["summary"]["reported"] == 3 and data["summary"]["basis"] == "region"


def test_suppressed_summary_has_no_best(api, club, settings):
    settings.BENCHMARK_MIN_REPORTERS = 10
    data = api.get(reverse("api_members_summary", args=[club.indicators[0].code]) + "?periodo=2025").json()
    assert data["suppressed"] and data["best"] is None and data["best_comuni"] == []


def test_scorecard_and_trend(api, club):
    data = api.get(reverse("api_members_scorecard") + f"?periodo=2025&comune={club[4].slug}").json()
    line = next(line for line in data["lines"] if line["indicator"] == club.indicators[0].code)
    assert line["light"] == "green" and line["rank"] == 1 and Decimal(line["value"]) == 400
    data = api.get(reverse("api_members_trend", args=[club.indicators[0].code]) + f"?comuni={club[4].slug}").json()
    assert data["comuni"] == [club[4].slug]
    assert Decimal(data["points"][0]["values"][club[4].slug]) == 400


def test_the_national_ranking_comes_in_keyset_pages(api, club):
    url = reverse("api_members_ranking", args=[club.indicators[0].code]) + "?periodo=2025&quanti=2"
    slugs, ranks, after, pages = [], [], None, 0
    while True:
        data = api.get(url + (f"&dopo={after}" if after else "")).json()
        pages += 1
        slugs += [row["slug"] for row in data["rows"]]
        ranks += [row["rank"] for row in data["rows"]]
        assert data["summary"]["reported"] == 5 and data["summary"]["best_comuni"] == [club[4].slug]
        after = data["next_after"]
        if after is None:
            break
    whole = api.get(reverse("api_members_ranking", args=[club.indicators[0].code]) + "?periodo=2025").json()
    assert pages == 3 and whole["next_after"] is None
    assert slugs == [row["slug"] for row in whole["rows"]] and ranks == [1, 2, 3, 3, 5]


@pytest.mark.parametrize("size", ["0", "1001", "tanti", "-1"])
def test_a_bad_page_size_is_a_clear_400(api, club, size):
    response = api.get(reverse("api_members_ranking", args=[club.indicators[0].code]) + f"?periodo=2025&quanti={size}")
    assert response.status_code == 400 and "quanti" in response.json()
