"""An officer writes a charter with the keyboard only: a new charter from the
club's model of the service (listed by htmx as the service is chosen), the
draft's texts with their live preview, then the draft sent for approval."""

import os

import pytest
from django.db import connection

from qclub.tenancy import acting_for
from servicecharters.models import CharterTemplate, CharterVersion, TemplateStandard
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, ServiceFactory, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    service = ServiceFactory(code="biblioteche", name="Biblioteche di pubblica lettura")
    template = CharterTemplate.objects.create(
        service=service, title="Carta della biblioteca civica", presentation="La biblioteca è aperta a tutti.",
        complaints="Con il modulo online.",
    )
    TemplateStandard.objects.create(
        template=template, dimension="accessibility", kind="general", title="Ore di apertura settimanale",
        comparator="at_least", target_value=50, unit="ore",
    )
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    return officer_of(comune)


def press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def test_creating_editing_and_submitting_a_charter_with_the_keyboard(officer, live_url, browser_page):
    page = browser_page
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(f"{live_url}/carte-dei-servizi/")
    press(page, page.get_by_role("link", name="Crea la prima carta"))
    page.get_by_role("heading", level=1, name="Nuova carta dei servizi").wait_for()
    page.get_by_label("Servizio").select_option(label="Biblioteche di pubblica lettura")
    page.get_by_role("link", name="Leggi il modello «Carta della biblioteca civica» (si apre in una nuova scheda)").wait_for()
    page.get_by_label("Modello del club").select_option(label="Carta della biblioteca civica")
    press(page, page.get_by_role("button", name="Crea la carta"))
    page.get_by_role("heading", level=1, name="Carta della biblioteca civica").wait_for()
    assert "almeno 50 ore" in page.content()

    press(page, page.get_by_role("link", name="Modifica i testi"))
    hours = page.get_by_label("Orari e sedi")
    hours.focus()
    page.keyboard.type("Aperta **dal martedì al sabato**.")
    press(page, page.get_by_text("Anteprima: Orari e sedi"))
    page.locator("#preview-hours_places strong", has_text="dal martedì al sabato").wait_for()
    if os.environ.get("QCLUB_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['QCLUB_SCREENSHOTS']}/carta-bozza.png", full_page=True)
    press(page, page.get_by_role("button", name="Salva la bozza"))
    page.get_by_text("Bozza salvata.").wait_for()

    press(page, page.get_by_role("link", name="Invia per l'approvazione"))
    press(page, page.get_by_role("button", name="Invia per l'approvazione"))
    page.get_by_text("ora è «In approvazione»").wait_for()
    if os.environ.get("QCLUB_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['QCLUB_SCREENSHOTS']}/carta-versione.png", full_page=True)
    municipality = officer.memberships.get().municipality
    with acting_for(municipality):
        version = CharterVersion.objects.get()
    assert version.status == CharterVersion.Status.IN_APPROVAL
    connection.close()
    assert "dal martedì al sabato" in version.hours_places
