"""The Italian interface speaks Italian: every main page, as each kind of
user sees it, shows no English word and no technical code (status codes,
field codes with underscores, Python values). A string that leaks into a
template, a message or the administration fails here.

Codes a page shows on purpose (formulas and element codes in the catalogue,
CSV column names) sit in <code> elements, which are not read."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from benchmarking.opendata import services as opendata
from qclub.models import Role
from tests.factories import officer_of

# Whole words that are English or a stored code, never Italian.
ENGLISH = [
    "draft", "submitted", "approved", "returned", "reopened", "not started", "missing", "not_applicable",
    "confidential", "None", "True", "False", "Membership", "Access attempt", "Access attempts", "access log",
    "Procrastinate", "Axes", "Save", "Submit", "Cancel", "Delete", "Search", "Home page", "Error", "Warning",
    "higher", "lower", "band", "Auth Token", "Select", "Log in", "Log out",
]
WORDS = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
# A code: lower-case letters joined by underscores (debito_residuo, not_started).
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
HIDDEN = re.compile(r"<(script|style|code|svg|title)\b.*?</\1>", re.S | re.I)


def visible_text(page: str) -> str:
    body = page.split("<body", 1)[-1]
    text = re.sub(r"<[^>]+>", " ", HIDDEN.sub(" ", body))
    return html.unescape(re.sub(r"\s+", " ", text))


def leaks(page: str) -> list[str]:
    text = visible_text(page)
    return sorted({m.group(0) for m in WORDS.finditer(text)} | {m.group(0) for m in CODE.finditer(text)})


def assert_italian(client, urls):
    problems = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="it")
        assert response.status_code == 200, (url, response.status_code)
        found = leaks(response.content.decode())
        if found:
            problems[url] = found
    assert not problems, problems


@pytest.fixture
def world(published, club):
    """The published club, with comune A's 2026 form half filled (a draft with
    history) and 2024 published too, so pages show histories and trends."""
    opendata.publish_open_data(published["club_only"], club.coordinator)
    return club


def public_urls(club):
    return [
        reverse("home"), reverse("login"), reverse("accessibility"), reverse("privacy"),
        reverse("opendata:index"), reverse("opendata:dataset", args=["servizi-demografici", "2025"]),
        reverse("municipality_public", args=[club[0].slug]),
    ]


def test_public_pages_are_italian_for_anonymous_visitors(client, world):
    assert_italian(client, public_urls(world))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_comune_pages_are_italian(client, world, role):
    user = officer_of(world[0], role=role)
    client.force_login(user)
    code = world.indicators[0].code
    element = next(iter(world.elements.values())).code
    campaign = world.campaign
    urls = [
        reverse("dashboard"), reverse("benchmarking:index"),
        reverse("benchmarking:submission", args=[campaign.public_id]),
        reverse("benchmarking:value_history", args=[campaign.public_id, element]),
        reverse("members_area"), reverse("benchmarking:members"),
        reverse("benchmarking:ranking", args=[code]) + "?periodo=2025",
        reverse("benchmarking:trend", args=[code]) + f"?comuni={world[0].slug}",
        reverse("benchmarking:scorecard") + "?periodo=2025",
        reverse("benchmarking:reports"), reverse("benchmarking:catalogue"),
        *public_urls(world),
    ]
    assert_italian(client, urls)


def test_coordinator_pages_are_italian(client, world):
    client.force_login(world.coordinator)
    campaign = world.campaign
    urls = [
        reverse("dashboard"), reverse("benchmarking:campaigns"),
        reverse("benchmarking:board", args=[campaign.public_id]),
        reverse("benchmarking:review", args=[campaign.public_id, world[0].slug]),
        reverse("benchmarking:publish", args=[campaign.public_id]),
        reverse("benchmarking:indicator", args=[world.indicators[0].code]),
    ]
    assert_italian(client, urls)


def test_administration_is_italian(client, world):
    admin = get_user_model().objects.create_superuser("amministratore", "a@example.invalid", "x")
    client.force_login(admin)
    urls = [
        reverse("admin:index"),
        reverse("admin:qclub_membershipevent_changelist"),
        reverse("admin:qclub_accessaudit_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:benchmarking_campaign_changelist"),
    ]
    assert_italian(client, urls)


def test_the_check_finds_a_leak():
    page = "<body><p>Stato: draft → submitted</p><p>manca: debito_residuo</p><code>ok_code</code></body>"
    assert leaks(page) == ["debito_residuo", "draft", "submitted"]


def test_every_reason_for_a_missing_figure_has_words():
    from benchmarking.templatetags.benchmarking import REASONS, reason_text

    assert {"missing", "division_by_zero", "not_applicable", "confidential", "own"} <= set(REASONS)
    assert reason_text("division_by_zero") == "non calcolabile (divisione per zero)"
    assert reason_text("something_new") == "—"  # never the code itself
