"""One permission check: pages (`check`/`@requires`) and API
(`requires_action`) refuse through the one table with its Italian message,
and every write service refuses a user without the action."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from benchmarking.catalogue import services as catalogue
from benchmarking.comparisons import services as comparisons
from benchmarking.models import BestPractice, ContextValue, DataElement
from qclub.models import Municipality, PeerGroup
from qclub.permissions import DENIED, Action
from qclub.tenancy import acting_for
from tests.factories import (
    AreaCoordinatorFactory,
    MembershipFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    officer_of,
)


def api_client(user, comune=None):
    client = APIClient()
    client.force_login(user)
    if comune is not None:
        client.defaults["HTTP_X_QCLUB_COMUNE"] = comune.slug
    return client


# --- Pages and API: the one check ----------------------------------------------------


def test_an_officer_is_refused_the_review_board_and_its_api_with_the_tables_message(client, officer_a, campaign):
    message = str(DENIED[Action.REVIEW_SUBMISSIONS])
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:board", args=[campaign.public_id]))
    assert page.status_code == 403 and escape(message) in page.content.decode()
    api = api_client(officer_a).get(f"/api/v1/benchmarking/campagne/{campaign.public_id}/schede/")
    assert api.status_code == 403 and api.json()["detail"] == message


def test_the_values_api_refuses_a_coordinator_without_a_role_in_the_comune(coordinator, campaign):
    response = api_client(coordinator).get(f"/api/v1/benchmarking/campagne/{campaign.public_id}/valori/")
    assert response.status_code == 403
    assert response.json()["detail"] == str(DENIED[Action.ENTER_DATA])


def test_a_members_area_page_and_api_refuse_a_comune_outside_the_club(client, indicators):
    outsider = officer_of(MunicipalityFactory(status=Municipality.Status.CANDIDATE))
    message = str(DENIED[Action.VIEW_MEMBERS_AREA])
    client.force_login(outsider)
    page = client.get(reverse("benchmarking:ranking", args=[indicators[0].code]))
    assert page.status_code == 403 and escape(message) in page.content.decode()
    api = api_client(outsider).get(reverse("api_members_ranking", args=[indicators[0].code]))
    assert api.status_code == 403 and api.json()["detail"] == message


def test_the_api_permission_reads_the_comune_named_in_the_header(comune_a, officer_a, indicators):
    # One person, officer of a member comune and of a candidate one: the
    # permission is checked for the comune the request acts for.
    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    MembershipFactory(user=officer_a, municipality=candidate)
    url = reverse("api_members_ranking", args=[indicators[0].code])
    assert api_client(officer_a, comune=comune_a).get(url).status_code == 200
    assert api_client(officer_a, comune=candidate).get(url).status_code == 403


def test_an_anonymous_api_request_is_asked_to_authenticate(campaign):
    response = APIClient().get(f"/api/v1/benchmarking/campagne/{campaign.public_id}/valori/")
    assert response.status_code in (401, 403)


# --- Writes through services: refused without the action -------------------------------


def element_kwargs(area, **overrides):
    return {"area": area, "code": "pratiche", "name": "Pratiche", "unit": "n.", "kind": "count", **overrides}


def test_only_a_coordinator_of_the_area_creates_a_data_element(area, officer_a, coordinator):
    other_coordinator = AreaCoordinatorFactory(area=ThematicAreaFactory()).user
    for user in (officer_a, other_coordinator):
        with pytest.raises(PermissionDenied, match="coordina l'area"):
            catalogue.element_create(**element_kwargs(area), acting_user=user)
    assert not DataElement.objects.filter(code="pratiche").exists()
    element = catalogue.element_create(**element_kwargs(area), acting_user=coordinator)
    assert element.area == area


def test_element_rules_are_the_services(area, elements, coordinator):
    with pytest.raises(ValidationError) as refused:
        catalogue.element_create(
            **element_kwargs(area, code="certificati", plausible_min=Decimal(5), plausible_max=Decimal(1)),
            acting_user=coordinator,
        )
    assert refused.value.message_dict == {
        "code": ["Esiste già un dato elementare con questo codice."],
        "plausible_max": ["Il massimo plausibile non può essere minore del minimo."],
    }


def test_only_a_coordinator_of_the_area_updates_a_data_element(elements, officer_a, coordinator):
    element = elements["sportello_fte"]
    fields = {name: getattr(element, name) for name in (
        "unit", "kind", "service", "group", "position", "measurement", "plausible_min", "plausible_max",
        "change_threshold_pct", "part_of",
    )}
    with pytest.raises(PermissionDenied):
        catalogue.element_update(element=element, name="Rubato", **fields, acting_user=officer_a)
    element.refresh_from_db()
    assert element.name != "Rubato"
    catalogue.element_update(element=element, name="Addetti", **fields, acting_user=coordinator)
    element.refresh_from_db()
    assert element.name == "Addetti"


def test_only_coordinators_save_peer_groups_of_member_comuni(comune_a, comune_b, officer_a, coordinator):
    with pytest.raises(PermissionDenied):
        comparisons.peer_group_save(name="Grandi", members=[comune_a], acting_user=officer_a)
    assert not PeerGroup.objects.exists()
    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    with pytest.raises(ValidationError, match="solo comuni aderenti"):
        comparisons.peer_group_save(name="Grandi", members=[comune_a, candidate], acting_user=coordinator)
    group = comparisons.peer_group_save(name="Grandi", members=[comune_a, comune_b], acting_user=coordinator)
    assert group.created_by == coordinator and set(group.members.all()) == {comune_a, comune_b}


def test_context_values_are_written_only_by_the_comunes_own_people(comune_a, officer_a, officer_b):
    with acting_for(comune_a):
        with pytest.raises(PermissionDenied):
            comparisons.context_value_save(
                municipality=comune_a, year=2025, key="sportelli", value="3", acting_user=officer_b,
            )
        with pytest.raises(ValidationError, match="tra il 2000 e il 2100"):
            comparisons.context_value_save(
                municipality=comune_a, year=1800, key="sportelli", value="3", acting_user=officer_a,
            )
        assert not ContextValue.objects.exists()
        comparisons.context_value_save(municipality=comune_a, year=2025, key="sportelli", value="3", acting_user=officer_a)
        comparisons.context_value_save(municipality=comune_a, year=2025, key="sportelli", value="4", acting_user=officer_a)
        assert list(ContextValue.objects.values_list("key", "value")) == [("sportelli", "4")]


def test_best_practices_are_added_only_by_member_comuni(indicators):
    candidate = MunicipalityFactory(status=Municipality.Status.CANDIDATE)
    with acting_for(candidate):
        with pytest.raises(PermissionDenied):
            comparisons.best_practice_add(
                municipality=candidate, indicator=indicators[0], period_year=2025, title="Sportello",
                description="Così", acting_user=officer_of(candidate),
            )
        assert not BestPractice.objects.exists()
