"""Browser tests: Debian's chromium driven by Playwright against the live server.

Run alone with `pytest -m browser`. The live server needs committed data, so these
tests use `transactional_db` (tables flushed afterwards by our owner-role `flush`).
"""

from urllib.parse import urlsplit

import pytest

from tests.factories import DEMO_PASSWORD, MunicipalityFactory, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def trento_officer(transactional_db):
    """Committed data for the live server, created before the browser starts: inside
    `sync_playwright()` the ORM would open a second connection in Playwright's
    context that nothing closes, and the test database could not be dropped."""
    comune = MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")
    MunicipalityFactory(name="Bergamo", slug="bergamo", istat_code="016024")
    return officer_of(comune)


def test_officer_logs_in_and_sees_their_comune(trento_officer, live_server, browser_page):
    officer = trento_officer
    page = browser_page
    live_host = urlsplit(live_server.url).netloc
    foreign_requests: list[str] = []

    def record(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != live_host:
            foreign_requests.append(request.url)

    page.on("request", record)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(officer.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.wait_for_load_state("networkidle")

    heading = page.get_by_role("heading", level=1)
    assert "Trento" in heading.inner_text()
    assert "Bergamo" not in page.content()
    assert page.locator("html").get_attribute("lang") == "it"
    assert foreign_requests == []
