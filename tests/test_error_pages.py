"""The error pages as production serves them (DEBUG off): in Italian, in the
site's design, for every kind of failure a view can raise."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PAGES = {
    "/prova/404/": (404, "Pagina non trovata"),
    "/prova/403/": (403, "Accesso non consentito"),
    "/prova/400/": (400, "Richiesta non valida"),
    "/prova/500/": (500, "Si è verificato un errore"),
    "/non-esiste/": (404, "Pagina non trovata"),
}
# What Django's own pages say; none of it may reach a visitor.
DJANGO_DEFAULTS = ["Not Found", "Server Error", "Bad Request", "Forbidden", "Traceback", "DEBUG = True"]


@pytest.fixture
def production_client(client):
    client.raise_request_exception = False
    with override_settings(DEBUG=False, ROOT_URLCONF="tests.error_urls"):
        yield client


@pytest.mark.parametrize("url", PAGES)
def test_error_pages_are_italian_in_the_site_design_with_debug_off(production_client, url):
    status, heading = PAGES[url]
    response = production_client.get(url)
    content = response.content.decode()
    assert response.status_code == status
    assert re.search(r'<html lang="it"', content)
    assert f"<h1>{heading}</h1>" in content
    assert "it-header-wrapper" in content and "bootstrap-italia" in content
    assert "Dichiarazione di accessibilità" in content
    for text in DJANGO_DEFAULTS:
        assert text not in content, text


def test_refused_csrf_check_explains_in_italian(client):
    client.handler.enforce_csrf_checks = True
    with override_settings(DEBUG=False):
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    content = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Il modulo non è stato accettato</h1>" in content
    assert "CSRF verification failed" not in content and "Forbidden" not in content


def test_anonymous_on_a_refused_page_is_offered_the_home_page(production_client):
    content = production_client.get("/prova/403/").content.decode()
    assert 'href="/"' in content and "Torna al cruscotto" not in content
