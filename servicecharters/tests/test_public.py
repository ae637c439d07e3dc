"""The citizens' pages of the service charters: the comune's list and public
page section, a charter's version in force with its sections, standards and
published monitoring, previous versions, the PDF and the sitemap. What is
not published (a draft, a version in approval or approved, this year's
monitoring) never shows, not even to the comune's own officer signed in."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from qclub.tenancy import acting_for
from servicecharters.charters import services
from servicecharters.models import CharterVersion, MonitoringReport
from servicecharters.monitoring import services as monitoring
from servicecharters.public import presentation, selectors
from servicecharters.tests.factories import LAST, build_public_charter
from tests.factories import MunicipalityFactory, ServiceFactory

pytestmark = pytest.mark.django_db
S = CharterVersion.Status
SECRET = "Testo riservato della bozza"


@pytest.fixture(autouse=True)
def pdf_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "charter-pdfs"


@pytest.fixture
def world(comune_a, service, officer_a, manager_a):
    return build_public_charter(comune_a, service, officer_a, manager_a)


def _charter_url(world, slug="trento"):
    return reverse("charters_public:charter", args=[slug, world.service.code])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def next_version(world, officer_a, comune_a):
    """Version 3 of the charter, a draft with a text of its own."""
    with acting_for(comune_a):
        draft = services.start_new_version(charter=world.charter, acting_user=officer_a)
        return services.update_draft(version=draft, lock_version=draft.lock_version, acting_user=officer_a,
                                     presentation=SECRET, change_summary=SECRET)


# --- The pages ------------------------------------------------------------------


def test_the_list_shows_each_published_charter_with_its_latest_monitoring(world, client):
    response = client.get(reverse("charters_public:list", args=["trento"]))
    assert response.status_code == 200
    text = _text(response)
    assert "Carte dei servizi del Comune di Trento" in text
    assert world.service.name in text
    assert f"1 standard rispettato su 2 nel {LAST}" in text
    assert f"1 gennaio {LAST}" in text  # in force since, the Italian way
    assert _charter_url(world) in text
    assert reverse("charters_public:pdf", args=["trento", world.service.code]) in text


def test_a_comune_with_no_published_charter_has_an_empty_list(comune_b, client):
    response = client.get(reverse("charters_public:list", args=[comune_b.slug]))
    assert response.status_code == 200
    assert "non ha ancora pubblicato carte dei servizi" in _text(response)


def test_the_comune_public_page_lists_its_charters(world, client):
    text = _text(client.get(reverse("municipality_public", args=["trento"])))
    assert ">Carte dei servizi</h2>" in text
    assert _charter_url(world) in text
    assert f"su 2 nel {LAST}" in text
    assert reverse("charters_public:list", args=["trento"]) in text


def test_the_charter_page_shows_every_section_with_its_anchor_in_the_index(world, client):
    response = client.get(_charter_url(world))
    assert response.status_code == 200
    text = _text(response)
    assert '<h1 id="charter-title">Carta dei servizi dell&#x27;anagrafe</h1>' in text
    assert "Comune di Trento" in text and "Versione</dt><dd class=\"col-sm-9\">2<" in text
    for anchor, heading in (("il-servizio", "Il servizio"), ("come-accedere", "Come accedere"),
                            ("orari-e-sedi", "Orari e sedi"), ("costi", "Costi"),
                            ("diritti-e-doveri", "Diritti e doveri degli utenti"),
                            ("reclami", "Come presentare un reclamo"),
                            ("soddisfazione", "Come misuriamo la soddisfazione"),
                            ("standard", "Gli standard di qualità"), ("monitoraggio", "Il monitoraggio"),
                            ("versioni-precedenti", "Versioni precedenti")):
        assert f'<a href="#{anchor}">{heading}</a>' in text, anchor
        assert f'id="{anchor}"' in text and f'<h2 id="{anchor}-titolo">{heading}</h2>' in text, anchor
    # The Markdown rendered, its own headings below the section's h2.
    assert "<strong>anagrafe</strong>" in text and "<h4>Per chi</h4>" in text
    assert "Orari estesi al sabato." in text  # what changed in this version


def test_the_standards_read_as_promises_beside_their_published_results(world, client):
    text = _text(client.get(_charter_url(world)))
    assert "entro 15 minuti" in text
    assert "entro 20 giorni lavorativi nel 95 % dei casi" in text
    assert "Un buono di 10 euro: chiedilo allo sportello entro 30 giorni." in text
    assert "Tempestività" in text and "Specifico" in text and "Generale" in text
    # The waiting time: 17,3 minutes (not met) then 14 (met, better); the answers: 96 % then 93,5 %.
    assert f"{LAST - 1}</span>: 17,3 minuti" in text
    assert re.search(rf"{LAST}</span>: 14 minuti — <svg[^>]*icon-success[^>]*aria-hidden=\"true\"", text)
    assert "rispettato</span>; " in text and "in miglioramento" in text
    assert f"{LAST}</span>: 93,5 % dei casi" in text and "in peggioramento" in text
    assert "non rispettato" in text
    assert "Tempi di attesa ridotti grazie alle prenotazioni." in text  # the published report's comment


def test_the_page_links_the_complaint_form_and_what_citizens_say(world, client):
    text = _text(client.get(_charter_url(world)))
    form = reverse("complaints:public_form", args=["trento"])
    assert f'href="http://testserver{form}"' in text
    assert "Presenta un reclamo al Comune di Trento" in text
    # The complaint link comes right after the complaint section's text.
    assert text.index("Puoi presentare un reclamo con il modulo online") < text.index(form) < text.index('id="soddisfazione"')
    assert "Che cosa dicono i cittadini del servizio" in text


def test_the_page_is_printable_with_a_print_stylesheet_and_no_inline_css(world, client):
    text = _text(client.get(_charter_url(world)))
    assert re.search(r'<link rel="stylesheet" href="/static/css/charters-print\.css" media="print">', text)
    assert " style=" not in text and "<style" not in text


def test_a_previous_version_is_readable_and_says_it_is_no_longer_in_force(world, client):
    text = _text(client.get(_charter_url(world)))
    old = reverse("charters_public:version", args=["trento", world.service.code, 1])
    assert f'<a href="{old}">Versione 1</a>' in text
    assert f"in vigore dal 1 gennaio {LAST - 1}, sostituita il" in text
    response = client.get(old)
    assert response.status_code == 200
    text = _text(response)
    assert "non più in vigore" in text and "Leggi la versione in vigore (versione 2)" in text
    # Only the year it was in force, judged against its own promise.
    assert f"{LAST - 1}</span>: 17,3 minuti" in text and f"{LAST}</span>:" not in text
    assert "Orari estesi al sabato." not in text


def test_the_version_in_force_asked_by_number_leads_to_the_charter_page(world, client):
    response = client.get(reverse("charters_public:version", args=["trento", world.service.code, 2]))
    assert response.status_code == 302 and response["Location"] == _charter_url(world)


@pytest.mark.parametrize("url", [
    lambda w: reverse("charters_public:list", args=["nessun-comune"]),
    lambda w: reverse("charters_public:charter", args=["nessun-comune", w.service.code]),
    lambda w: reverse("charters_public:charter", args=["trento", "nessun-servizio"]),
    lambda w: reverse("charters_public:version", args=["trento", w.service.code, 9]),
    lambda w: reverse("charters_public:version", args=["trento", w.service.code, 0]),
    lambda w: f"/comuni/trento/carte-dei-servizi/{w.service.code}/versione/99999999999999999999999/",
    lambda w: reverse("charters_public:pdf", args=["trento", "nessun-servizio"]),
])
def test_unknown_comune_service_or_version_is_404(world, client, url):
    assert client.get(url(world)).status_code == 404


# --- Isolation: what is not published never shows ---------------------------------


def test_the_comunes_own_officer_does_not_see_their_draft_on_the_public_page(world, next_version, client, officer_a):
    client.force_login(officer_a)  # their comune is active for the request
    response = client.get(_charter_url(world))
    assert response.status_code == 200
    text = _text(response)
    assert SECRET not in text and "Orari estesi al sabato." in text
    assert client.get(reverse("charters_public:version", args=["trento", world.service.code, 3])).status_code == 404
    assert "Versione 3" not in text


def test_an_approved_version_not_yet_published_is_404(world, next_version, client, officer_a, manager_a, comune_a):
    with acting_for(comune_a):
        services.submit(version=next_version, acting_user=officer_a)
        services.approve(version=next_version, acting_user=manager_a)
    url = reverse("charters_public:version", args=["trento", world.service.code, 3])
    for user in (None, officer_a, manager_a):
        if user:
            client.force_login(user)
        assert client.get(url).status_code == 404
        text = _text(client.get(_charter_url(world)))
        assert SECRET not in text and "Versione</dt><dd class=\"col-sm-9\">2<" in text
        assert SECRET.encode() not in client.get(reverse("charters_public:pdf", args=["trento", world.service.code])).content


@pytest.mark.parametrize("status", ["draft", "in_approval", "approved"])
def test_a_charter_never_published_is_404_and_not_listed(comune_a, officer_a, manager_a, client, status):
    other = ServiceFactory(name="Biblioteca civica")
    with acting_for(comune_a):
        version = services.create_charter(municipality=comune_a, service=other, acting_user=officer_a)
        version = services.update_draft(version=version, lock_version=version.lock_version, acting_user=officer_a,
                                        presentation=SECRET, complaints="Con il modulo.")
        services.save_standard(version=version, acting_user=officer_a, dimension="accessibility",
                               kind="general", title="Aperta il sabato", comparator="yes_no")
        if status != "draft":
            services.submit(version=version, acting_user=officer_a)
        if status == "approved":
            services.approve(version=version, acting_user=manager_a)
    client.force_login(manager_a)
    assert client.get(reverse("charters_public:charter", args=["trento", other.code])).status_code == 404
    assert client.get(reverse("charters_public:pdf", args=["trento", other.code])).status_code == 404
    assert client.get(reverse("charters_public:version", args=["trento", other.code, 1])).status_code == 404
    for url in (reverse("charters_public:list", args=["trento"]), reverse("municipality_public", args=["trento"])):
        text = _text(client.get(url))
        assert "Biblioteca civica" not in text and SECRET not in text


def test_unpublished_monitoring_never_shows(world, client, officer_a):
    """This year's results (41,7 minutes; 11,3 %) are computed but not published."""
    for user in (None, officer_a):
        if user:
            client.force_login(user)
        for url in (_charter_url(world), reverse("charters_public:list", args=["trento"]),
                    reverse("municipality_public", args=["trento"])):
            text = _text(client.get(url))
            assert "41,7" not in text and "11,3" not in text, url
            assert f"nel {LAST + 1}" not in text and f"Anno {LAST + 1}" not in text, url
        pdf = _pdf_text(client.get(reverse("charters_public:pdf", args=["trento", world.service.code])).content)
        assert "41,7" not in pdf and "11,3" not in pdf


