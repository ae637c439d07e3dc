"""Browser test of the second factor: a coordinator signs in, enrols an
authenticator from the QR page (drawn on the server, nothing fetched
elsewhere), confirms a first code and sees the recovery codes once."""

from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from tests.factories import DEMO_PASSWORD, AreaCoordinatorFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def coordinator(transactional_db):
    return AreaCoordinatorFactory().user


def _code_for(manual_key: str) -> str:
    key = manual_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(b32decode(key), 30, 0, 6, 0).token():06d}"


def test_a_coordinator_enrols_and_signs_in_with_the_code(
    coordinator, live_server, browser_page, settings
):
    settings.REQUIRE_2FA = True
    page = browser_page
    live_host = urlsplit(live_server.url).netloc
    foreign_requests: list[str] = []
    page.on(
        "request",
        lambda request: urlsplit(request.url).netloc not in ("", live_host)
        and foreign_requests.append(request.url),
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nome utente").fill(coordinator.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/**")

    assert page.locator("svg.qc-qr").is_visible()
    manual_key = page.locator(".qc-manual-key").inner_text()
    page.get_by_label("Codice").fill(_code_for(manual_key))
    page.get_by_role("button", name="Conferma e attiva").click()

    codes = page.locator(".qc-recovery-codes li")
    assert codes.count() == 10
    page.get_by_role("link", name="Ho conservato i codici, continua").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert foreign_requests == []
