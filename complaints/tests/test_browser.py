"""The public form in a real browser on a phone (390 px wide): keyboard and
labels work, no horizontal scrolling, no CSP violation, and the person lands
on the tracking page with a reference code. Screenshots of the staff pages
at 1280 and 390 px go to .data/screenshots/ for a person to look at."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connections

from complaints.handling import services
from complaints.intake.services import register_complaint
from complaints.models import Complaint
from qclub.tenancy import acting_for
from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / ".data" / "screenshots"
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def trento(transactional_db):
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    officer = officer_of(comune)
    with acting_for(comune):
        registered = register_complaint(
            municipality=comune, user=officer, kind="complaint", channel="counter",
            received_on=dt.date.today() - dt.timedelta(days=50), what_happened="Attesa di due ore allo sportello",
            wants_answer=True, contact_name="Mario Rossi", contact_email="mario@example.org",
        )
        services.add_note(complaint=registered.complaint, user=officer, text="Sentito il responsabile")
    return comune, officer, registered.complaint


def test_public_form_on_a_phone(trento, live_url, browser_page):
    comune, officer, complaint = trento
    page = browser_page
    page.add_init_script(LISTEN)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_url}/comuni/trento/")
    page.get_by_role("link", name="Invia un reclamo, un suggerimento o un apprezzamento").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Suggerimento").check()
    page.get_by_label("Che cosa è successo").fill("Sarebbe utile aprire anche il sabato mattina.")
    page.locator("label[for=id_wants_answer]").click()  # Bootstrap Italia draws the box on the label
    page.get_by_label("Nome e cognome").fill("Anna Verdi")
    page.get_by_label("E-mail").fill("anna@example.org")
    # The honeypot is out of reach: drawn off screen, out of the tab order, hidden
    # from screen readers (qclub/antispam.py).
    honeypot = page.locator("input[name=sito_web]")
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert honeypot.get_attribute("tabindex") == "-1"
    assert page.locator("[aria-hidden=true] input[name=sito_web]").count() == 1
    page.locator("label[for=id_privacy]").click()
    assert page.get_by_label("Ho letto l'informativa sul trattamento dei dati personali").is_checked()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "complaint-form-390.png"), full_page=True)
    page.get_by_role("button", name="Invia la segnalazione").click()
    page.wait_for_url(f"{live_url}/reclami/segui/trento/**")
    assert "S-" in page.get_by_role("heading", level=1).inner_text()
    assert "Grazie" in page.content()
    page.screenshot(path=str(SHOTS / "complaint-track-390.png"), full_page=True)
    assert page.evaluate("window.__csp") == []
    with acting_for(comune):
        assert Complaint.objects.filter(kind="suggestion", channel="web").count() == 1
    connections.close_all()


def test_staff_pages_screenshots(trento, live_url, browser_page):
    comune, officer, complaint = trento
    page = browser_page
    page.add_init_script(LISTEN)
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_url}/dashboard/")
    assert "In ritardo (1)" in page.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (("list", "/reclami/"), ("detail", f"/reclami/{complaint.public_id}/"),
                           ("register", "/reclami/nuovo/")):
            page.goto(live_url + path)
            page.screenshot(path=str(SHOTS / f"complaint-{name}-{width}.png"), full_page=True)
    assert page.evaluate("window.__csp") == []
    connections.close_all()
