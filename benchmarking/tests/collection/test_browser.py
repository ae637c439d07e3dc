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


def test_a_part_over_its_whole_is_flagged_beside_the_field_while_typing(live_url, officer_a, campaign, browser_page):
    page = browser_page
    page.goto(f"{live_url}/accounts/login/")
    page.locator("#id_username").fill(officer_a.username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_url}/dashboard/")

    page.goto(live_url + reverse("benchmarking:submission", args=[campaign.public_id]))
    missing = page.locator("#msg-certificati")
    assert "Valore mancante" in missing.inner_text()
    page.get_by_label("Certificati rilasciati (n.)", exact=True).fill("100")
    online = page.get_by_label("Certificati rilasciati online (n.)", exact=True)
    online.fill("379")
    messages = page.locator("#msg-certificati_online")
    messages.get_by_text("Non può superare").wait_for(timeout=10_000)
    # Tied to the field, marked invalid, announced, and listed in the indicators panel.
    assert "msg-certificati_online" in online.get_attribute("aria-describedby")
    # Locators, not wait_for_function: the page's Content-Security-Policy forbids eval.
    page.locator("#v-certificati_online[aria-invalid='true']").wait_for(timeout=10_000)
    assert "Non può superare" in page.locator("#live-announce").inner_text()
    assert page.locator("#live-announce").get_attribute("role") == "status"
    assert "1 valore da correggere" in page.locator("#results").inner_text()
    # "Value missing" went away when the field was filled.
    assert "Valore mancante" not in missing.inner_text()
    online.fill("30")
    page.locator("#v-certificati_online:not([aria-invalid])").wait_for(timeout=10_000)
    assert "Non può superare" not in messages.inner_text()