def test_another_comunes_charter_is_404_under_the_wrong_slug(world, comune_b, client, officer_b):
    for user in (None, officer_b):
        if user:
            client.force_login(user)
        assert client.get(_charter_url(world, slug=comune_b.slug)).status_code == 404
        assert client.get(reverse("charters_public:version", args=[comune_b.slug, world.service.code, 1])).status_code == 404
        assert client.get(reverse("charters_public:pdf", args=[comune_b.slug, world.service.code])).status_code == 404
        assert world.service.name not in _text(client.get(reverse("charters_public:list", args=[comune_b.slug])))


def test_the_selectors_refuse_to_run_outside_the_public_read(world, comune_a):
    with acting_for(comune_a), pytest.raises(selectors.NotInPublicRead):
        selectors.published_charters(comune_a)
    with acting_for(None), pytest.raises(selectors.NotInPublicRead):
        selectors.charter_get(comune_a, world.service.code)


def test_the_public_read_sees_only_published_and_superseded_versions(world, next_version, comune_a):
    """The database is what hides the draft: unfiltered, the public read
    still sees versions 1 and 2 only."""
    with selectors.public_read("test"):
        assert sorted(CharterVersion.objects.values_list("number", flat=True)) == [1, 2]


# --- PDF and sitemap -----------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_is_tagged_with_its_title_and_language_and_holds_the_standards(world, client):
    response = client.get(reverse("charters_public:pdf", args=["trento", world.service.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"carta-dei-servizi-trento-{world.service.code}-v2.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    assert str(root["/Lang"]).startswith("it")
    assert reader.metadata.title == "Carta dei servizi dell'anagrafe — Comune di Trento"
    text = _pdf_text(response.content)
    for expected in ("Comune di Trento", "Attesa media allo sportello", "Risposta ai reclami",
                     "entro 20 giorni lavorativi nel 95 % dei casi", "entro 15 minuti",
                     "Un buono di 10 euro", f"{LAST}: 14 minuti", "Il servizio", "Come presentare un reclamo",
                     f"In vigore dal 1 gennaio {LAST}", "Tempi di attesa ridotti"):
        assert expected in text, expected


def test_the_pdf_is_kept_and_rendered_again_when_a_year_is_published(world, client, comune_a, manager_a, pdf_folder):
    url = reverse("charters_public:pdf", args=["trento", world.service.code])
    first = client.get(url).content
    assert client.get(url).content == first and len(list(pdf_folder.glob("*.pdf"))) == 1
    with acting_for(comune_a):
        report = MonitoringReport.objects.get(charter=world.charter, year=LAST + 1)
        monitoring.publish_report(report=report, acting_user=manager_a)
    text = _pdf_text(client.get(url).content)
    assert f"{LAST + 1}: 41,7 minuti" in text
    assert len(list(pdf_folder.glob("*.pdf"))) == 1  # the older file removed


def test_the_sitemap_lists_published_charters_only(world, comune_a, officer_a, client):
    other = ServiceFactory()
    with acting_for(comune_a):
        services.create_charter(municipality=comune_a, service=other, acting_user=officer_a)
    text = client.get("/sitemap.xml").content.decode()
    assert f"/comuni/trento/carte-dei-servizi/{world.service.code}/</loc>" in text
    assert "/comuni/trento/carte-dei-servizi/</loc>" in text
    assert other.code not in text


# --- The promise in words ---------------------------------------------------------------


@pytest.mark.parametrize(("terms", "expected"), [
    ({"comparator": "at_most", "kind": "general", "target_value": "20", "unit": "giorni lavorativi"},
     "entro 20 giorni lavorativi"),
    ({"comparator": "at_most", "kind": "general", "target_value": "2.5", "unit": "%"}, "al massimo 2,5 %"),
    ({"comparator": "at_least", "kind": "general", "target_value": "1200", "unit": "ore"}, "almeno 1.200 ore"),
    ({"comparator": "at_most", "kind": "specific", "target_value": "30", "unit": "giorni", "compliance_pct": "100"},
     "entro 30 giorni, in ogni caso"),
    ({"comparator": "yes_no", "kind": "general"}, "garantito"),
])
def test_a_promise_reads_in_italian(terms, expected):
    from decimal import Decimal

    from servicecharters.models import CharterStandard

    values = {k: Decimal(v) if k in ("target_value", "compliance_pct") else v for k, v in terms.items()}
    assert presentation.promise(CharterStandard(**values)) == expected


def test_a_comune_that_is_not_a_member_gets_no_complaint_link(world, client, comune_a):
    type(comune_a).objects.filter(pk=comune_a.pk).update(status="candidate")
    text = _text(client.get(_charter_url(world)))
    assert "Presenta un reclamo" not in text


def test_unknown_service_of_a_known_comune_without_charters_is_404(client):
    comune = MunicipalityFactory(slug="rovereto")
    service = ServiceFactory()
    assert client.get(reverse("charters_public:charter", args=[comune.slug, service.code])).status_code == 404


def test_the_list_reads_the_same_few_queries_whatever_the_number_of_charters(
    world, comune_a, officer_a, manager_a, client
):
    url = reverse("charters_public:list", args=["trento"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    other = ServiceFactory()
    build_public_charter(comune_a, other, officer_a, manager_a)
    with CaptureQueriesContext(connection) as two:
        text = _text(client.get(url))
    assert other.name in text
    assert len(two.captured_queries) == len(one.captured_queries)
