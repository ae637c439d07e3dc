"""The second factor for administrators and coordinators (REQUIRE_2FA):
enrolment with a server-made QR code, the code after the password on the login
page, the admin and the API token endpoint; recovery codes; wrong codes count
towards the lock-out (qclub/accounts/second_factor.py)."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import DEMO_PASSWORD, AreaCoordinatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def coordinator():
    return AreaCoordinatorFactory().user


@pytest.fixture
def administrator():
    return UserFactory(is_staff=True, is_superuser=True)


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _forget_wrong_codes(device: TOTPDevice) -> None:
    """django-otp also makes a device wait after a wrong code; skip the wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()


def _with_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _login(client, user, url_name="login"):
    return client.post(reverse(url_name), {"username": user.username, "password": DEMO_PASSWORD})


def test_after_the_password_a_coordinator_reaches_only_the_code_page(client, coordinator):
    device = _with_authenticator(coordinator)
    assert _login(client, coordinator).status_code == 302

    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 302
    assert dashboard.url.startswith(reverse("accounts:verify"))
    assert client.get(reverse("accounts:api_tokens")).status_code == 302

    wrong = client.post(reverse("accounts:verify"), {"code": "000000", "next": "/dashboard/"})
    assert wrong.status_code == 200
    assert "Codice non valido" in wrong.content.decode()
    _forget_wrong_codes(device)

    right = client.post(reverse("accounts:verify"), {"code": _code(device), "next": "/dashboard/"})
    assert right.status_code == 302
    assert right.url == "/dashboard/"
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_coordinator_without_an_authenticator_enrols_first(client, coordinator):
    _login(client, coordinator)
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("accounts:enrol"))

    page = client.get(response.url)
    html = page.content.decode()
    # The QR code is drawn here, as inline SVG: no image from anywhere else.
    assert "<svg" in html and "otpauth" not in html
    assert not re.search(r'<img[^>]+src="https?://', html)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert page.context["manual_key"].replace(" ", "")

    assert client.post(reverse("accounts:enrol"), {"code": "123456"}).status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    _forget_wrong_codes(device)

    done = client.post(reverse("accounts:enrol"), {"code": _code(device), "next": "/dashboard/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert "no-store" in done["Cache-Control"]
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    # Verified by the first code: in at once.
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_recovery_code_signs_in_once(client, coordinator):
    _with_authenticator(coordinator)
    from django_otp.plugins.otp_static.models import StaticDevice

    recovery = StaticDevice.objects.create(user=coordinator, name="recovery")
    StaticToken.objects.create(device=recovery, token="abcd2345")

    _login(client, coordinator)
    assert client.post(reverse("accounts:verify"), {"code": "abcd2345"}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    client.logout()
    _login(client, coordinator)
    assert client.post(reverse("accounts:verify"), {"code": "abcd2345"}).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_admin_asks_for_the_code_after_the_password(client, administrator):
    device = _with_authenticator(administrator)
    assert _login(client, administrator, "admin:login").status_code == 302
    admin_index = client.get(reverse("admin:index"))
    assert admin_index.status_code == 302
    assert admin_index.url.startswith(reverse("accounts:verify"))

    client.post(reverse("accounts:verify"), {"code": _code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_count_towards_the_lock_out(client, coordinator):
    _with_authenticator(coordinator)
    _login(client, coordinator)
    answers = [
        client.post(reverse("accounts:verify"), {"code": "000000"}).status_code for _ in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]
    assert client.post(reverse("accounts:verify"), {"code": "000000"}).status_code == 429
    # The lock-out keeps the request's data, codes masked like passwords.
    kept = AccessAttempt.objects.get(username=coordinator.username).post_data
    assert "code=" in kept and "000000" not in kept


def test_an_unverified_session_gets_no_api(client, coordinator):
    _with_authenticator(coordinator)
    _login(client, coordinator)
    assert client.get(reverse("api-me")).status_code == 403


def test_the_token_endpoint_asks_administrators_and_coordinators_for_the_code(coordinator):
    device = _with_authenticator(coordinator)
    api = APIClient()

    def token(**extra):
        cache.clear()
        return api.post(
            reverse("api-token"),
            {"username": coordinator.username, "password": DEMO_PASSWORD, **extra},
            format="json",
        )

    missing = token()
    assert missing.status_code == 400
    assert "codice" in missing.json()["detail"]
    assert token(otp="000000").status_code == 400
    _forget_wrong_codes(device)
    granted = token(otp=_code(device))
    assert granted.status_code == 200
    assert granted.json()["token"]


def test_the_token_endpoint_refuses_who_has_not_enrolled(administrator):
    response = APIClient().post(
        reverse("api-token"),
        {"username": administrator.username, "password": DEMO_PASSWORD, "otp": "123456"},
        format="json",
    )
    assert response.status_code == 400
    assert "due passaggi" in response.json()["detail"]


def test_an_officer_signs_in_with_the_password_alone(client, officer_a):
    _login(client, officer_a)
    assert client.get(reverse("dashboard")).status_code == 200
    # Nobody asks them for a code: nothing to set up.
    assert client.get(reverse("accounts:enrol")).status_code == 404


def test_with_the_setting_off_a_coordinator_signs_in_with_the_password(client, coordinator, settings):
    settings.REQUIRE_2FA = False
    _with_authenticator(coordinator)
    _login(client, coordinator)
    assert client.get(reverse("dashboard")).status_code == 200
