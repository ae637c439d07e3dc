"""Citizens' pages of published surveys: the comune's public section, the
results page, its PDF, the index of comuni, the sitemap, the public API — and
that nothing unpublished is ever public (page, API, SQL in the public scope)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from qclub.tenancy import SCOPE_PUBLIC, acting_for, cross_tenant
from surveys.public import reports
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import survey_with_results
from tests.factories import MunicipalityFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def version():
    return questionnaire_with_every_kind()


@pytest.fixture
def trento():
    return MunicipalityFactory(name="Trento", slug="trento")


@pytest.fixture
def rovereto():
    return MunicipalityFactory(name="Rovereto", slug="rovereto")


@pytest.fixture
def surveys(trento, rovereto, version):
    """Trento: one published, one closed (not published), one draft;
    Rovereto: closed only."""
    return {
        "published": survey_with_results(trento, version, status="published", title="Anagrafe 2026",
                                         starts_on="2026-03-01", ends_on="2026-03-31", population_served=10000,
                                         answers=400),
        "closed": survey_with_results(trento, version, status="closed", title="Tributi chiusa"),
        "draft": survey_with_results(trento, version, status="draft", title="Bozza segreta"),
        "other_closed": survey_with_results(rovereto, version, status="closed", title="Rovereto chiusa"),
    }


def results_url(survey):
    return reverse("surveys:public_results", args=[survey.municipality.slug, survey.public_id])


def test_the_comunes_public_page_shows_its_published_surveys_with_key_figures(client, trento, surveys):
    html = client.get(reverse("municipality_public", args=["trento"])).content.decode()
    assert "Cosa dicono i cittadini" in html
    assert "Anagrafe 2026" in html and results_url(surveys["published"]) in html
    # index 75,0; overall 4,00 of 5; 72,5 % satisfied; NPS 12; sample 400; margin ± 4,8 points
    for text in ("75,0", "4,00 su una scala da 1 a 5", "72,5 %", ">12 <", "400 persone hanno risposto",
                 "± 4,8 punti percentuali", "Online, Questionario cartaceo"):
        assert text in html, text
    assert "Tributi chiusa" not in html and "Bozza segreta" not in html


def test_the_public_page_shows_nothing_unpublished_even_to_the_comunes_own_officer(client, trento, surveys):
    client.force_login(officer_of(trento))
    html = client.get(reverse("municipality_public", args=["trento"])).content.decode()
    assert "Anagrafe 2026" in html
    assert "Tributi chiusa" not in html and "Bozza segreta" not in html


def test_a_comune_with_nothing_published_has_no_section(client, rovereto, surveys):
    html = client.get(reverse("municipality_public", args=["rovereto"])).content.decode()
    assert "Cosa dicono i cittadini" not in html


def test_the_results_page_of_a_published_survey(client, surveys):
    response = client.get(results_url(surveys["published"]))
    assert response.status_code == 200
    html = response.content.decode()
    # a title that names its year is not followed by the year again
    assert "<title>Anagrafe 2026 — Comune di Trento — QClub</title>" in html
    assert "<h1>Anagrafe 2026</h1>" in html
    assert '<meta name="description"' in html
    assert 'id="items-table"' in html and 'data-chart="chart-items-data"' in html
    # the overall item: mean 4,00, CI 3,90–4,10, 72,5 % satisfied, distribution per point
    assert "3,90–4,10" in html and "72,5 %" in html and "4: 80" in html
    assert "dal 1 marzo 2026 al 31 marzo 2026" in html


@pytest.mark.parametrize("which", ["closed", "draft", "other_closed"])
def test_an_unpublished_surveys_results_page_is_404(client, surveys, which):
    assert client.get(results_url(surveys[which])).status_code == 404
    report = reverse("surveys:public_report", args=[surveys[which].municipality.slug, surveys[which].public_id])
    assert client.get(report).status_code == 404


def test_another_comunes_unpublished_results_are_404_for_a_member(client, trento, surveys):
    client.force_login(officer_of(trento))
    assert client.get(results_url(surveys["other_closed"])).status_code == 404
    # Even the comune's own closed survey is not public.
    assert client.get(results_url(surveys["closed"])).status_code == 404


def test_a_published_survey_under_another_comunes_slug_or_a_bad_id_is_404(client, rovereto, surveys):
    published = surveys["published"]
    assert client.get(reverse("surveys:public_results", args=["rovereto", published.public_id])).status_code == 404
    assert client.get(reverse("surveys:public_results", args=["trento", "non-un-uuid"])).status_code == 404


def test_the_public_scope_reads_no_unpublished_result_and_no_answer_by_raw_sql(surveys):
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason="test"), connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT survey_id FROM surveys_itemresult")
        visible_results = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM surveys_answer")
        answers = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM surveys_response")
        responses = cursor.fetchone()[0]
        cursor.execute("SELECT title FROM surveys_survey WHERE status = 'draft'")
        drafts = cursor.fetchall()
    assert visible_results == {surveys["published"].pk}
    assert answers == 0 and responses == 0 and drafts == []


def test_the_index_lists_only_comuni_with_published_surveys(client, surveys):
    html = client.get(reverse("surveys:public_index")).content.decode()
    assert "Comune di Trento" in html and "Rovereto" not in html
    assert "1 indagine pubblicata, l&#x27;ultima del 2026" in html or "1 indagine pubblicata" in html


def test_the_index_searches_by_name_and_paginates(client, version):
    for n in range(35):
        survey_with_results(MunicipalityFactory(name=f"Borgo {n:02d}"), version, status="published", answers=120)
    first = client.get(reverse("surveys:public_index"), {"q": "borgo"}).content.decode()
    assert "Borgo 00" in first and "Borgo 34" not in first and "Pagina 1 di 2" in first
    second = client.get(reverse("surveys:public_index"), {"q": "borgo", "pagina": 2}).content.decode()
    assert "Borgo 34" in second
    none = client.get(reverse("surveys:public_index"), {"q": "zzz"}).content.decode()
    assert "Nessun comune che contiene" in none


def test_sitemap_lists_only_published_material(client, surveys):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert results_url(surveys["published"]) in xml
    assert reverse("municipality_public", args=["trento"]) in xml
    assert reverse("surveys:public_index") in xml
    for which in ("closed", "draft", "other_closed"):
        assert str(surveys[which].public_id) not in xml
    assert "/comuni/rovereto/" not in xml


def test_robots_points_to_the_sitemap_and_keeps_reserved_pages_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text and "Disallow: /area-riservata/" in text


def test_the_pdf_report_renders_and_is_kept(client, surveys):
    published = surveys["published"]
    url = reverse("surveys:public_report", args=["trento", published.public_id])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Anagrafe 2026" in text and "Comune di Trento" in text and "75,0" in text and "3,90–4,10" in text
    kept = list(reports.report_dir().glob(f"{published.public_id}-*.pdf"))
    assert len(kept) == 1
    assert client.get(url).content == response.content


def test_a_recomputed_result_renders_a_new_pdf_and_drops_the_old(client, surveys):
    published = surveys["published"]
    url = reverse("surveys:public_report", args=["trento", published.public_id])
    client.get(url)
    with acting_for(published.municipality):
        result = published.item_results.filter(question__code="complessiva").get()
        result.mean = Decimal("4.5")
        result.save()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(url).content)).pages)
    assert "4,50" in text
    assert len(list(reports.report_dir().glob(f"{published.public_id}-*.pdf"))) == 1


def test_public_api_lists_and_reads_published_results_only(client, surveys):
    listing = client.get(reverse("api-surveys-public-list")).json()
    assert [row["title"] for row in listing["results"]] == ["Anagrafe 2026"]
    published = surveys["published"]
    data = client.get(reverse("api-surveys-public-results", args=["trento", published.public_id])).json()
    assert data["index"]["mean"] == 75.0 and data["sample"] == 400 and data["net_promoter_score"] == 12.0
    assert data["margin_of_error"] == pytest.approx(4.8, abs=0.05)
    # shares are stored 0–1 (as the results compute them) and written in percent
    assert data["share_satisfied"] == 72.5
    assert {item["code"] for item in data["items"]} == {"complessiva", "attesa", "raccomandazione"}
    for which in ("closed", "draft", "other_closed"):
        survey = surveys[which]
        url = reverse("api-surveys-public-results", args=[survey.municipality.slug, survey.public_id])
        assert client.get(url).status_code == 404


def test_the_api_schema_documents_the_survey_endpoints(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/indagini/risultati/" in schema and "/api/v1/indagini/confronti/" in schema


def test_the_results_page_speaks_the_visitors_language(client, surveys):
    response = client.get(results_url(surveys["published"]), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    # The questionnaire's own texts in English (the page's strings follow the catalogue).
    assert "EN Soddisfazione complessiva" in html


def _comment(survey, text):
    from surveys.models import Answer, Question, Response

    response = Response.objects.create(municipality=survey.municipality, survey=survey, mode="paper",
                                       received_on=datetime.date(2026, 3, 10))
    return Answer.objects.create(
        municipality=survey.municipality, response=response, survey=survey,
        question=Question.objects.get(version=survey.version, code="commenti"), text=text,
        moderation=Answer.Moderation.PENDING,
    )


def test_approved_moderated_comments_only_are_shown_to_citizens(client, trento, surveys):
    from surveys.results import services as results

    published = surveys["published"]
    with acting_for(trento):
        approved = _comment(published, "Gentilissimi, chiamatemi al 333 1234567")
        _comment(published, "Commento ancora da moderare")
        hidden = _comment(published, "Commento nascosto")
        results.premoderate(survey=published)
        results.moderate_comment(survey=published, answer_id=approved.public_id, decision=results.APPROVE,
                                 seen="pending")
        results.moderate_comment(survey=published, answer_id=hidden.public_id, decision=results.HIDE,
                                 seen="pending")
    html = client.get(results_url(published)).content.decode()
    assert "Alcuni commenti dei cittadini" in html and "Gentilissimi, chiamatemi al" in html
    assert "333 1234567" not in html  # the moderated text, never the raw one
    assert "ancora da moderare" not in html and "Commento nascosto" not in html
    pdf = client.get(reverse("surveys:public_report", args=["trento", published.public_id]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Gentilissimi" in text and "333 1234567" not in text


def test_the_sample_is_the_responses_the_results_were_computed_from(client, trento, surveys):
    from surveys.models import ItemResult

    published = surveys["published"]
    with acting_for(trento):
        ItemResult.objects.filter(survey=published).update(responses=450)
    data = client.get(reverse("api-surveys-public-results", args=["trento", published.public_id])).json()
    assert data["sample"] == 450
