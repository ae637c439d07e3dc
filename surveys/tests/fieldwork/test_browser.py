"""A comune creates a survey on a phone-sized screen: the proposed sample
appears as the population is typed (htmx), and a blank target takes it."""

import os

import pytest
from django.db import connection

from qclub.tenancy import acting_for
from surveys.fieldwork import services
from surveys.models import Survey
from surveys.questionnaires.seed import load_questionnaires
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, ServiceFactory, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    ServiceFactory(code="anagrafe")
    load_questionnaires()
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    return officer_of(comune)


def test_creating_a_survey_with_the_proposed_sample(officer, live_url, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(f"{live_url}/indagini/nuova/")
    page.get_by_label("Titolo dell'indagine").fill("Anagrafe 2026")
    page.get_by_label("Questionario cartaceo").check()
    page.get_by_label("Popolazione servita").fill("70000")
    page.get_by_label("Errore massimo accettato").select_option("3")
    proposal = page.locator("#sample-proposal")
    proposal.get_by_text("1.051").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Crea l'indagine").click()
    page.get_by_role("heading", level=1, name="Anagrafe 2026").wait_for()
    assert "1.051" in page.content()
    municipality = officer.memberships.get().municipality
    with acting_for(municipality):
        survey = Survey.objects.get()
        assert survey.target_sample == 1051
        services.change_status(survey=survey, to_status=Survey.Status.OPEN, acting_user=officer)
        services.record_response(survey=survey, mode="paper", number=1,
                                 answers={"complessiva": 4, "suggerimenti": "Più sportelli il sabato"})
    connection.close()
    # The survey's page leads to its results, the comments to moderate and the exports.
    page.reload()
    page.get_by_role("link", name="Commenti da moderare").wait_for()
    assert page.get_by_text("1 in attesa").is_visible()
    assert page.get_by_role("link", name="file CSV").is_visible()
    if os.environ.get("QCLUB_SCREENSHOTS"):
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{os.environ['QCLUB_SCREENSHOTS']}/indagine-{width}.png", full_page=True)
    page.get_by_role("link", name="Risultati dell'indagine").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}/indagini/{survey.public_id}/risultati/")
    connection.close()
