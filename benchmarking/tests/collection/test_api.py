"""The benchmarking API: catalogue, campaigns, the comune's values, actions, review list."""

from decimal import Decimal

from knox.models import AuthToken
from rest_framework.test import APIClient

from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.models import DataValue, IndicatorResult
from benchmarking.tests.factories import campaign_for, indicator_with
from qclub.tenancy import acting_for
from tests.factories import AreaCoordinatorFactory, MembershipFactory, ThematicAreaFactory

V = DataValue.State.VALUE
BASE = "/api/v1/benchmarking"


def client_for(user, token=False, comune=None):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    else:
        client.force_login(user)
    if comune is not None:
        client.defaults["HTTP_X_QCLUB_COMUNE"] = comune.slug
    return client


def values_url(campaign):
    return f"{BASE}/campagne/{campaign.public_id}/valori/"


def figures(comune):
    with acting_for(comune):
        return {row.element.code: (row.state, row.value) for row in DataValue.objects.select_related("element")}


def versions(client, campaign):
    response = client.get(values_url(campaign))
    assert response.status_code == 200
    return {item["code"]: item["version"] for item in response.json()["values"]}


def test_it_reads_the_catalogue(officer_a, elements, indicators):
    client = client_for(officer_a)
    data = client.get(f"{BASE}/catalogo/dati/").json()
    codes = {item["code"]: item for item in data["results"]}
    assert codes["certificati_online"]["part_of"] == "certificati"
    data = client.get(f"{BASE}/catalogo/indicatori/").json()
    by_code = {item["code"]: item for item in data["results"]}
    assert by_code["quota_online"]["current_version"]["formula"] == "certificati_online / certificati * 100"


def test_it_lists_and_shows_campaigns(officer_a, campaign):
    client = client_for(officer_a)
    listed = client.get(f"{BASE}/campagne/?status=open").json()["results"]
    assert [item["id"] for item in listed] == [str(campaign.public_id)]
    detail = client.get(f"{BASE}/campagne/{campaign.public_id}/").json()
    assert sorted(detail["elements"]) == ["certificati", "certificati_online", "sportello_fte"]
    assert sorted(detail["indicators"]) == ["certificati_per_fte", "quota_online"]


def test_the_api_needs_authentication(campaign):
    assert APIClient().get(values_url(campaign)).status_code in (401, 403)


