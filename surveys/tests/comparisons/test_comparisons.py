"""Comparisons of surveys across comuni (members area): what is compared,
what is not, the best performer rule, peer groups, the audit, page, CSV, API."""

import pytest
from django.urls import reverse

from qclub.models import AccessAudit, Municipality, PeerGroup
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant
from surveys.comparisons import selectors
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import build_club, survey_with_results
from tests.factories import MunicipalityFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    return build_club(4)


@pytest.fixture
def member(club, client):
    user = officer_of(club.comuni[0])
    client.force_login(user)
    return user


def url(club, query=""):
    return reverse("surveys:comparison", args=[club.version.pk, 2026]) + query


def compare(club, viewer=None, **kwargs):
    viewer = viewer or club.comuni[0]
    with acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        return selectors.comparison(club.version, 2026, viewer=viewer, **kwargs)


def names(result):
    return sorted(row.municipality.name for row in result.rows)


def test_only_closed_or_published_surveys_of_the_same_version_and_year_are_compared(club):
    other = MunicipalityFactory(name="Altro anno")
    survey_with_results(other, club.version, year=2025)
    elsewhere = MunicipalityFactory(name="Altra versione")
    survey_with_results(elsewhere, questionnaire_with_every_kind(questionnaire=club.version.questionnaire, number=2))
    for status, name in (("draft", "Bozza"), ("open", "Aperta")):
        survey_with_results(MunicipalityFactory(name=name), club.version, status=status)
    published = MunicipalityFactory(name="Pubblicata")
    survey_with_results(published, club.version, status="published")
    result = compare(club)
    assert names(result) == ["Comune A", "Comune B", "Comune C", "Comune D", "Pubblicata"]


def test_the_viewers_own_open_survey_is_not_compared(club):
    # The club scope also shows the viewer's own rows: the status filter keeps them out.
    survey_with_results(club.comuni[0], club.version, status="open", title="In corso")
    assert [row.survey_title for row in compare(club).rows].count("In corso") == 0


def test_surveys_under_the_minimum_sample_are_listed_not_compared(club, settings):
    settings.SURVEYS_MIN_COMPARISON_SAMPLE = 100
    small = MunicipalityFactory(name="Piccolo")
    survey_with_results(small, club.version, answers=60)
    result = compare(club)
    assert "Piccolo" not in names(result)
    assert [(i.municipality.name, i.sample) for i in result.insufficient] == [("Piccolo", 60)]
    # The sample is the most answers, «non so» included, any item got: 60 here.
    settings.SURVEYS_MIN_COMPARISON_SAMPLE = 60
    assert "Piccolo" in names(compare(club))


def test_best_performer_marked_when_its_interval_is_above_every_other(club):
    best = MunicipalityFactory(name="Eccellente")
    survey_with_results(best, club.version, overall=4.6)  # 4,5–4,7 against at most 3,8–4,0
    result = compare(club, measure_code="complessiva")
    assert result.best.municipality.name == "Eccellente"
    assert [row.municipality.name for row in result.rows if row.is_best] == ["Eccellente"]


def test_no_best_performer_when_intervals_overlap(club):
    # Comune D 3,9 (3,8–4,0) and Comune C 3,8 (3,7–3,9): overlapping.
    result = compare(club, measure_code="complessiva")
    assert result.best is None
    assert not any(row.is_best for row in result.rows)


def test_the_index_is_compared_by_default(club):
    result = compare(club)
    assert result.measure.is_index and len(result.rows) == 4
    assert result.theta == pytest.approx(75.0)


def test_club_mean_and_funnel_positions_come_from_the_stored_figures(club):
    result = compare(club, measure_code="complessiva")
    # 200 answers each: θ = (3,6 + 3,7 + 3,8 + 3,9) / 4 = 3,75; σ = 0,9; at n = 200
    # σ/√n = 0,0636: 95 % limits 3,75 ± 0,1247, 99,8 % limits 3,75 ± 0,1967.
    assert result.theta == pytest.approx(3.75)
    assert result.sigma == pytest.approx(0.9)
    positions = {row.municipality.name: row.position for row in result.rows}
    assert positions == {"Comune A": "below_95", "Comune B": "within", "Comune C": "within",
                         "Comune D": "above_95"}
    # A comune 0,25 above the mean with 200 answers is beyond the 99,8 % limits (3,9467).
    survey_with_results(MunicipalityFactory(name="Alto"), club.version, overall=4.0)
    high = compare(club, measure_code="complessiva")
    assert {r.municipality.name: r.position for r in high.rows}["Alto"] == "above_998"


