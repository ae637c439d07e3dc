"""Issue #9, item 9: the Content-Security-Policy in a real browser. Each role's
main pages (dashboard, data-entry form, ranking and trend with their plotly
charts, reports, review board, open data, a comune's public page, the admin,
the API docs) load under the enforced policy with no violation: no blocked
inline script, style or handler, no eval, and htmx, plotly and Bootstrap
Italia still work (the charts are drawn, the live form answers)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from benchmarking.models import Submission
from benchmarking.opendata import services as opendata
from benchmarking.tests.factories import (
    build_club,
    campaign_for,
    registry_office_area,
    registry_office_elements,
    registry_office_indicators,
)
from qclub.models import Role
from qclub.tenancy import acting_for
from tests.factories import DEMO_PASSWORD, AreaCoordinatorFactory, officer_of

pytestmark = pytest.mark.browser

# Every violation the page reports, kept where the test can read it (an init
# script runs before the page's own scripts and is not subject to its policy).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def world(transactional_db):
    """Committed data, made before the browser starts: the approved club, a
    2027 campaign open for data entry, the 2025 data published."""
    area = registry_office_area()
    registry_office_elements(area)
    indicators = registry_office_indicators(area)
    campaign = campaign_for(area, indicators, year=2025)
    coordinator = AreaCoordinatorFactory(area=area).user
    club = build_club(area, campaign, coordinator, indicators)
    opendata.publish_open_data(campaign, coordinator)
    open_campaign = campaign_for(area, indicators, year=2027)
    officer, manager = officer_of(club[0]), officer_of(club[0], role=Role.MANAGER)
    with acting_for(club[0]):
        approved = Submission.objects.get(campaign=campaign)
    admin = get_user_model().objects.create_superuser("amministratore", "admin@example.org", DEMO_PASSWORD)
    code = indicators[0].code
    return {
        "anonymous": (None, [
            "/", reverse("opendata:index"), reverse("opendata:dataset", args=[area.code, "2025"]),
            reverse("municipality_public", args=[club[0].slug]), "/accounts/login/",
        ]),
        "officer": (officer, [
            reverse("dashboard"), reverse("benchmarking:index"),
            reverse("benchmarking:submission", args=[open_campaign.public_id]),
            reverse("benchmarking:members"),
            reverse("benchmarking:ranking", args=[code]) + "?periodo=2025",
            reverse("benchmarking:trend", args=[code]), reverse("benchmarking:scorecard"),
            reverse("benchmarking:reports"),
        ]),
        "manager": (manager, [
            reverse("dashboard"), reverse("benchmarking:submission", args=[approved.campaign.public_id]),
        ]),
        "coordinator": (coordinator, [
            reverse("dashboard"), reverse("benchmarking:board", args=[campaign.public_id]),
            reverse("benchmarking:review", args=[campaign.public_id, club[0].slug]),
        ]),
        "admin": (admin, [
            "/admin/", "/admin/qclub/accessaudit/", "/admin/qclub/municipality/", "/api/docs/",
        ]),
        "entry": (officer, reverse("benchmarking:submission", args=[open_campaign.public_id])),
        "ranking": reverse("benchmarking:ranking", args=[code]) + "?periodo=2025",
        "reports": reverse("benchmarking:reports"),
    }


def _log_in(page, live_url, user) -> None:
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")


def test_every_roles_main_pages_load_without_a_csp_violation(live_url, world, browser_page):
    page = browser_page
    # plotly.min.js is 4 MB, served by the test server on a shared machine.
    page.set_default_timeout(120_000)
    page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_url}])
    page.add_init_script(LISTEN)
    problems: list[str] = []
    # Console errors too (a blocked resource, a script error), but the admin's
    # and the API docs' request for /favicon.ico, which has no icon link.
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    for role in ("anonymous", "officer", "manager", "coordinator", "admin"):
        user, paths = world[role]
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_url}])
        if user is not None:
            _log_in(page, live_url, user)
        for path in paths:
            response = page.goto(live_url + path)
            assert response.status < 400, f"{role} {path}: {response.status}"
            assert "unsafe-inline" not in response.headers["content-security-policy"]
            page.wait_for_timeout(500)  # late violations (scripts run after load)
            problems.extend(f"{role} {path}: {v}" for v in page.evaluate("window.__csp || []"))
    # One line per distinct problem (a blocked font repeats on every page).
    distinct = sorted({problem[:300] for problem in problems})
    assert distinct == [], "\n".join(distinct)


def test_plotly_and_htmx_work_under_the_policy(live_url, world, browser_page):
    page = browser_page
    page.set_default_timeout(120_000)
    page.add_init_script(LISTEN)
    officer, entry = world["entry"]
    _log_in(page, live_url, officer)

    page.goto(live_url + world["ranking"])
    page.locator("#chart-ranking svg.main-svg").first.wait_for(timeout=15_000)
    assert page.evaluate("window.__csp") == []

    page.goto(live_url + entry)
    field = page.locator("input[name$='-value'], input[type=text][name*='certificati']").first
    field.fill("1234")
    field.press("Tab")
    page.wait_for_timeout(2000)  # the live validation's htmx round trip
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("htmx.config.allowEval") is False

    # The reports form's area-and-period choice, once an inline onchange handler.
    page.goto(live_url + world["reports"])
    choice = page.locator("#id_area_period")
    value = choice.locator("option").last.get_attribute("value")
    choice.select_option(value)
    area, period = value.split("|")
    assert page.locator("input[name=area]").input_value() == area
    assert page.locator("input[name=period]").input_value() == period
    assert page.evaluate("window.__csp") == []
