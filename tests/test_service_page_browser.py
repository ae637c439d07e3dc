"""The page of one service in chromium, at desktop and phone widths, for
citizens and for members: keyboard-reachable index, nothing wider than the
screen, no console error under the strict CSP. Screenshots go to
$QCLUB_SCREENSHOTS when set."""

import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of
from tests.service_page_scene import anagrafe_of

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


@pytest.fixture
def scene(transactional_db):
    trento = MunicipalityFactory(name="Trento", slug="trento")
    bergamo = MunicipalityFactory(name="Bergamo", slug="bergamo")
    service = anagrafe_of(trento)
    officer = officer_of(bergamo)
    urls = {
        "comune": reverse("municipality_public", args=["trento"]),
        "servizio": reverse("service_public", args=["trento", service.code]),
        "soci-servizi": reverse("service_members_index") + "?comune=trento",
        "soci-servizio": reverse("service_members", args=[service.code]) + "?comune=trento",
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
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} at {width}px is {overflow}px wider than the screen"
        if shots:
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    assert errors == [], errors


def test_the_service_page_for_citizens_and_members_in_the_browser(scene, live_server, browser_page):
    officer, urls = scene
    shots = Path(os.environ["QCLUB_SCREENSHOTS"]) if os.environ.get("QCLUB_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    _look(page, live_server.url, urls["comune"], "anonimo-comune", shots)
    page.get_by_role("region", name="Servizi", exact=True).get_by_role("link", name="Anagrafe centrale").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Anagrafe centrale")
    _look(page, live_server.url, urls["servizio"], "anonimo-servizio", shots)
    # The index leads to each section.
    page.get_by_role("navigation", name="In questa pagina").get_by_role("link", name="Che cosa dicono i cittadini").click()
    assert page.url.endswith("#service-section-2")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    _look(page, live_server.url, urls["soci-servizi"], "socio-servizi", shots)
    _look(page, live_server.url, urls["soci-servizio"], "socio-servizio", shots)
    # The chooser: another comune, with the keyboard.
    page.get_by_label("Comune", exact=True).select_option("bergamo")
    page.get_by_role("button", name="Mostra", exact=True).press("Enter")
    page.wait_for_url("**comune=bergamo")
    assert "non ha ancora condiviso con il club nulla" in page.content()
