"""In a real browser at desktop and phone widths: the best-practice card does
not ride over the export links and the ranking table, and the filter form's
heading does not ride over its first label."""

import pytest
from django.urls import reverse

from benchmarking.comparisons import services as comparison_services
from benchmarking.tests.factories import build_club
from qclub.tenancy import acting_for
from tests.factories import DEMO_PASSWORD, officer_of

pytestmark = pytest.mark.browser


@pytest.fixture
def member_with_practice(area, campaign, coordinator, indicators):
    """All data made before the browser starts (no database calls inside Playwright's context)."""
    club = build_club(area, campaign, coordinator, indicators)
    officer = officer_of(club[0])
    author = officer_of(club[4])
    with acting_for(club[4]):
        comparison_services.best_practice_add(
            municipality=club[4], indicator=indicators[0], period_year=2025, title="Sportello su appuntamento",
            description="\n".join(["Appuntamenti online, promemoria via SMS, due sportelli dedicati."] * 6),
            contact="ufficio@comune.example", link="https://example.org/pratica", acting_user=author,
        )
    return officer, reverse("benchmarking:ranking", args=[indicators[0].code]) + "?periodo=2025"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def overlaps(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("width", [1280, 375])
def test_nothing_overlaps_on_the_ranking_page(live_url, member_with_practice, browser_page, width):
    officer, path = member_with_practice
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")
    # The layout under test does not wait for the charts' script (large, and the machine is shared).
    page.goto(live_url + path, wait_until="domcontentloaded", timeout=120_000)

    card = box(page, "article.qc-practice")
    section = box(page, "[aria-labelledby=practices-title]")
    assert card["y"] + card["height"] <= section["y"] + section["height"] + 1  # the card stays in its section
    for below in ("#ranking-title", "a[href*='export=csv']", "#ranking-table thead"):
        assert not overlaps(card, box(page, below)), below
        assert not overlaps(section, box(page, below)), below

    heading = box(page, "#view-form-title")
    for label in ("label[for=periodo]", "label[for=mostra]", "label[for=statistiche]", "label[for=contesto]"):
        assert not overlaps(heading, box(page, label)), label
    assert not overlaps(box(page, "label[for=periodo]"), box(page, "#periodo"))


def test_the_scorecard_scrolls_sideways_on_a_phone_with_the_names_in_view(live_url, member_with_practice, browser_page):
    """At 390 px the scorecard keeps its columns readable (it was squeezed to a
    word per line): the table scrolls inside its frame and the indicator names
    stay where they are."""
    officer, _path = member_with_practice
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")
    page.goto(live_url + reverse("benchmarking:scorecard") + "?periodo=2025", wait_until="domcontentloaded")
    frame = page.locator(".table-responsive:has(#scorecard)")
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth + 100")
    name = page.locator("#scorecard tbody th[scope=row]").first
    median = page.locator("#scorecard tbody tr").first.locator("td").nth(4)
    name_before, median_before = name.bounding_box(), median.bounding_box()
    assert name_before["width"] >= 150
    frame.evaluate("e => e.scrollLeft = 250")
    # The figures scrolled; the name (sticky) did not.
    assert median_before["x"] - median.bounding_box()["x"] > 200
    assert abs(name.bounding_box()["x"] - name_before["x"]) < 1
