"""The citizens' and members' survey pages in chromium, at desktop and phone
widths: charts drawn under the strict CSP (no console error), nothing wider
than the screen. Screenshots go to $QCLUB_SCREENSHOTS when set."""

import datetime
import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from qclub.tenancy import acting_for
from surveys.models import Answer, Question, Response
from surveys.results import services as results
from surveys.tests.factories import questionnaire_with_every_kind
from surveys.tests.results_factories import survey_with_results
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


@pytest.fixture
def scene(transactional_db):
    version = questionnaire_with_every_kind()
    trento = MunicipalityFactory(name="Trento", slug="trento")
    published = survey_with_results(
        trento, version, status="published", title="Anagrafe centrale 2026", starts_on="2026-03-01",
        ends_on="2026-03-31", population_served=90000, answers=640,
    )
    with acting_for(trento):  # an approved comment (moderated text), shown to citizens
        response = Response.objects.create(municipality=trento, survey=published, mode="paper",
                                           received_on=datetime.date(2026, 3, 10))
        answer = Answer.objects.create(
            municipality=trento, response=response, survey=published, moderation=Answer.Moderation.PENDING,
            question=Question.objects.get(version=version, code="commenti"),
            text="Personale gentile, ma servono più sportelli il sabato mattina.",
        )
        results.moderate_comment(survey=published, answer_id=answer.public_id, decision=results.APPROVE,
                                 seen=Answer.Moderation.PENDING)
    figures = [(3.4, 150), (3.7, 420), (3.9, 260), (4.1, 900), (3.6, 130), (4.3, 310), (3.8, 75)]
    for n, (overall, answers) in enumerate(figures):
        comune = MunicipalityFactory(name=f"Comune {chr(65 + n)}")
        survey_with_results(comune, version, overall=overall, answers=answers, half_width=1.9 / answers**0.5,
                            index=60 + overall * 4)
    officer = officer_of(trento)
    urls = {
        "comune": reverse("municipality_public", args=["trento"]),
        "risultati": reverse("surveys:public_results", args=["trento", published.public_id]),
        "indice": reverse("surveys:public_index"),
        "confronto": reverse("surveys:comparison", args=[version.pk, 2026]) + "?misura=complessiva",
    }
    connection.close()
    return officer, urls


def _look(page, base, path, name, shots):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        charts = page.locator("[data-chart]")
        for i in range(charts.count()):
            charts.nth(i).wait_for(state="attached")
            page.wait_for_selector(f"#{charts.nth(i).get_attribute('id')}[data-drawn='true']", timeout=10000)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px wider than the screen"
        if shots:
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    assert errors == [], errors


def test_citizens_and_members_pages_in_the_browser(scene, live_server, browser_page):
    officer, urls = scene
    shots = Path(os.environ["QCLUB_SCREENSHOTS"]) if os.environ.get("QCLUB_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    for name in ("comune", "risultati", "indice"):
        _look(page, live_server.url, urls[name], f"anonimo-{name}", shots)
        if name == "risultati":
            assert page.get_by_role("heading", name="Alcuni commenti dei cittadini").is_visible()
            assert page.get_by_text("servono più sportelli il sabato mattina").is_visible()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    _look(page, live_server.url, urls["confronto"], "socio-confronto", shots)
    _look(page, live_server.url, urls["risultati"], "socio-risultati", shots)
