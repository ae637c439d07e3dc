"""Membership of the club and people's roles (qclub.services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qclub import services
from qclub.models import AreaCoordinator, Membership, MembershipEvent, Municipality, Role
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Municipality.Status
DAY = datetime.date(2008, 6, 1)

TRANSITIONS = {
    "propose_candidacy": ({Status.NON_MEMBER, Status.FORMER}, Status.CANDIDATE),
    "admit": ({Status.CANDIDATE, Status.NON_MEMBER}, Status.MEMBER),
    "suspend": ({Status.MEMBER}, Status.SUSPENDED),
    "reinstate": ({Status.SUSPENDED}, Status.MEMBER),
    "exit_club": ({Status.MEMBER, Status.SUSPENDED}, Status.FORMER),
}
CASES = [
    (name, from_status, from_status in allowed)
    for name, (allowed, _to) in TRANSITIONS.items()
    for from_status in Status.values
]


@pytest.mark.parametrize(("service", "from_status", "allowed"), CASES)
def test_each_transition_is_allowed_only_from_its_states(service, from_status, allowed):
    comune = MunicipalityFactory(status=from_status)
    admin = UserFactory(is_superuser=True)
    change = getattr(services, service)
    if allowed:
        change(municipality=comune, note="delibera", acting_user=admin, on=DAY)
        comune.refresh_from_db()
        assert comune.status == TRANSITIONS[service][1]
        event = MembershipEvent.objects.get(municipality=comune)
        assert (event.from_status, event.to_status) == (from_status, comune.status)
        assert event.acting_user == admin
        assert event.note == "delibera"
    else:
        with pytest.raises(ValidationError) as error:
            change(municipality=comune, acting_user=admin, on=DAY)
        assert "Comune" in error.value.messages[0]
        comune.refresh_from_db()
        assert comune.status == from_status
        assert not MembershipEvent.objects.filter(municipality=comune).exists()


def test_admitting_a_candidate_sets_member_since():
    # Modena's candidacy was accepted in 2008.
    modena = MunicipalityFactory(status=Status.CANDIDATE, member_since=None)
    services.admit(municipality=modena, on=DAY)
    modena.refresh_from_db()
    assert modena.member_since == DAY
    assert modena.is_member


def test_admit_defaults_to_today():
    comune = MunicipalityFactory(status=Status.NON_MEMBER, member_since=None)
    services.admit(municipality=comune)
    comune.refresh_from_db()
    assert comune.member_since == timezone.localdate()


def test_suspension_and_reinstatement_keep_member_since():
    comune = MunicipalityFactory(status=Status.MEMBER, member_since=DAY)
    services.suspend(municipality=comune, on=datetime.date(2010, 1, 1), note="Quota non versata")
    comune.refresh_from_db()
    assert comune.suspended_since == datetime.date(2010, 1, 1)
    services.reinstate(municipality=comune, on=datetime.date(2010, 6, 1))
    comune.refresh_from_db()
    assert comune.status == Status.MEMBER
    assert comune.member_since == DAY
    assert comune.suspended_since is None


def test_exit_records_left_on_and_the_whole_history():
    comune = MunicipalityFactory(status=Status.CANDIDATE)
    services.admit(municipality=comune, on=DAY)
    services.suspend(municipality=comune, on=DAY, note="Quota non versata")
    services.exit(municipality=comune, on=datetime.date(2012, 12, 31))
    comune.refresh_from_db()
    assert comune.status == Status.FORMER
    assert comune.left_on == datetime.date(2012, 12, 31)
    history = MembershipEvent.objects.filter(municipality=comune).order_by("at", "pk")
    assert [(e.from_status, e.to_status) for e in history] == [
        (Status.CANDIDATE, Status.MEMBER),
        (Status.MEMBER, Status.SUSPENDED),
        (Status.SUSPENDED, Status.FORMER),
    ]


def test_a_stale_instance_cannot_repeat_a_transition():
    comune = MunicipalityFactory(status=Status.CANDIDATE)
    stale = Municipality.objects.get(pk=comune.pk)
    services.admit(municipality=comune)
    with pytest.raises(ValidationError):
        services.admit(municipality=stale)
    assert MembershipEvent.objects.filter(municipality=comune).count() == 1


def test_grant_role_creates_then_replaces_the_role_in_that_comune():
    comune = MunicipalityFactory()
    user = UserFactory()
    services.grant_role(user=user, municipality=comune, role=Role.OFFICER)
    services.grant_role(user=user, municipality=comune, role=Role.MANAGER)
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.MANAGER]


def test_grant_role_rejects_an_unknown_role_and_an_inactive_user():
    comune = MunicipalityFactory()
    with pytest.raises(ValidationError):
        services.grant_role(user=UserFactory(), municipality=comune, role="mayor")
    with pytest.raises(ValidationError):
        services.grant_role(user=UserFactory(is_active=False), municipality=comune, role=Role.OFFICER)
    assert not Membership.objects.exists()


def test_revoke_role_removes_the_membership_and_refuses_a_missing_one():
    comune = MunicipalityFactory()
    user = UserFactory()
    services.grant_role(user=user, municipality=comune, role=Role.OFFICER)
    services.revoke_role(user=user, municipality=comune)
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(ValidationError):
        services.revoke_role(user=user, municipality=comune)


def test_appoint_and_remove_coordinator():
    area = ThematicAreaFactory()
    user = UserFactory()
    services.appoint_coordinator(user=user, area=area)
    services.appoint_coordinator(user=user, area=area)  # idempotent
    assert AreaCoordinator.objects.filter(user=user, area=area).count() == 1
    services.remove_coordinator(user=user, area=area)
    assert not AreaCoordinator.objects.filter(user=user).exists()
    with pytest.raises(ValidationError):
        services.remove_coordinator(user=user, area=area)


# --- The admin calls the same services --------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    "model",
    ["municipality", "thematicarea", "service", "membership", "areacoordinator",
     "accessaudit", "membershipevent"],
)
def test_admin_changelists_open_for_a_superuser(client, superuser, model):
    MunicipalityFactory()
    client.force_login(superuser)
    assert client.get(reverse(f"admin:qclub_{model}_changelist")).status_code == 200


def test_admin_user_page_shows_the_memberships_inline(client, superuser):
    member = MembershipFactory().user
    client.force_login(superuser)
    response = client.get(reverse("admin:auth_user_change", args=[member.pk]))
    assert response.status_code == 200
    assert b"memberships" in response.content


def test_admin_municipality_page_shows_its_history(client, superuser):
    comune = MunicipalityFactory(status=Status.CANDIDATE)
    services.admit(municipality=comune)
    client.force_login(superuser)
    assert client.get(reverse("admin:qclub_municipality_change", args=[comune.pk])).status_code == 200


def test_admin_action_admits_and_reports_refusals(client, superuser):
    candidate = MunicipalityFactory(status=Status.CANDIDATE, name="Modena")
    member = MunicipalityFactory(status=Status.MEMBER, name="Bergamo")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:qclub_municipality_changelist"),
        {"action": "action_admit", "_selected_action": [candidate.pk, member.pk], "apply": "1",
         "on": "2026-03-01", "note": "Delibera di giunta n. 12"},
        follow=True,
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.status == Status.MEMBER
    assert candidate.member_since == datetime.date(2026, 3, 1)
    event = MembershipEvent.objects.get(municipality=candidate)
    assert (event.acting_user, event.on, event.note) == (superuser, datetime.date(2026, 3, 1), "Delibera di giunta n. 12")
    texts = [str(m) for m in response.context["messages"]]
    assert any("1 comune aggiornato" in t for t in texts)
    assert any("Bergamo" in t for t in texts)


def test_admin_action_asks_the_decision_date_and_reason_first(client, superuser):
    candidate = MunicipalityFactory(status=Status.CANDIDATE, name="Modena")
    client.force_login(superuser)
    url = reverse("admin:qclub_municipality_changelist")
    response = client.post(url, {"action": "action_admit", "_selected_action": [candidate.pk]})
    assert response.status_code == 200
    assert "Data della decisione" in response.content.decode() and "Modena" in response.content.decode()
    # The reason is required: without it nothing changes and the page asks again.
    again = client.post(url, {"action": "action_admit", "_selected_action": [candidate.pk], "apply": "1",
                              "on": "2026-03-01", "note": ""})
    assert again.status_code == 200 and again.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.status == Status.CANDIDATE and not MembershipEvent.objects.exists()


def test_admin_action_suspends_with_a_reason_and_reinstates(client, superuser):
    comune = MunicipalityFactory(status=Status.MEMBER)
    client.force_login(superuser)
    url = reverse("admin:qclub_municipality_changelist")
    decision = {"_selected_action": [comune.pk], "apply": "1", "on": "2026-05-02"}
    client.post(url, {**decision, "action": "action_suspend", "note": "Quota non versata"})
    comune.refresh_from_db()
    assert comune.status == Status.SUSPENDED and comune.suspended_since == datetime.date(2026, 5, 2)
    assert MembershipEvent.objects.get(to_status=Status.SUSPENDED).note == "Quota non versata"
    client.post(url, {**decision, "action": "action_reinstate", "note": "Quota versata"})
    comune.refresh_from_db()
    assert comune.status == Status.MEMBER


def test_a_suspension_needs_a_reason():
    comune = MunicipalityFactory(status=Status.MEMBER)
    with pytest.raises(ValidationError):
        services.suspend(municipality=comune, note=" ")
    comune.refresh_from_db()
    assert comune.status == Status.MEMBER


def test_the_admin_offers_no_deletion_of_a_comune(client, superuser):
    comune = MunicipalityFactory()
    client.force_login(superuser)
    assert client.get(reverse("admin:qclub_municipality_delete", args=[comune.pk])).status_code == 403
    changelist = client.get(reverse("admin:qclub_municipality_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert Municipality.objects.filter(pk=comune.pk).exists()


def test_the_database_refuses_to_delete_a_comune(db):
    comune = MunicipalityFactory()
    with pytest.raises(IntegrityError, match="non si cancellano"), transaction.atomic():
        Municipality.objects.filter(pk=comune.pk).delete()
    assert Municipality.objects.filter(pk=comune.pk).exists()


def test_audit_trails_are_read_only_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:qclub_membershipevent_add")).status_code == 403
    assert client.get(reverse("admin:qclub_accessaudit_add")).status_code == 403
