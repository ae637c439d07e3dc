"""The permissions matrix: who may do what, with real users.

The expected tables are written out here on purpose: changing
`qclub.permissions.PERMISSIONS` must fail this test until the table (and
docs/architecture.md) say the same.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from qclub.models import Municipality, Role
from qclub.permissions import (
    ADMINISTRATOR,
    COORDINATOR,
    MANAGER,
    MEMBER,
    OFFICER,
    PERMISSIONS,
    Action,
    can,
    permission_table,
    roles_for,
)
from tests.factories import (
    AreaCoordinatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

A = Action
# role -> actions, as in docs/architecture.md "Roles and permissions".
EXPECTED_PERMISSIONS = {
    A.VIEW_DASHBOARD: {OFFICER, MANAGER, COORDINATOR, ADMINISTRATOR},
    A.ENTER_DATA: {OFFICER, MANAGER},
    A.SUBMIT_DATA: {MANAGER},
    A.RUN_SURVEYS: {OFFICER, MANAGER},
    A.HANDLE_COMPLAINTS: {OFFICER, MANAGER},
    A.DRAFT_CHARTERS: {OFFICER, MANAGER},
    A.APPROVE_CHARTERS: {MANAGER},
    A.VIEW_MEMBERS_AREA: {MEMBER},
    A.MANAGE_CATALOGUE: {COORDINATOR},
    A.OPEN_CAMPAIGNS: {COORDINATOR},
    A.REVIEW_SUBMISSIONS: {COORDINATOR},
    A.PUBLISH_RANKINGS: {COORDINATOR},
    A.ADMIT_MUNICIPALITIES: {ADMINISTRATOR},
    A.MANAGE_USERS: {ADMINISTRATOR},
    A.PUBLISH_SURVEYS: {MANAGER},
    A.MANAGE_QUESTIONNAIRES: {COORDINATOR},
}

OFFICER_ACTIONS = {A.VIEW_DASHBOARD, A.ENTER_DATA, A.RUN_SURVEYS, A.HANDLE_COMPLAINTS, A.DRAFT_CHARTERS}
COORDINATOR_ACTIONS = {A.VIEW_DASHBOARD, A.MANAGE_CATALOGUE, A.OPEN_CAMPAIGNS, A.REVIEW_SUBMISSIONS,
                       A.PUBLISH_RANKINGS, A.MANAGE_QUESTIONNAIRES}

# persona -> what it may do when acting for the club member comune "Trento".
EXPECTED_BY_PERSONA = {
    "officer": OFFICER_ACTIONS | {A.VIEW_MEMBERS_AREA},
    "manager": OFFICER_ACTIONS | {A.SUBMIT_DATA, A.APPROVE_CHARTERS, A.VIEW_MEMBERS_AREA, A.PUBLISH_SURVEYS},
    "coordinator": COORDINATOR_ACTIONS | {A.VIEW_MEMBERS_AREA},
    # An officer whose comune is only a candidate: no members area.
    "officer_of_candidate": OFFICER_ACTIONS,
    "administrator": {A.VIEW_DASHBOARD, A.ADMIT_MUNICIPALITIES, A.MANAGE_USERS},
    "anonymous": set(),
    "officer_of_other_comune": set(),
    "inactive_officer": set(),
}


@pytest.fixture
def people(db):
    trento = MunicipalityFactory(name="Trento", slug="trento", status=Municipality.Status.MEMBER)
    bergamo = MunicipalityFactory(name="Bergamo", slug="bergamo", status=Municipality.Status.MEMBER)
    carpi = MunicipalityFactory(name="Carpi", slug="carpi", status=Municipality.Status.CANDIDATE)
    coordinator = UserFactory()
    AreaCoordinatorFactory(user=coordinator, area=ThematicAreaFactory())
    personas = {
        "officer": (MembershipFactory(municipality=trento, role=Role.OFFICER).user, trento),
        "manager": (MembershipFactory(municipality=trento, role=Role.MANAGER).user, trento),
        "coordinator": (coordinator, trento),
        "officer_of_candidate": (MembershipFactory(municipality=carpi).user, carpi),
        "administrator": (UserFactory(is_superuser=True, is_staff=True), trento),
        "anonymous": (AnonymousUser(), trento),
        "officer_of_other_comune": (MembershipFactory(municipality=bergamo).user, trento),
        "inactive_officer": (
            MembershipFactory(municipality=trento, user=UserFactory(is_active=False)).user,
            trento,
        ),
    }
    return personas


def test_the_permissions_table_is_the_documented_one():
    assert {action: set(roles) for action, roles in PERMISSIONS.items()} == EXPECTED_PERMISSIONS
    assert set(Action) == set(EXPECTED_PERMISSIONS)


def test_the_printable_table_follows_the_permissions():
    # Written out as the table in docs/architecture.md reads, column by column:
    #            officer manager coordinator member administrator
    assert permission_table() == [
        ("view_dashboard", [True, True, True, False, True]),
        ("enter_data", [True, True, False, False, False]),
        ("submit_data", [False, True, False, False, False]),
        ("run_surveys", [True, True, False, False, False]),
        ("handle_complaints", [True, True, False, False, False]),
        ("draft_charters", [True, True, False, False, False]),
        ("approve_charters", [False, True, False, False, False]),
        ("view_members_area", [False, False, False, True, False]),
        ("manage_catalogue", [False, False, True, False, False]),
        ("open_campaigns", [False, False, True, False, False]),
        ("review_submissions", [False, False, True, False, False]),
        ("publish_rankings", [False, False, True, False, False]),
        ("admit_municipalities", [False, False, False, False, True]),
        ("manage_users", [False, False, False, False, True]),
        ("publish_surveys", [False, True, False, False, False]),
        ("manage_questionnaires", [False, False, True, False, False]),
    ]


@pytest.mark.parametrize("persona", sorted(EXPECTED_BY_PERSONA))
def test_can_matches_the_matrix(people, persona):
    # One test per persona, comparing whole rows: a failure shows every difference.
    user, municipality = people[persona]
    allowed = {action for action in Action if can(user, action, municipality=municipality)}
    assert sorted(allowed) == sorted(EXPECTED_BY_PERSONA[persona])


def test_roles_depend_on_the_comune_acted_for(people):
    officer, trento = people["officer"]
    bergamo = Municipality.objects.get(slug="bergamo")
    assert roles_for(officer, trento) == {OFFICER, MEMBER}
    assert roles_for(officer, bergamo) == frozenset()
    assert roles_for(officer) == frozenset()


def test_a_person_with_roles_in_two_comuni_holds_each_role_in_its_comune(people):
    trento = Municipality.objects.get(slug="trento")
    bergamo = Municipality.objects.get(slug="bergamo")
    person = MembershipFactory(municipality=trento, role=Role.OFFICER).user
    MembershipFactory(user=person, municipality=bergamo, role=Role.MANAGER)
    assert not can(person, A.SUBMIT_DATA, municipality=trento)
    assert can(person, A.SUBMIT_DATA, municipality=bergamo)


def test_coordination_can_be_checked_per_area(people):
    coordinator, trento = people["coordinator"]
    coordinated = coordinator.coordinated_areas.get().area
    other = ThematicAreaFactory()
    assert can(coordinator, A.OPEN_CAMPAIGNS, municipality=trento, area=coordinated)
    assert not can(coordinator, A.OPEN_CAMPAIGNS, municipality=trento, area=other)


def test_a_suspended_comune_loses_the_members_area(people):
    officer, trento = people["officer"]
    Municipality.objects.filter(pk=trento.pk).update(status=Municipality.Status.SUSPENDED)
    trento.refresh_from_db()
    assert not can(officer, A.VIEW_MEMBERS_AREA, municipality=trento)
    assert can(officer, A.ENTER_DATA, municipality=trento)


def test_a_coordinator_reads_the_members_area_without_a_comune(people):
    """Coordinators work for the whole club; an officer needs a member comune."""
    coordinator, _trento = people["coordinator"]
    officer, _trento = people["officer"]
    assert roles_for(coordinator) == {COORDINATOR, MEMBER}
    assert can(coordinator, A.VIEW_MEMBERS_AREA)
    assert not can(officer, A.VIEW_MEMBERS_AREA)
