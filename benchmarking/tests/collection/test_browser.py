"""In a real browser: an officer types figures and sees the indicator computed
before saving, then saves the draft with the keyboard."""

import pytest
from django.urls import reverse

from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_entering_figures_shows_the_indicator_live(live_url, officer_a, campaign, browser_page):
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "it", "url": live_url}])
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(officer_a.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")

    page.goto(live_url + reverse("benchmarking:submission", args=[campaign.public_id]))
    page.get_by_label("Certificati rilasciati (n.)", exact=True).fill("1.200")
    page.get_by_label("Addetti allo sportello (FTE) (FTE)", exact=True).fill("4,8")
    results = page.locator("#results")
    results.get_by_text("250,0").wait_for(timeout=10_000)  # 1.200 / 4,8, unsaved

    page.get_by_label("Addetti allo sportello (FTE) (FTE)", exact=True).press("Enter")
    page.get_by_text("Bozza salvata").wait_for(timeout=10_000)
    assert page.get_by_label("Certificati rilasciati (n.)", exact=True).input_value() == "1200"