def test_peer_group_limits_the_comuni_compared(club):
    group = PeerGroup.objects.create(name="Capoluoghi")
    group.members.set([club.comuni[1], club.comuni[2]])
    result = compare(club, group=group)
    assert names(result) == ["Comune B", "Comune C"]


def test_unknown_measure_or_group_is_404(member, client, club):
    assert client.get(url(club, "?misura=nessuna")).status_code == 404
    assert client.get(url(club, "?gruppo=999999")).status_code == 404
    assert client.get(url(club, "?gruppo=abc")).status_code == 404
    assert client.get(reverse("surveys:comparison", args=[club.version.pk, 99999])).status_code == 404
    assert client.get(reverse("surveys:comparison", args=[999999, 2026])).status_code == 404


def test_member_reads_the_comparison_page_and_the_audit_records_it(member, client, club):
    AccessAudit.objects.all().count()  # the audit is written on a connection of its own
    before = AccessAudit.objects.filter(scope=SCOPE_CLUB, user=member).count()
    response = client.get(url(club, "?misura=complessiva"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Comune D" in html and "3,90" in html and "3,80–4,00" in html
    assert "Nessun comune si distingue" in html
    assert 'data-chart="chart-funnel-data"' in html and 'id="comparison-table"' in html
    audits = AccessAudit.objects.filter(scope=SCOPE_CLUB, user=member)
    assert audits.count() == before + 1
    assert audits.order_by("-at").first().reason.startswith("indagini: confronto")


def test_comparisons_index_lists_the_version_and_year(member, client, club):
    response = client.get(reverse("surveys:comparisons"))
    assert response.status_code == 200
    assert url(club) in response.content.decode()


def test_members_area_offers_the_comparison(member, client):
    response = client.get(reverse("members_area"))
    assert reverse("surveys:comparisons") in response.content.decode()


def test_csv_is_italian(member, client, club):
    response = client.get(url(club, "?export=csv"))
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "\r\n" in body
    header, *lines = body.lstrip("\ufeff").split("\r\n")
    assert header.split(";")[:4] == ["questionario", "versione", "anno", "misura"]
    assert any(";3,9000;3,8000;4,0000;" in line for line in lines)


def test_csv_never_contains_single_answers_and_lists_insufficient(member, client, club):
    survey_with_results(MunicipalityFactory(name="Piccolo"), club.version, answers=20)
    body = client.get(url(club, "?export=csv")).content.decode("utf-8")
    assert "Piccolo" in body and "campione insufficiente" in body


def test_anonymous_is_sent_to_login_and_a_candidate_comune_is_refused(client, club):
    assert client.get(url(club)).status_code == 302
    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    client.force_login(officer_of(candidate))
    assert client.get(url(club)).status_code == 403
    assert client.get(reverse("surveys:comparisons")).status_code == 403


def test_api_compares_for_members_only(member, client, club):
    api = reverse("api-surveys-comparison", args=[club.version.pk, 2026])
    data = client.get(api, {"misura": "complessiva"}).json()
    assert [row["comune_name"] for row in data["rows"]] == ["Comune D", "Comune C", "Comune B", "Comune A"]
    assert data["club_mean"] == pytest.approx(3.75) and data["rows"][0]["ci_low"] == pytest.approx(3.8)
    client.logout()
    assert client.get(api).status_code in (401, 403)


def test_api_members_results_of_a_closed_survey_but_never_an_open_one(member, client, club):
    other = MunicipalityFactory(name="Altro")
    closed = survey_with_results(other, club.version, status="closed")
    opened = survey_with_results(other, club.version, status="open", title="In corso")
    ok = client.get(reverse("api-surveys-members-results", args=[other.slug, closed.public_id]))
    assert ok.status_code == 200 and ok.json()["sample"] == 200
    assert client.get(reverse("api-surveys-members-results", args=[other.slug, opened.public_id])).status_code == 404


def test_a_version_with_only_drafts_or_open_surveys_is_not_offered(member, client, club):
    other = questionnaire_with_every_kind()
    survey_with_results(MunicipalityFactory(name="Bozza"), other, status="draft")
    survey_with_results(club.comuni[0], other, status="open")
    html = client.get(reverse("surveys:comparisons")).content.decode()
    assert reverse("surveys:comparison", args=[other.pk, 2026]) not in html


def test_the_page_compares_within_the_chosen_peer_group(member, client, club):
    group = PeerGroup.objects.create(name="Capoluoghi")
    group.members.set([club.comuni[2], club.comuni[3]])
    html = client.get(url(club, f"?gruppo={group.pk}")).content.decode()
    table = html[html.index('id="comparison-table"'):]
    assert "Comune C" in table and "Comune D" in table and "Comune B" not in table
    assert "Gruppo «Capoluoghi»" in html


def test_the_chart_labels_lead_with_the_comune_and_name_a_survey_only_to_tell_two_apart(club):
    """On a phone plotly shows only the end of a long label: the comune comes first
    and alone, unless it has two surveys in the comparison (same labels would merge)."""
    from surveys.comparisons import charts

    twice = club.comuni[1]
    survey_with_results(twice, club.version, title="Anagrafe, sede decentrata")
    result = compare(club)
    figure, _summary = charts.dot_and_whisker(result, result.rows)
    labels = figure["data"][0]["y"]
    assert club.comuni[2].name in labels
    assert f"{twice.name} — Anagrafe, sede decentrata" in labels and f"{twice.name} — Anagrafe {twice.name}" in labels
    assert len(set(labels)) == len(labels)


# --- Bounded reads (issue #10): one page, the viewer's row, SQL statistics, funnel cells ---


def test_the_page_lists_one_page_and_the_viewers_survey_on_another(member, client, club, monkeypatch):
    from surveys.comparisons import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    # «complessiva»: D 3,9, C 3,8, B 3,7, A 3,6 — the viewer (Comune A) is on page 2.
    html = client.get(url(club, "?misura=complessiva")).content.decode()
    table = html[html.index('id="comparison-table"'):html.index("</table>", html.index('id="comparison-table"'))]
    page_rows = table[:table.index('id="own-rows"')]
    assert "Comune D" in page_rows and "Comune C" in page_rows and "Comune B" not in page_rows
    own = table[table.index('id="own-rows"'):]
    assert "Comune A" in own and "pagina=2" in own
    assert 'id="compared-count">4<' in html and "Pagina 1 di 2" in html
    second = client.get(url(club, "?misura=complessiva&pagina=2")).content.decode()
    assert 'id="own-rows"' not in second and "Comune A" in second
    # Past the last page: the last one, not an error.
    assert "Pagina 2 di 2" in client.get(url(club, "?misura=complessiva&pagina=99")).content.decode()
    assert client.get(url(club, "?misura=complessiva&pagina=abc")).status_code == 200


def test_the_selector_returns_only_the_page_the_viewer_and_the_best(club):
    best = MunicipalityFactory(name="Eccellente")
    survey_with_results(best, club.version, overall=4.6)
    result = compare(club, measure_code="complessiva", offset=1, limit=2)
    assert [row.municipality.name for row in result.rows] == ["Comune D", "Comune C"]
    assert [row.order for row in result.rows] == [2, 3]
    assert result.total == 5
    assert [row.municipality.name for row in result.own] == ["Comune A"]
    assert result.best.municipality.name == "Eccellente" and result.best.order == 1


def test_statistics_from_sql_equal_the_python_reference(club):
    """The club mean, pooled spread, funnel positions and best performer computed by
    PostgreSQL equal statistics.py's functions over the same stored figures."""
    from surveys.comparisons import statistics

    for i, (answers, overall, sd, half) in enumerate(
        [(120, 3.1, 1.2, 0.2), (900, 3.95, 0.7, 0.05), (450, 3.72, 0.95, 0.09), (2000, 3.8, 1.05, 0.04),
         (150, 4.3, 0.6, 0.1), (333, 3.5, 1.4, 0.15)]
    ):
        comune = MunicipalityFactory(name=f"Casuale {i}")
        survey_with_results(comune, club.version, answers=answers, overall=overall, half_width=half)
        from surveys.models import ItemResult

        with acting_for(comune):
            ItemResult.objects.filter(survey__municipality=comune, question__code="complessiva").update(std_dev=sd)
    for measure in ("complessiva", "attesa", "indice"):
        result = compare(club, measure_code=measure, limit=1000)
        points = [row.point for row in result.rows]
        assert len(points) == result.total == 10
        assert result.theta == pytest.approx(statistics.club_mean(points), rel=1e-12)
        assert result.sigma == pytest.approx(statistics.pooled_sd(points), rel=1e-12)
        for row in result.rows:
            assert row.position == statistics.funnel_position(row.point, result.theta, result.sigma)
        expected_best = statistics.best_performer(points)
        assert (result.best.survey_public_id if result.best else None) == expected_best
        means = [row.mean for row in result.rows]
        assert means == sorted(means, reverse=True)
        positions = {}
        for row in result.rows:
            positions[row.position] = positions.get(row.position, 0) + 1
        assert result.positions == positions
    # A comune beyond every interval: the same best performer both ways.
    survey_with_results(MunicipalityFactory(name="Eccellente"), club.version, overall=4.9, half_width=0.01)
    result = compare(club, measure_code="complessiva", limit=1000)
    assert result.best.municipality.name == "Eccellente"
    assert statistics.best_performer([row.point for row in result.rows]) == result.best.survey_public_id


def test_the_funnel_plot_is_drawn_from_a_bounded_number_of_cells(club, monkeypatch):
    import json

    from surveys.comparisons import charts

    for i in range(8):
        survey_with_results(MunicipalityFactory(name=f"Altro {i}"), club.version, answers=150 + 40 * i,
                            overall=3.5 + 0.05 * i)
    result = compare(club, measure_code="complessiva")
    # Few surveys: a cell each, named.
    assert sum(cell.surveys for cell in result.funnel_cells) == result.total - 1  # the viewer drawn apart
    monkeypatch.setattr(selectors, "CELLS", 2)
    result = compare(club, measure_code="complessiva")
    assert len(result.funnel_cells) <= 4
    assert sum(cell.surveys for cell in result.funnel_cells) == result.total - 1
    figure, summary = charts.funnel(result)
    points = figure["data"][-2]
    assert len(points["x"]) == len(result.funnel_cells) and "riunite" in summary
    viewer = figure["data"][-1]
    assert viewer["text"] == ["▶ Comune A"]
    assert len(json.dumps(figure)) < 50_000


def test_the_insufficient_list_is_bounded_but_counted(member, client, club, monkeypatch, settings):
    settings.SURVEYS_MIN_COMPARISON_SAMPLE = 100
    for name in ("Piccolo 1", "Piccolo 2", "Piccolo 3"):
        survey_with_results(MunicipalityFactory(name=name), club.version, answers=30)
    monkeypatch.setattr(selectors, "INSUFFICIENT_LISTED", 2)
    result = compare(club)
    assert result.insufficient_total == 3
    assert [i.municipality.name for i in result.insufficient] == ["Piccolo 1", "Piccolo 2"]
    html = client.get(url(club)).content.decode()
    assert "Piccolo 2" in html and "Piccolo 3" not in html and "Elencate le prime 2 di 3 indagini" in html
    body = client.get(url(club, "?export=csv")).content.decode("utf-8")
    assert "Piccolo 3" in body


def test_api_pages_are_bounded_and_carry_the_viewers_row(member, client, club):
    api = reverse("api-surveys-comparison", args=[club.version.pk, 2026])
    data = client.get(api, {"misura": "complessiva", "limit": 2}).json()
    assert data["count"] == 4 and [row["comune_name"] for row in data["rows"]] == ["Comune D", "Comune C"]
    assert [row["comune_name"] for row in data["own"]] == ["Comune A"]
    assert data["next"] and "offset=2" in data["next"] and data["previous"] is None
    second = client.get(data["next"]).json()
    assert [row["comune_name"] for row in second["rows"]] == ["Comune B", "Comune A"] and second["own"] == []
    assert client.get(api, {"limit": 501}).status_code == 400
    assert client.get(api, {"offset": "-1"}).status_code == 400


def test_api_default_page_is_the_projects_page_size(member, client, club, monkeypatch):
    from qclub.pagination import BoundedLimitOffsetPagination

    monkeypatch.setattr(BoundedLimitOffsetPagination, "default_limit", 3)
    api = reverse("api-surveys-comparison", args=[club.version.pk, 2026])
    data = client.get(api).json()
    assert len(data["rows"]) == 3 and data["count"] == 4


def test_the_sample_is_the_one_stored_samples_gives(club):
    """The statement's sample rule is results.selectors.stored_samples': the responses
    stored with the results, else the most answers («non so» included) of any item."""
    from surveys.models import ItemResult
    from surveys.results.selectors import stored_samples

    counted = club.surveys[1]
    with acting_for(counted.municipality):
        ItemResult.objects.filter(survey=counted).update(responses=321)
    result = compare(club, measure_code="attesa", limit=1000)
    with acting_for(club.comuni[0]), cross_tenant(scope=SCOPE_CLUB, reason="test"):
        expected = stored_samples([survey.pk for survey in club.surveys])
    by_survey = {survey.public_id: survey.pk for survey in club.surveys}
    assert {by_survey[row.survey_public_id]: row.sample for row in result.rows} == expected
    assert expected[counted.pk] == 321 and expected[club.surveys[0].pk] == 200
