"""In a real browser: a member opens an indicator's ranking, sees the table
and the chart drawn by the bundled plotly.js, and changes the group shown
with the keyboard only."""

import pytest
from django.urls import reverse

from benchmarking.tests.factories import build_club
from tests.factories import DEMO_PASSWORD, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def member_and_url(area, campaign, coordinator, indicators):
    """All data made before the browser starts (no database calls inside Playwright's context)."""
    club = build_club(area, campaign, coordinator, indicators)
    officer = officer_of(club[0])  # Comune A, Lombardia
    return officer, reverse("benchmarking:ranking", args=[indicators[0].code]) + "?periodo=2025"


def test_member_reads_the_ranking_and_changes_group_with_the_keyboard(live_url, member_and_url, browser_page):
    officer, path = member_and_url
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_url}])
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")

    page.goto(live_url + path)
    table = page.locator("#ranking-table")
    assert table.locator("tbody tr").count() == 5
    assert table.locator("tr[aria-current=true]").inner_text().startswith("5")
    page.locator("#chart-ranking svg.main-svg").first.wait_for(timeout=15_000)
    chart = page.locator("#chart-ranking")
    assert chart.get_attribute("role") == "img" and "mediana" in chart.get_attribute("aria-label")

    page.locator("#mostra").focus()
    page.keyboard.press("ArrowDown")  # "Comuni della mia regione"
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**mostra=region**")
    rows = page.locator("#ranking-table tbody tr")
    assert rows.count() == 3
    assert "Comune E" not in page.locator("#ranking-table").inner_text()
