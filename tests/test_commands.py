"""The operations commands: load_comuni, seed_demo, demo_logins."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from qclub import modules
from qclub.models import (
    AreaCoordinator,
    Membership,
    MembershipEvent,
    Municipality,
    Service,
    ThematicArea,
)

pytestmark = pytest.mark.django_db

CLUB = {"trento", "milano", "torino", "genova", "venezia", "bergamo", "bolzano", "modena"}


@pytest.fixture(autouse=True)
def no_modules(monkeypatch):
    # These tests are about the core data; modules test their own demo hooks
    # (test_seed_demo_calls_each_modules_demo_hook covers the call itself).
    monkeypatch.setattr(modules, "installed_modules", lambda: [])


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def _state() -> dict:
    """Everything seed_demo owns, in comparable form."""
    user_model = get_user_model()
    return {
        "comuni": list(Municipality.objects.order_by("istat_code").values_list(
            "istat_code", "slug", "name", "status", "member_since", "population"
        )),
        "areas": list(ThematicArea.objects.order_by("code").values_list(
            "code", "name", "coordinating_municipality__slug", "position"
        )),
        "services": list(Service.objects.order_by("code").values_list("code", "area__code")),
        "users": list(user_model.objects.order_by("username").values_list(
            "username", "is_superuser", "is_staff", "is_active"
        )),
        "memberships": list(Membership.objects.order_by("user__username", "municipality__slug")
                            .values_list("user__username", "municipality__slug", "role")),
        "coordinators": list(AreaCoordinator.objects.order_by("user__username", "area__code")
                             .values_list("user__username", "area__code")),
        "events": MembershipEvent.objects.count(),
    }


@pytest.mark.slow
def test_load_comuni_loads_every_official_comune_and_prints_the_count():
    out = StringIO()
    call_command("load_comuni", stdout=out)
    assert Municipality.objects.count() == 7896
    assert "7896" in out.getvalue()
    assert not Municipality.objects.exclude(status=Municipality.Status.NON_MEMBER).exists()
    bolzano = Municipality.objects.get(istat_code="021008")
    assert (bolzano.slug, bolzano.name, bolzano.province_code) == ("bolzano", "Bolzano/Bozen", "BZ")
    # Comuni sharing a name are told apart by their province.
    assert set(Municipality.objects.filter(name="Samone").values_list("slug", flat=True)) == {
        "samone-to", "samone-tn",
    }


@pytest.mark.slow
def test_load_comuni_is_idempotent_and_keeps_a_members_status_and_slug(comune_a):
    # comune_a is Trento, a member, with its real ISTAT code.
    call_command("load_comuni", stdout=StringIO())
    Municipality.objects.filter(pk=comune_a.pk).update(name="Trento (vecchio nome)", population=1)
    call_command("load_comuni", stdout=StringIO())
    assert Municipality.objects.count() == 7896  # comune_a is one of them
    trento = Municipality.objects.get(pk=comune_a.pk)
    assert trento.name == "Trento"
    assert trento.status == Municipality.Status.MEMBER
    assert trento.slug == "trento"
    assert trento.population == 1


@pytest.mark.slow
def test_seed_demo_creates_the_club(debug):
    call_command("seed_demo", stdout=StringIO())
    members = Municipality.objects.filter(status=Municipality.Status.MEMBER)
    assert set(members.values_list("slug", flat=True)) == CLUB
    assert Municipality.objects.count() == 7896
    bergamo = Municipality.objects.get(slug="bergamo")
    assert bergamo.istat_code == "016024"
    assert bergamo.population > 100_000
    modena = Municipality.objects.get(slug="modena")
    assert modena.member_since.year == 2008
    assert [(e.from_status, e.to_status) for e in modena.membership_events.order_by("at", "pk")] == [
        ("non_member", "candidate"), ("candidate", "member"),
    ]
    demografici = ThematicArea.objects.get(code="servizi-demografici")
    assert demografici.coordinating_municipality == bergamo
    assert {"anagrafe", "stato-civile", "stranieri"} <= set(
        demografici.services.values_list("code", flat=True)
    )
    assert set(ThematicArea.objects.values_list("code", flat=True)) == {
        "servizi-demografici", "customer-satisfaction", "asili-nido", "personale",
        "finanziari", "biblioteche",
    }
    assert not ThematicArea.objects.filter(coordinating_municipality__isnull=True).exists()


@pytest.mark.slow
def test_seed_demo_users_can_log_in_with_the_demo_password(debug, client):
    call_command("seed_demo", "--no-comuni", stdout=StringIO())
    user_model = get_user_model()
    admin = user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert AreaCoordinator.objects.filter(user__username="coordinator").count() == 6
    assert Membership.objects.get(user__username="manager.modena").role == "manager"
    assert Membership.objects.get(user__username="officer.bolzano").role == "officer"
    assert Membership.objects.filter(user__username="officer.multi").count() == 2
    for username in ("admin", "coordinator", "officer.trento", "manager.bergamo", "officer.multi"):
        # Through the real login form: django-axes wants the request.
        response = client.post(reverse("login"), {"username": username, "password": "qclub-demo"})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user_model.objects.get(username=username).pk)
        client.post(reverse("logout"))


@pytest.mark.slow
def test_seed_demo_is_idempotent(debug):
    call_command("seed_demo", stdout=StringIO())
    first = _state()
    user = get_user_model().objects.get(username="officer.trento")
    user.set_password("changed")
    user.save()
    call_command("seed_demo", stdout=StringIO())
    assert _state() == first
    user.refresh_from_db()
    # Documented: every run resets the demo passwords.
    assert user.check_password("qclub-demo")


@pytest.mark.slow
def test_seed_demo_restores_a_suspended_member(debug):
    call_command("seed_demo", "--no-comuni", stdout=StringIO())
    Municipality.objects.filter(slug="genova").update(
        status=Municipality.Status.SUSPENDED, suspended_since=datetime.date(2020, 1, 1)
    )
    call_command("seed_demo", "--no-comuni", stdout=StringIO())
    genova = Municipality.objects.get(slug="genova")
    assert genova.status == Municipality.Status.MEMBER
    assert genova.suspended_since is None


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_seed_demo_calls_each_modules_demo_hook(debug, monkeypatch):
    calls = []

    class WithDemo(modules.ModuleHooks):
        def seed_demo(self, stdout):
            calls.append(stdout)
            stdout.write("hook ran")

    monkeypatch.setattr(modules, "installed_modules", lambda: [
        modules.Module(label="surveys", name="Indagini", hooks=WithDemo()),
        modules.Module(label="complaints", name="Reclami", hooks=modules.ModuleHooks()),
    ])
    out = StringIO()
    call_command("seed_demo", "--no-comuni", stdout=out)
    assert len(calls) == 1
    assert "hook ran" in out.getvalue()
    assert "Dati dimostrativi aggiunti da surveys." in out.getvalue()
    assert "complaints" not in out.getvalue()


def test_demo_logins_gives_a_hint_when_nothing_is_seeded():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "http://127.0.0.1:8000" in out.getvalue()
    assert "seed_demo" in out.getvalue()


@pytest.mark.slow
def test_demo_logins_lists_every_demo_user_and_the_password(debug):
    call_command("seed_demo", "--no-comuni", stdout=StringIO())
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert "qclub-demo" in text
    for username in ["admin", "coordinator", "officer.multi"] + [
        f"{role}.{slug}" for slug in CLUB for role in ("officer", "manager")
    ]:
        assert username in text
