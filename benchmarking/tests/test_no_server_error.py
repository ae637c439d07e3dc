"""No request answers 5xx: every URL pattern of the project (pages, htmx
fragments, API, admin), as every role and anonymous, with real arguments and
with hostile ones (NUL characters, periods out of range, numbers beyond
bigint, overlong text, negative pages). And the findings of the review one by
one, through the page and the API.

The sweep walks the URLconf, so a new page is covered the day it is added.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from qclub.models import Role
from tests.factories import UserFactory, officer_of

HUGE = "99999999999999999999"  # beyond bigint
# Query strings every page and API call gets. Each mixes parameters that pages
# and API read (periods, pages, years, groups, orderings, exports, filters);
# limit/offset stay in range so that the others are reached (their own
# bounds are tests/test_request_guard.py's).
QUERIES = [
    "",
    f"?periodo=2000&page={HUGE}&pagina=-1&anno={HUGE}&ordina=-zzz&mostra=group:{HUGE}&statistiche=x"
    f"&contesto=a,b&comuni=zz&export=csv&area={HUGE}&comune=zz&period=2000&status=zz&search=%FF%FE"
    f"&q={'x' * 300}&chiave={'k' * 300}&stato=zz&limit=5&offset=3&o=99&p={HUGE}&all=1&e=1&sync=1",
    f"?periodo=2000-Q1&page=-1&anno=-5&mostra=group:1&export=xlsx&ordina=valore&area=x&limit=500"
    f"&offset={10_000_000}&periodo=2100-Q4&q=%00",
]
HOSTILE_FORM = {
    "name": "n" * 5000, "code": "1e400", "value": "1e400", "year": HUGE, "anno": "-1", "key": "k" * 300,
    "period": "2000", "period_year": HUGE, "period_text": "2000-Q9", "comune": "x", "area": HUGE,
    "note": "x" * 3000, "text": "t" * 3000, "formula": "9" * 600, "description": "d" * 10,
    "action": "approve", "v-certificati": "1e400", "s-certificati": "value", "ver-certificati": HUGE,
    "j-certificati": "=1+1", "indicator": HUGE, "pk": HUGE, "password": "p",
    # Longer than the username column (150) and the lock-out table's (255):
    # a form error or a 400 (tests/test_authentication.py), never a 500.
    "username": "u" * 300,
    "due_on": "31/02/2025", "opens_on": "0000-00-00", "group": "group:" + HUGE,
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern.pattern, RoutePattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, values: dict[str, str]) -> str:
    path = route
    for converter in ("uuid", "slug", "str", "int", "path", ""):
        for name, value in values.items():
            path = path.replace(f"<{converter}:{name}>" if converter else f"<{name}>", value)
    return "/" + path


def real_values(club) -> dict[str, str]:
    return {
        "public_id": str(club.campaign.public_id), "job": str(uuid.uuid4()), "code": club.indicators[0].code,
        "slug": club[1].slug, "area_code": club.area.code, "period_code": "2025", "pk": "1",
        "uidb64": "MQ", "token": "set-password", "object_id": "1", "app_label": "benchmarking",
    }


def hostile_values(real: dict[str, str]) -> list[dict[str, str]]:
    return [
        {**{name: "%00" for name in real}, "public_id": real["public_id"]},
        {**{name: "z" * 300 for name in real}, "public_id": real["public_id"], "pk": HUGE, "object_id": HUGE},
        {**real, "period_code": "2000", "code": "-1", "pk": "0", "slug": "-", "area_code": "-"},
        {**real, "period_code": "2000-Q1", "public_id": str(uuid.uuid4())},
    ]


def clients(club) -> dict[str, APIClient]:
    people = {
        "anonymous": None,
        "officer": officer_of(club[0]),
        "manager": officer_of(club[0], role=Role.MANAGER),
        "coordinator": club.coordinator,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
        "no comune": UserFactory(),
    }
    out = {}
    for role, user in people.items():
        client = APIClient()
        client.raise_request_exception = False
        if user is not None:
            client.force_login(user)
        out[role] = client
    return out


@pytest.mark.slow
def test_no_url_answers_a_server_error_for_any_role_or_input(published, club):
    routes = [route for route in _routes(get_resolver().url_patterns) if "<" not in route or "admin/" not in route]
    pages = [route for route in routes if not route.startswith("admin/")]
    admin = [route for route in routes if route.startswith("admin/")]
    real = real_values(club)
    by_role = clients(club)
    failures: list[str] = []

    done: set[tuple[str, str, str]] = set()

    def call(role: str, method: str, url: str, data=None) -> None:
        if (role, method, url) in done:  # a route without arguments is the same URL each time
            return
        done.add((role, method, url))
        client = by_role[role]
        response = client.post(url, data or {}) if method == "POST" else client.get(url)
        if response.status_code >= 500:
            failures.append(f"{role} {method} {url[:160]} -> {response.status_code}")

    for route in pages:
        url = _fill(route, real)
        for role in by_role:
            call(role, "GET", url + QUERIES[1])
        for role in ("anonymous", "officer", "coordinator"):
            call(role, "GET", url)
        for role in ("officer", "coordinator"):
            call(role, "GET", url + QUERIES[2])
            for values in hostile_values(real):
                call(role, "GET", _fill(route, values))
        for role in ("anonymous", "manager", "coordinator", "no comune"):
            call(role, "POST", url, HOSTILE_FORM)
    for route in admin:
        for query in QUERIES[:2]:
            call("administrator", "GET", _fill(route, real) + query)
        call("officer", "GET", _fill(route, real))
    assert not failures, "\n".join(failures)


# --- The findings, one by one, through the page and the API --------------------


def test_a_period_with_none_before_it_is_not_a_server_error(client, published, club):
    """`?periodo=2000` once failed in Period.previous() ("year out of range: 1999")."""
    client.force_login(officer_of(club[0]))
    code = club.indicators[0].code
    for period in ("2000", "2000-H1", "2000-Q1"):
        page = client.get(reverse("benchmarking:ranking", args=[code]) + f"?periodo={period}")
        assert page.status_code == 200
        response = client.get(f"/api/v1/confronti/indicatori/{code}/classifica/?periodo={period}")
        assert response.status_code in (200, 404), response.content


def test_the_value_history_of_someone_without_a_comune_is_refused_in_italian(client, club):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    url = reverse("benchmarking:value_history", args=[club.campaign.public_id, "certificati"])
    response = client.get(url)
    assert response.status_code == 403
    assert "Accesso non consentito" in response.content.decode()
    api = APIClient()
    api.force_login(UserFactory())
    response = api.get(f"/api/v1/benchmarking/campagne/{club.campaign.public_id}/valori/")
    assert response.status_code == 403


def test_a_nul_in_an_indicator_code_is_a_400_for_page_and_api(client, club):
    client.force_login(officer_of(club[0]))
    assert client.get("/benchmarking/confronti/indicatori/%00/").status_code == 400
    assert client.get("/api/v1/confronti/indicatori/%00/classifica/").status_code == 400
    assert client.get(reverse("benchmarking:members") + "?periodo=%00").status_code == 400