def test_an_officer_puts_values_for_their_comune(comune_a, officer_a, campaign):
    client = client_for(officer_a)
    seen = versions(client, campaign)
    response = client.put(values_url(campaign), [
        {"code": "certificati", "value": "12.000", "version": seen["certificati"], "note": "Gestionale"},
        {"code": "certificati_online", "value": 3000, "version": seen["certificati_online"]},
        {"code": "sportello_fte", "state": "value", "value": 4.5, "estimated": True, "version": seen["sportello_fte"]},
    ], format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["changed"] == ["certificati", "certificati_online", "sportello_fte"]
    assert body["submission"]["status"] == "draft"
    assert figures(comune_a)["certificati"] == (V, Decimal(12000))
    assert figures(comune_a)["sportello_fte"] == (V, Decimal("4.5"))
    with acting_for(comune_a):
        assert IndicatorResult.objects.get(indicator__code="quota_online").value == 25


def test_a_stale_version_answers_409_with_the_codes(comune_a, officer_a, campaign):
    client = client_for(officer_a)
    seen = versions(client, campaign)
    first = client.put(values_url(campaign), [{"code": "certificati", "value": 10, "version": seen["certificati"]}], format="json")
    assert first.status_code == 200
    stale = client.put(values_url(campaign), [
        {"code": "certificati", "value": 11, "version": seen["certificati"]},
        {"code": "sportello_fte", "value": 1, "version": seen["sportello_fte"]},
    ], format="json")
    assert stale.status_code == 409
    assert stale.json()["conflicts"] == ["certificati"]
    assert figures(comune_a)["certificati"] == (V, Decimal(10))
    assert figures(comune_a)["sportello_fte"] == ("missing", None)


def test_hard_errors_answer_400_per_code_and_write_nothing(comune_a, officer_a, campaign):
    client = client_for(officer_a)
    seen = versions(client, campaign)
    response = client.put(values_url(campaign), [
        {"code": "certificati", "value": 100, "version": seen["certificati"]},
        {"code": "certificati_online", "value": -1, "version": seen["certificati_online"]},
        {"code": "sportello_fte", "value": "tanti", "version": seen["sportello_fte"]},
        {"code": "sconosciuto", "value": 1, "version": 1},
    ], format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"certificati_online", "sportello_fte", "sconosciuto"}
    assert "negativo" in errors["certificati_online"][0]
    assert figures(comune_a) == {}  # nothing written: not even the submission of this first write


def test_part_greater_than_whole_answers_400(comune_a, officer_a, campaign):
    client = client_for(officer_a)
    seen = versions(client, campaign)
    response = client.put(values_url(campaign), [
        {"code": "certificati", "value": 10, "version": seen["certificati"]},
        {"code": "certificati_online", "value": 20, "version": seen["certificati_online"]},
    ], format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["certificati_online"]
    assert figures(comune_a) == {}  # nothing written: not even the submission of this first write


def test_an_officer_of_b_naming_a_gets_403_and_a_is_untouched(comune_a, comune_b, officer_a, officer_b, campaign):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": Entry(state=V, value=Decimal(5))}, officer_a)
    before = figures(comune_a)
    client = client_for(officer_b, token=True, comune=comune_a)
    assert client.get(values_url(campaign)).status_code == 403
    response = client.put(values_url(campaign), [{"code": "certificati", "value": 1, "version": 2}], format="json")
    assert response.status_code == 403
    assert figures(comune_a) == before


def test_token_auth_acts_for_the_users_comune(comune_a, comune_b, officer_b, campaign):
    client = client_for(officer_b, token=True)
    seen = versions(client, campaign)
    response = client.put(values_url(campaign), [{"code": "certificati", "value": 7, "version": seen["certificati"]}], format="json")
    assert response.status_code == 200
    assert figures(comune_b)["certificati"] == (V, Decimal(7))
    assert figures(comune_a) == {}


def test_the_header_picks_one_of_the_users_comuni(comune_a, comune_b, officer_a, campaign):
    MembershipFactory(user=officer_a, municipality=comune_b)
    client = client_for(officer_a, token=True, comune=comune_b)
    seen = versions(client, campaign)
    client.put(values_url(campaign), [{"code": "certificati", "value": 3, "version": seen["certificati"]}], format="json")
    assert figures(comune_b)["certificati"] == (V, Decimal(3))
    assert figures(comune_a) == {}


def test_a_manager_submits_and_an_officer_cannot(comune_a, officer_a, manager_a, campaign):
    client = client_for(officer_a)
    seen = versions(client, campaign)
    client.put(values_url(campaign), [
        {"code": "certificati", "value": 100, "version": seen["certificati"]},
        {"code": "certificati_online", "value": 10, "version": seen["certificati_online"]},
        {"code": "sportello_fte", "value": 1, "version": seen["sportello_fte"]},
    ], format="json")
    url = f"{BASE}/campagne/{campaign.public_id}/azioni/"
    assert client.post(url, {"action": "submit"}, format="json").status_code == 403
    response = client_for(manager_a, token=True).post(url, {"action": "submit"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    again = client_for(manager_a).post(url, {"action": "submit"}, format="json")
    assert again.status_code == 400
    assert client_for(manager_a).post(url, {"action": "approve"}, format="json").status_code == 400


def test_a_coordinator_lists_the_submissions_of_their_area(comune_a, comune_b, officer_a, officer_b, coordinator, campaign):
    for comune, officer in ((comune_a, officer_a), (comune_b, officer_b)):
        with acting_for(comune):
            submission = services.start_submission(campaign)
            services.save_values(submission, {"certificati": Entry(state=V, value=Decimal(5))}, officer)
    url = f"{BASE}/campagne/{campaign.public_id}/schede/"
    response = client_for(coordinator, token=True).get(url)
    assert response.status_code == 200
    rows = response.json()
    assert [row["comune"] for row in rows] == ["bergamo", "trento"]
    assert rows[0]["status"] == "draft" and rows[0]["filled_count"] == 1 and rows[0]["expected_count"] == 3
    assert client_for(officer_a).get(url).status_code == 403
    outsider = AreaCoordinatorFactory(area=ThematicAreaFactory()).user
    assert client_for(outsider).get(url).json() == []


def test_a_coordinator_of_another_area_sees_none_of_its_campaign(comune_a, officer_a, coordinator):
    other_area = ThematicAreaFactory()
    other = campaign_for(other_area, [indicator_with(other_area, "certificati / 2", code="altro")], year=2025)
    with acting_for(comune_a):
        services.start_submission(other)
    response = client_for(coordinator).get(f"{BASE}/campagne/{other.public_id}/schede/")
    assert response.status_code == 200 and response.json() == []


def test_the_schema_documents_the_endpoints(officer_a):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert f"{BASE}/campagne/{{public_id}}/valori/" in schema["paths"]
