"""A citizen answers a survey on a phone-sized screen (390 px) with the keyboard
only: the proof of work runs under the strict CSP, a mistake moves focus to the
error summary and keeps what was typed, and the answers are recorded."""

import os
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from qclub.tenancy import acting_for
from surveys.models import Answer, Response, Survey
from surveys.tests.factories import SurveyFactory
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(tempfile.gettempdir()) / "sv-online-shots"))


@pytest.fixture
def open_survey(transactional_db):
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    with acting_for(comune):
        survey = SurveyFactory(status=Survey.Status.OPEN, title="Servizi anagrafici 2026")
    return comune, survey


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def pick(page, name: str, arrows: int) -> None:
    """Reach a radio group with Tab and move to a point with the arrow keys."""
    tab_to(page, f'input[name="{name}"]')
    page.keyboard.press("Space")  # the first point
    for _ in range(arrows):
        page.keyboard.press("ArrowRight")


def test_a_citizen_answers_on_a_phone_with_the_keyboard_only(open_survey, live_url, browser_page):
    comune, survey = open_survey
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    csp_errors: list[str] = []
    page.on("console", lambda message: csp_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/indagini/rispondi/{survey.public_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Servizi anagrafici 2026"

    pick(page, "q-attesa", 3)  # 4
    pick(page, "q-attesa-importanza", 4)  # 5
    pick(page, "q-cortesia", 5)  # past 5: "non so"
    pick(page, "q-complessiva", 3)
    pick(page, "q-raccomandazione", 9)  # 0..10 → 9
    tab_to(page, 'input[name="q-canali"]')
    page.keyboard.press("Space")  # Sito web
    tab_to(page, 'input[name="q-visite"]')
    page.keyboard.type("tre")  # not a number: refused
    tab_to(page, 'textarea[name="q-commenti"]')
    page.keyboard.type("Più sportelli il sabato")
    pick(page, "q-eta", 1)
    page.get_by_text("Verifica automatica anti-spam completata.").wait_for(timeout=30000)
    page.screenshot(path=str(SHOTS / "form-390.png"), full_page=True)
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")

    summary = page.locator(".qc-error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('qc-error-summary')")
    assert "Quante volte" in summary.inner_text()
    assert page.locator('textarea[name="q-commenti"]').input_value() == "Più sportelli il sabato"
    assert page.locator('input[name="q-cortesia"][value="dk"]').is_checked()
    page.screenshot(path=str(SHOTS / "errors-390.png"), full_page=True)

    # The summary's link leads to the field; fix it, send again.
    tab_to(page, ".qc-error-summary a")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'q-visite'")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.get_by_text("Verifica automatica anti-spam completata.").wait_for(timeout=30000)
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/indagini/rispondi/{survey.public_id}/grazie/**")
    assert "Grazie per le tue risposte" in page.content()
    page.screenshot(path=str(SHOTS / "thanks-390.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_url}/indagini/rispondi/{survey.public_id}/")
    assert "Hai già risposto" in page.content()
    page.screenshot(path=str(SHOTS / "answered-1280.png"), full_page=True)
    assert csp_errors == []

    try:
        with acting_for(comune):
            (response,) = Response.objects.all()
            answers = {a.question.code: a for a in Answer.objects.filter(response=response)}
        assert answers["attesa"].number == 4 and answers["raccomandazione"].number == 9
        assert answers["cortesia"].dont_know and answers["visite"].number == 3
        assert answers["canali"].choices == ["web"] and answers["eta"].choice == "35-64"
    finally:
        connection.close()


def test_the_form_at_desktop_width(open_survey, live_url, browser_page):
    _comune, survey = open_survey
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_url}/indagini/rispondi/{survey.public_id}/")
    page.screenshot(path=str(SHOTS / "form-1280.png"), full_page=True)
    assert page.locator("fieldset").count() == 7  # scales and choices; number and text have labels



@pytest.fixture
def officer_session(open_survey):
    """The officer's session cookie, made before the browser starts."""
    from django.conf import settings
    from django.test import Client

    from tests.factories import officer_of

    comune, _survey = open_survey
    client = Client()
    client.force_login(officer_of(comune))
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_officer_invitations_page(open_survey, officer_session, live_url, browser_page):
    _comune, survey = open_survey
    name, session = officer_session
    page = browser_page
    page.context.add_cookies([{"name": name, "value": session, "url": live_url}])
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_url}/indagini/{survey.public_id}/inviti/")
        assert page.get_by_role("heading", level=1).inner_text() == "Inviti a rispondere"
        assert page.locator("img.qc-qr").evaluate("img => img.naturalWidth > 0")
        page.screenshot(path=str(SHOTS / f"inviti-{width}.png"), full_page=True)
    page.get_by_label("Indirizzi e-mail").fill("uno@example.it\nnon-un-indirizzo")
    page.get_by_role("button", name="Invia gli inviti").click()
    page.locator(".qc-error-summary").wait_for()
    assert "non-un-indirizzo" in page.locator(".qc-error-summary").inner_text()
    page.screenshot(path=str(SHOTS / "inviti-errore-1280.png"), full_page=True)
