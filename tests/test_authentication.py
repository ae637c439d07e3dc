"""One lock-out for every way in (login page, admin login, API token), keyed by
username and address; API throttles; over-long usernames; hashed, expiring,
revocable API tokens (qclub/accounts/)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from qclub.accounts.lockout import client_address
from tests.factories import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LONG_USERNAME = "u" * 300


@pytest.fixture
def api():
    return APIClient()


def _token(api, username, password, **extra):
    # Lock-out tests look past the token endpoint's own throttle (tested apart).
    cache.clear()
    return api.post(
        reverse("api-token"), {"username": username, "password": password}, format="json", **extra
    )


def _web_login(client, username, password, url_name="login", **extra):
    return client.post(reverse(url_name), {"username": username, "password": password}, **extra)


def _token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


# --- the lock-out --------------------------------------------------------------


def test_twelve_wrong_token_requests_lock_out_even_the_right_password(api, officer_a):
    answers = [_token(api, officer_a.username, "wrong").status_code for _ in range(12)]
    assert answers[:4] == [400] * 4
    assert answers[-1] == 429

    right = _token(api, officer_a.username, DEMO_PASSWORD)
    assert right.status_code == 429
    assert "bloccato" in right.json()["detail"]
    assert not AuthToken.objects.filter(user=officer_a).exists()


def test_a_failure_is_recorded_even_when_the_request_rolls_back(rf, officer_a):
    """Any way in that fails after authenticating (an API error, a raised
    exception) rolls its transaction back; the failure stays recorded."""
    request = rf.post("/accounts/login/")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert authenticate(request=request, username=officer_a.username, password="wrong") is None
        raise RuntimeError("the request fails after the password check")
    assert AccessAttempt.objects.get(username=officer_a.username).failures_since_start == 1


def test_web_login_and_token_share_one_count(client, api, officer_a):
    for _ in range(3):
        assert _token(api, officer_a.username, "wrong").status_code == 400
    assert _web_login(client, officer_a.username, "wrong").status_code == 200
    assert _web_login(client, officer_a.username, "wrong").status_code == 429

    refused = _web_login(client, officer_a.username, DEMO_PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_counts_towards_the_same_lock_out(client, api):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        assert _web_login(client, admin.username, "wrong", "admin:login").status_code in (200, 429)
    assert _token(api, admin.username, DEMO_PASSWORD).status_code == 429
    assert _web_login(client, admin.username, DEMO_PASSWORD, "admin:login").status_code == 429


def test_a_lock_out_holds_only_for_the_address_that_caused_it(client, api, officer_a):
    """An attacker elsewhere cannot lock the clerk out at the office."""
    for _ in range(6):
        _token(api, officer_a.username, "wrong", REMOTE_ADDR="203.0.113.9")
    assert _token(api, officer_a.username, DEMO_PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429

    assert _token(api, officer_a.username, DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert _web_login(client, officer_a.username, DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


@override_settings(LOCKOUT_ADDRESS_FAILURE_LIMIT=8)
def test_one_address_is_stopped_after_failures_over_many_usernames(api):
    answers = [
        _token(api, victim.username, "wrong", REMOTE_ADDR="203.0.113.9").status_code
        for victim in [UserFactory() for _ in range(4)]
        for _ in range(2)  # well below the per-username limit for each
    ]
    assert answers == [400] * 7 + [429]

    other = UserFactory()
    assert _token(api, other.username, DEMO_PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert _token(api, other.username, DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_successful_login_forgets_the_failures(api, officer_a):
    for _ in range(3):
        _token(api, officer_a.username, "wrong")
    assert _token(api, officer_a.username, DEMO_PASSWORD).status_code == 200
    for _ in range(3):
        assert _token(api, officer_a.username, "wrong").status_code == 400


def test_the_client_address_ignores_x_forwarded_for_without_a_trusted_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_address_it_recorded_counts(rf):
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_address(spoofed) == "203.0.113.9"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_address(garbage) == "10.0.0.2"


# --- over-long usernames -------------------------------------------------------------


def test_an_over_long_username_is_a_form_error_on_the_login_page(client):
    response = _web_login(client, LONG_USERNAME, "x")
    assert response.status_code == 200
    assert "al massimo 150 caratteri" in response.content.decode()


def test_an_over_long_username_is_a_form_error_on_the_admin_login(client):
    response = _web_login(client, LONG_USERNAME, "x", "admin:login")
    assert response.status_code == 200
    assert "al massimo 150 caratteri" in response.content.decode()


def test_an_over_long_username_is_a_400_on_the_token_endpoint(api):
    response = _token(api, LONG_USERNAME, "x")
    assert response.status_code == 400
    assert "al massimo 150 caratteri" in response.json()["detail"]


# --- throttles -------------------------------------------------------------------------


def test_the_token_endpoint_is_throttled_per_address_in_italian(api, officer_a):
    answers = [
        api.post(reverse("api-token"), {"username": f"nobody{i}", "password": "x"}, format="json")
        for i in range(11)
    ]
    assert [a.status_code for a in answers[:10]] == [400] * 10
    assert answers[10].status_code == 429
    assert answers[10].json()["detail"].startswith("Troppe richieste: riprova tra")
    assert int(answers[10]["Retry-After"]) > 0


def test_anonymous_and_signed_in_api_use_is_throttled(api, officer_a, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
    public = reverse("opendata-api-list")
    assert [api.get(public).status_code for _ in range(3)] == [200, 200, 429]

    url = reverse("api-municipality-list")

    _stored, secret = AuthToken.objects.create(user=officer_a)
    signed_in = _token_client(secret)
    assert [signed_in.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


# --- API tokens ------------------------------------------------------------------------


def test_an_expired_token_is_refused(officer_a):
    from datetime import timedelta

    from django.utils import timezone

    stored, secret = AuthToken.objects.create(user=officer_a, expiry=timedelta(days=1))
    assert _token_client(secret).get(reverse("api-me")).status_code == 200
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _token_client(secret).get(reverse("api-me")).status_code in (401, 403)


def test_a_token_expires_after_the_configured_days(api, officer_a, settings):
    from django.utils import timezone

    response = _token(api, officer_a.username, DEMO_PASSWORD)
    stored = AuthToken.objects.get(user=officer_a)
    days = (stored.expiry - timezone.now()).days
    assert days in (settings.API_TOKEN_TTL_DAYS - 1, settings.API_TOKEN_TTL_DAYS)
    assert response.json()["expiry"]


def test_api_logout_revokes_the_token_it_was_sent_with(officer_a):
    _kept, kept_secret = AuthToken.objects.create(user=officer_a)
    _stored, secret = AuthToken.objects.create(user=officer_a)
    client = _token_client(secret)
    assert client.post(reverse("api-token-logout")).status_code == 204
    assert client.get(reverse("api-me")).status_code in (401, 403)
    assert _token_client(kept_secret).get(reverse("api-me")).status_code == 200


def test_a_password_change_revokes_every_token(client, officer_a):
    _stored, secret = AuthToken.objects.create(user=officer_a)
    client.force_login(officer_a)
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD,
        "new_password1": "un-altra-password-lunga-42",
        "new_password2": "un-altra-password-lunga-42",
    })
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=officer_a).exists()
    assert _token_client(secret).get(reverse("api-me")).status_code in (401, 403)


def test_a_password_set_anywhere_revokes_every_token(officer_a):
    AuthToken.objects.create(user=officer_a)
    officer_a.set_password("un-altra-password-lunga-42")
    officer_a.save()
    assert not AuthToken.objects.filter(user=officer_a).exists()


def test_the_owner_lists_and_revokes_their_tokens_through_the_api(officer_a):
    mine, secret = AuthToken.objects.create(user=officer_a)
    other, _other_secret = AuthToken.objects.create(user=UserFactory())
    client = _token_client(secret)

    listed = client.get(reverse("api-token-list")).json()
    assert [item["key"] for item in listed] == [mine.token_key]

    assert client.delete(reverse("api-token-revoke", args=[other.token_key])).status_code == 404
    assert AuthToken.objects.filter(pk=other.pk).exists()

    spare, _spare_secret = AuthToken.objects.create(user=officer_a)
    assert client.delete(reverse("api-token-revoke", args=[spare.token_key])).status_code == 204
    assert not AuthToken.objects.filter(pk=spare.pk).exists()


def test_a_token_that_is_not_text_is_refused_not_a_server_error(api):
    response = api.get(reverse("api-me"), HTTP_AUTHORIZATION="Token \xe9\xe9")
    assert response.status_code in (401, 403)


def test_the_account_page_creates_a_key_shown_once_and_lists_it(client, officer_a):
    client.force_login(officer_a)
    created = client.post(reverse("accounts:api_tokens"))
    assert created.status_code == 200
    secret = created.context["issued"].secret
    assert "no-store" in created["Cache-Control"]
    assert secret in created.content.decode()
    assert _token_client(secret).get(reverse("api-me")).status_code == 200

    listed = client.get(reverse("accounts:api_tokens")).content.decode()
    assert secret not in listed
    assert secret[:8] in listed


def test_the_account_page_revokes_only_the_owners_keys(client, officer_a):
    mine, secret = AuthToken.objects.create(user=officer_a)
    other, _other = AuthToken.objects.create(user=UserFactory())
    client.force_login(officer_a)

    assert client.post(reverse("accounts:api_token_revoke", args=[other.token_key])).status_code == 404
    assert AuthToken.objects.filter(pk=other.pk).exists()

    response = client.post(reverse("accounts:api_token_revoke", args=[mine.token_key]))
    assert response.status_code == 302
    assert _token_client(secret).get(reverse("api-me")).status_code in (401, 403)


@override_settings(API_TOKEN_LIMIT_PER_USER=2)
def test_a_user_has_at_most_the_configured_number_of_keys(client, officer_a):
    client.force_login(officer_a)
    client.post(reverse("accounts:api_tokens"))
    client.post(reverse("accounts:api_tokens"))
    third = client.post(reverse("accounts:api_tokens"))
    assert third.context["issued"] is None
    assert "revocane una" in third.content.decode()
    assert AuthToken.objects.filter(user=officer_a).count() == 2
