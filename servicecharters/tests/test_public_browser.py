"""A published charter in a real browser, on a phone (390 px) and a desktop:
nothing wider than the screen, no Content-Security-Policy violation, the
page usable with the keyboard alone (skip link, the index's anchors), and
printed without the site's navigation."""

import pytest

from qclub.models import Role
from servicecharters.tests.factories import build_public_charter
from tests.factories import MunicipalityFactory, ServiceFactory, officer_of

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def charter_url(transactional_db):
    """Committed data, made before the browser starts."""
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    service = ServiceFactory(code="anagrafe", name="Anagrafe")
    build_public_charter(comune, service, officer_of(comune), officer_of(comune, role=Role.MANAGER))
    return "/comuni/trento/carte-dei-servizi/anagrafe/"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_charter_page_fits_the_screen_and_works_with_the_keyboard(charter_url, live_url, browser_page, width):
    page = browser_page
    page.add_init_script(LISTEN)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_url + charter_url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("window.__csp") == []
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.get_by_role("heading", level=1).inner_text() == "Carta dei servizi dell'anagrafe"

    # The first Tab reaches the skip link; it leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Vai al contenuto principale"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # From the index, by keyboard, to the standards.
    index = page.get_by_role("navigation", name="In questa pagina")
    link = index.get_by_role("link", name="Gli standard di qualità")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_url}{charter_url}#standard")
    assert page.get_by_role("heading", name="Gli standard di qualità", level=2).is_visible()
    table = page.get_by_role("table")
    assert table.is_visible()
    assert table.get_by_role("rowheader", name="Risposta ai reclami").count() == 1
    assert "entro 20 giorni lavorativi nel 95 % dei casi" in table.inner_text()

    # The complaint form is a keyboard-reachable link.
    complaint = page.get_by_role("link", name="Presenta un reclamo al Comune di Trento")
    complaint.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("/reclami/segnala/trento/")


def test_the_printed_charter_has_no_site_navigation(charter_url, live_url, browser_page):
    page = browser_page
    page.goto(live_url + charter_url)
    page.emulate_media(media="print")
    assert not page.locator("header.it-header-wrapper").is_visible()
    assert not page.locator("footer.it-footer").is_visible()
    assert not page.get_by_role("navigation", name="In questa pagina").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".qc-print-only").first.is_visible()  # the complaint form's address, written out
