"""The core pages through the HTTP client: home, login, dashboard, comune switcher,
language, password reset, logout, error pages and the module entry pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from qclub.models import Role
from qclub.tenancy import TenancyMiddleware
from tests.factories import (
    DEMO_PASSWORD,
    AreaCoordinatorFactory,
    MembershipFactory,
    UserFactory,
    officer_of,
)

pytestmark = pytest.mark.django_db

MODULE_INDEXES = ["complaints:index", "servicecharters:index"]


@pytest.fixture
def multi_officer(comune_a, comune_b):
    """An officer of comune A who is also manager of comune B."""
    user = officer_of(comune_a)
    MembershipFactory(user=user, municipality=comune_b, role=Role.MANAGER)
    return user


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_is_public(client, comune_a):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'href="/accounts/login/"' in response.content.decode()
    assert html_lang(response) == "it"


def test_dashboard_redirects_anonymous_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_renders_labelled_fields(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<label class="qc-label" for="id_username">' in content
    assert '<label class="qc-label" for="id_password">' in content


def test_failed_login_shows_linked_error_summary(client, officer_a):
    response = client.post(reverse("login"), {"username": officer_a.username, "password": "wrong"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="alert alert-danger qc-error-summary" role="alert"' in content


def test_officer_logs_in_and_sees_their_comune(client, officer_a):
    response = client.post(
        reverse("login"), {"username": officer_a.username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    content = response.content.decode()
    assert "Trento" in content
    assert "Operatore qualità" in content


def test_officer_dashboard_does_not_show_other_comune(client, officer_a, comune_b):
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Trento" in content
    assert "Bergamo" not in content


def test_dashboard_cards_show_empty_states(client, officer_a):
    # Surveys and charters offer no card yet, complaints' is empty (qclub/modules.py);
    # benchmarking's says there is nothing to do.
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Benchmarking: le schede del comune" in content
    assert "Nessuna scheda aspetta il tuo intervento." in content


def test_user_without_membership_sees_how_to_get_a_role(client):
    client.force_login(UserFactory())
    content = client.get(reverse("dashboard")).content.decode()
    assert "Non hai ancora un ruolo in QClub" in content


def test_coordinator_sees_the_areas_they_coordinate(client):
    coordination = AreaCoordinatorFactory(area__name="Servizi demografici")
    client.force_login(coordination.user)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Le aree che coordini" in content
    assert "Servizi demografici" in content


def test_administrator_sees_admin_links(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    content = client.get(reverse("dashboard")).content.decode()
    assert reverse("admin:index") in content


def test_switcher_is_shown_only_with_several_comuni(client, officer_a, multi_officer):
    client.force_login(officer_a)
    assert 'name="municipality"' not in client.get(reverse("dashboard")).content.decode()
    client.force_login(multi_officer)
    assert 'name="municipality"' in client.get(reverse("dashboard")).content.decode()


def test_switching_to_a_comune_of_the_user_works(client, multi_officer):
    client.force_login(multi_officer)
    response = client.post(
        reverse("switch_municipality"),
        {"municipality": "bergamo", "next": "/dashboard/"},
        follow=True,
    )
    assert client.session[TenancyMiddleware.SESSION_KEY] == "bergamo"
    assert "Comune di Bergamo" in response.content.decode()


def test_switching_to_a_comune_of_someone_else_is_refused(client, officer_a, comune_b):
    client.force_login(officer_a)
    response = client.post(
        reverse("switch_municipality"),
        {"municipality": comune_b.slug, "next": "/dashboard/"},
        follow=True,
    )
    assert TenancyMiddleware.SESSION_KEY not in client.session
    content = response.content.decode()
    assert "Non appartieni a questo comune." in content
    assert 'role="alert"' in content
    assert "Bergamo" not in content.replace("Non appartieni a questo comune.", "")


def test_switch_rejects_get(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("switch_municipality")).status_code == 405


def test_language_switch_to_english_sets_html_lang(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert html_lang(response) == "en"
    assert html_lang(client.get(reverse("home"))) == "en"


def test_password_reset_sends_an_email(client, officer_a):
    response = client.post(reverse("password_reset"), {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert officer_a.email in mail.outbox[0].to


def test_password_reset_confirm_page_works_from_the_email(client, officer_a):
    client.post(reverse("password_reset"), {"email": officer_a.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert 'for="id_new_password1"' in response.content.decode()


def test_logout_needs_post(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_header_has_post_logout_form(client, officer_a):
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"', content)


def test_404_page_renders(client):
    response = client.get("/non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_500_page_renders_without_request_context_or_database(rf):
    # Django's own handler, as in production: a bare Context (no context processors, no
    # user, no active comune), and no `db` fixture here, so any query would fail the test.
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert html_lang(response) == "it"
    assert "<h1>Si è verificato un errore</h1>" in content
    assert 'href="/"' in content


@pytest.mark.parametrize("name", [*MODULE_INDEXES, "benchmarking:index", "surveys:index"])
def test_module_index_requires_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", MODULE_INDEXES)
def test_module_index_renders_for_officer(client, officer_a, name):
    client.force_login(officer_a)
    response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    if name not in ("complaints:index", "servicecharters:index"):  # built, tested in their own tests/
        assert "Modulo in costruzione" in content
    assert 'aria-current="page"' in content


def test_pages_make_no_third_party_requests(client, officer_a):
    client.force_login(officer_a)
    content = client.get(reverse("dashboard")).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', content)


# A counter's tablet shows citizens the questionnaire alone, no site name
# (`bare.html` is its frame); the home page is "QClub — what it is".
_KIOSK_TEMPLATES = {"surveys/counter", "bare.html", "qclub/home.html"}


def test_every_page_title_names_the_page_then_qclub_with_one_separator():
    """A screen reader announces the title first: "Pagina — QClub" on every
    page (they once mixed "·" and "—")."""
    from pathlib import Path

    from django.conf import settings

    titles = {}
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            found = re.search(r"\{% block title %\}(.*?)\{% endblock %\}", path.read_text(), re.S)
            if found:
                titles[str(path.relative_to(folder))] = found.group(1)
    assert len(titles) > 80
    wrong = {name: title for name, title in titles.items() if "· QClub" in title or (
        not title.endswith(" — QClub") and name != "base.html"
        and not any(name.startswith(prefix) for prefix in _KIOSK_TEMPLATES)
    )}
    assert not wrong, wrong
