"""The anti-spam core of public forms (qclub/antispam.py): honeypot, proof of
work accepted once, the no-JavaScript fallback, rate limits by a hashed address."""

import base64
import datetime
import json

import altcha
import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.utils import timezone

from qclub import antispam
from qclub.models import AntispamMark
from tests.factories import solved_proof_of_work as solved

pytestmark = pytest.mark.django_db


class ContactForm(antispam.HumanCheckFormMixin, forms.Form):
    message = forms.CharField()


@pytest.fixture(autouse=True)
def small_work():
    with override_settings(ANTISPAM_MAX_NUMBER=2000):
        yield


def request_from(address="203.0.113.7"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_a_solved_challenge_passes_once_then_is_refused():
    payload = solved()
    form = ContactForm({"message": "ciao", "altcha": payload}, request=request_from())
    assert form.is_valid(), form.errors
    assert form.proof_of_work
    again = ContactForm({"message": "ciao", "altcha": payload}, request=request_from())
    assert not again.is_valid()
    assert "già stato inviato" in again.non_field_errors()[0]


def test_a_wrong_or_forged_solution_is_refused():
    challenge = antispam.new_challenge()
    data = json.loads(base64.b64decode(solved(challenge)))
    data["number"] += 1
    wrong = base64.b64encode(json.dumps(data).encode()).decode()
    for payload in (wrong, "not base64!", base64.b64encode(b"[1,2]").decode()):
        form = ContactForm({"message": "ciao", "altcha": payload})
        assert not form.is_valid()
        assert "verifica automatica non è riuscita" in form.non_field_errors()[0]
    # Signed with another key: refused.
    forged = altcha.create_challenge_v1(algorithm="SHA-256", max_number=100, hmac_key="other",
                                        expires=timezone.now() + datetime.timedelta(hours=1))
    form = ContactForm({"message": "ciao", "altcha": solved(forged.to_dict())})
    assert not form.is_valid()


def test_an_expired_challenge_is_refused():
    with override_settings(ANTISPAM_CHALLENGE_SECONDS=-10):
        payload = solved()
    form = ContactForm({"message": "ciao", "altcha": payload})
    assert not form.is_valid()
    assert "scaduta" in form.non_field_errors()[0]


def test_the_honeypot_refuses_a_form_that_fills_it():
    form = ContactForm({"message": "ciao", "altcha": solved(), "sito_web": "http://spam.example"})
    assert not form.is_valid()
    assert form.non_field_errors()


def test_the_honeypot_is_hidden_from_people_and_screen_readers_and_out_of_tab_order():
    html = Template('{% include "includes/antispam_fields.html" %}').render(
        Context({"form": ContactForm()})
    )
    assert 'class="qc-hp" aria-hidden="true"' in html
    assert 'name="sito_web"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "data-altcha-challenge" in html and "js/human-check.js" in html
    assert "<noscript>" in html and "style=" not in html


def test_without_javascript_a_form_is_accepted_under_a_stricter_limit():
    with override_settings(ANTISPAM_NO_SCRIPT_PER_HOUR=2):
        results = [
            ContactForm({"message": "ciao"}, request=request_from()).is_valid() for _ in range(3)
        ]
        other_address = ContactForm({"message": "ciao"}, request=request_from("198.51.100.1"))
        assert other_address.is_valid()
    assert results == [True, True, False]


def test_rate_limit_counts_per_key_and_address_and_stores_no_address():
    request = request_from("203.0.113.9")
    counted = [
        antispam.over_rate_limit(request, "test:a", limit=3, window_seconds=3600) for _ in range(4)
    ]
    assert counted == [False, False, False, True]
    assert not antispam.over_rate_limit(request, "test:b", limit=3, window_seconds=3600)
    assert not antispam.over_rate_limit(request_from("203.0.113.10"), "test:a", limit=3,
                                        window_seconds=3600)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AntispamMark._meta.db_table}")
        stored = repr(cursor.fetchall())
    assert "203.0.113" not in stored
    marks = AntispamMark.objects.filter(kind="rate")
    assert marks.count() == 3
    assert all(mark.expires_at <= timezone.now() + datetime.timedelta(seconds=3600) for mark in marks)


def test_the_address_follows_trusted_proxies_and_ipv6_counts_by_network():
    with override_settings(TRUSTED_PROXY_COUNT=1):
        behind = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1",
                                       HTTP_X_FORWARDED_FOR="203.0.113.50")
        assert antispam.address_key(behind, "x") == antispam.address_key(request_from("203.0.113.50"), "x")
    one = request_from("2001:db8:1:2::1")
    same_network = request_from("2001:db8:1:2:ffff::9")
    assert antispam.address_key(one, "x") == antispam.address_key(same_network, "x")
    assert antispam.address_key(one, "x") != antispam.address_key(request_from("2001:db8:1:3::1"), "x")


def test_expired_marks_are_purged():
    antispam.over_rate_limit(request_from(), "test:purge", limit=1, window_seconds=60)
    assert antispam.purge_expired(timezone.now() + datetime.timedelta(seconds=61)) == 1
    assert not AntispamMark.objects.exists()


def test_the_key_is_derived_from_the_secret_key_unless_set():
    with override_settings(ANTISPAM_KEY=""):
        derived = antispam.antispam_key()
    with override_settings(ANTISPAM_KEY="configured"):
        assert antispam.antispam_key() == b"configured"
    assert derived and derived != b"configured"


def test_the_periodic_purge_is_scheduled_and_forgets_expired_marks():
    from procrastinate.contrib.django import app

    from qclub import jobs

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["qclub.purge_antispam"] == "*/15 * * * *"
    antispam.over_rate_limit(request_from(), "test:job", limit=1, window_seconds=60)
    later = timezone.now() + datetime.timedelta(minutes=2)
    jobs.purge_antispam.task(timestamp=int(later.timestamp()))
    assert not AntispamMark.objects.exists()
