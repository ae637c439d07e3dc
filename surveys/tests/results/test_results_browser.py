"""The results page in a browser: charts drawn under the CSP (no violation),
keyboard-reachable moderation, at desktop and phone widths."""

import os

import pytest

from qclub.tenancy import acting_for
from surveys.models import Survey
from surveys.results import services
from surveys.tests.factories import SurveyFactory
from surveys.tests.results.conftest import add_gender, answer
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SCREENSHOTS_DIR")


@pytest.fixture
def results_data(transactional_db):
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    with acting_for(comune):
        survey = SurveyFactory(status=Survey.Status.OPEN, title="Anagrafe 2026")
    add_gender(survey.version)
    answer(survey, *(
        {"attesa": 1 + i % 5, "attesa-importanza": 3 + i % 3, "cortesia": 5 - i % 3, "complessiva": 4,
         "raccomandazione": i % 11, "canali": ["web"] if i % 2 else ["counter"], "eta": "18-34" if i % 3 else "65+",
         "genere": "f" if i % 2 else "m", "commenti": f"Commento {i}: chiamatemi al 333 123456{i % 10}"}
        for i in range(40)
    ))
    with acting_for(comune):
        services.save_population(survey=survey, cells={("18-34", "f"): 500, ("18-34", "m"): 480, ("65+", "f"): 300, ("65+", "m"): 250})
        services.compute_results(survey=survey)
    return officer_of(comune), survey


def test_the_results_page_draws_its_charts_without_csp_violations(results_data, live_server, browser_page):
    officer, survey = results_data
    page = browser_page
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    url = f"{live_server.url}/indagini/{survey.public_id}/risultati/"
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector("#chart-means[data-drawn]")
        page.wait_for_selector("#chart-matrix[data-drawn]")
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/results-{width}.png", full_page=True)
    assert problems == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url + "commenti/")
    page.keyboard.press("Tab")
    first = page.get_by_label("Testo da pubblicare").first
    first.focus()
    page.keyboard.press("Tab")  # to "Approva"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Approva"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/moderation-1280.png")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "Commento approvato" in page.content()
    page.goto(url + "popolazione/")
    if SHOTS:
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/population-390.png", full_page=True)
    assert "Celle usate per la ponderazione" in page.content()
