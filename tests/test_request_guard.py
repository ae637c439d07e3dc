"""What is refused at the door (qclub/request_guard.py) and by the API's bounded
pagination, through pages and API: NUL characters anywhere, bodies over the
limit, JSON PostgreSQL cannot store, limits and offsets out of range, and a
person acting for no comune."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMUNI_API = "/api/v1/comuni/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


# --- NUL characters --------------------------------------------------------------


@pytest.mark.parametrize("url", [
    COMUNI_API + "?search=%00",
    COMUNI_API + "?status=%00",
    COMUNI_API + "?%00=x",
    "/api/v1/comuni/%00/",
    "/api/v1/confronti/indicatori/%00/classifica/",
    "/api/v1/benchmarking/catalogo/indicatori/?area=%00",
])
def test_the_api_refuses_a_nul_anywhere_in_the_url(officer_a, url):
    response = api(officer_a).get(url)
    assert response.status_code == 400
    assert "carattere nullo" in response.json()["detail"]


@pytest.mark.parametrize("url", [
    "/benchmarking/confronti/indicatori/%00/",
    "/benchmarking/catalogo/indicatori/%00/",
    "/benchmarking/catalogo/?q=%00",
    "/benchmarking/catalogo/dati/?search=%00",
    "/comuni/%00/",
    "/accounts/login/?next=%00",
])
def test_pages_refuse_a_nul_anywhere_in_the_url_in_italian(client, officer_a, url):
    client.force_login(officer_a)
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Richiesta non valida" in page and "carattere nullo" in page and '<html lang="it">' in page


def test_a_nul_in_a_form_field_a_cookie_or_a_header_is_refused(client, officer_a):
    assert client.post(reverse("login"), {"username": "a\x00b", "password": "x"}).status_code == 400
    client.force_login(officer_a)
    assert client.get(reverse("dashboard"), HTTP_X_QCLUB_COMUNE="\x00").status_code == 400
    client.cookies["sessionid"] = "\x00" * 32
    assert client.get(reverse("dashboard")).status_code == 400


def test_a_nul_or_lone_surrogate_in_json_is_refused(officer_a):
    client = api(officer_a)
    for body in ('{"username": "a\\u0000b", "password": "x"}', '{"username": "\\ud800", "password": "x"}'):
        response = client.generic("POST", "/api/v1/token/", body, content_type="application/json")
        assert response.status_code == 400, body
        assert "caratteri non validi" in response.json()["detail"]


def test_json_nested_beyond_reason_is_refused(officer_a):
    client = api(officer_a)
    for depth in (30, 100_000):
        body = "[" * depth + "]" * depth
        response = client.generic("POST", "/api/v1/token/", body, content_type="application/json")
        assert response.status_code == 400, depth


# --- Body size ---------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, officer_a, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1000
    client.force_login(officer_a)
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "x"})
    assert response.status_code == 413
    assert "troppo grande" in response.content.decode()
    response = api(officer_a).generic("PUT", "/api/v1/benchmarking/campagne/x/valori/", "[" + " " * 2000 + "]",
                                      content_type="application/json")
    assert response.status_code == 413 and "troppo grande" in response.json()["detail"]


def test_a_content_length_that_is_not_a_number_is_refused(client):
    assert client.post(reverse("login"), {}, CONTENT_LENGTH="tanti").status_code == 400


# --- Pagination ------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "limit=-1", "limit=0", "limit=99999999999999999999", "limit=abc", "limit=501", "limit=%D9%A3",
    "offset=-1", "offset=99999999999999999999", "offset=1e3",
])
def test_limits_and_offsets_out_of_range_are_a_400_that_says_so(officer_a, query):
    response = api(officer_a).get(f"{COMUNI_API}?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert "numero intero" in response.json()[name][0]


def test_limits_and_offsets_in_range_page_as_before(officer_a, comune_a, comune_b):
    client = api(officer_a)
    body = client.get(f"{COMUNI_API}?limit=1&offset=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert len(client.get(f"{COMUNI_API}?limit=500").json()["results"]) == 2
    assert len(client.get(COMUNI_API).json()["results"]) == 2


# --- Acting for no comune --------------------------------------------------------


def test_a_person_without_a_comune_gets_403_in_italian_not_a_server_error(client, settings):
    """A query on a comune's rows with no comune to act for raises
    NoActiveMunicipality; the guard answers 403 wherever it comes from."""
    from django.http import HttpResponse
    from django.urls import path

    from qclub.models import Municipality

    def reads_tenant_rows(request):
        # Any tenant model would do: one not guarded by a role check.
        from benchmarking.models import DataValue

        DataValue.objects.count()
        return HttpResponse("letto")

    from qclub import urls as project_urls

    urls = type("urls", (), {"urlpatterns": [path("prova/", reads_tenant_rows), *project_urls.urlpatterns]})
    settings.ROOT_URLCONF = urls
    client.force_login(UserFactory())
    client.raise_request_exception = False
    response = client.get("/prova/")
    assert response.status_code == 403
    assert "Non lavori per nessun comune" in response.content.decode()
    assert Municipality.objects.count() == 0
