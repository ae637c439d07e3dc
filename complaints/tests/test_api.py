"""The API: the same services as the pages, staff endpoints and the throttled public intake."""

import datetime as dt

import pytest

from complaints.models import Complaint, PersonalDataRead
from qclub.tenancy import acting_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_register_read_and_act(client, comune_a, officer_a):
    client.force_login(officer_a)
    created = client.post("/api/v1/reclami/", {
        "kind": "complaint", "channel": "phone", "received_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "what_happened": "Telefonata: bus in ritardo", "wants_answer": True, "contact_name": "Lia",
        "contact_phone": "0461 000000",
    }, content_type="application/json")
    assert created.status_code == 201, created.content
    public_id = created.json()["id"]
    assert "/reclami/segui/trento/" in created.json()["tracking_url"]
    detail = client.get(f"/api/v1/reclami/{public_id}/").json()
    assert detail["contact_phone"] == "0461 000000" and detail["allowed_actions"][0] == "acknowledge"
    with acting_for(comune_a):
        assert PersonalDataRead.objects.filter(way="api").count() == 1
    acted = client.post(f"/api/v1/reclami/{public_id}/azioni/", {"action": "acknowledge", "version": 1},
                        content_type="application/json")
    assert acted.status_code == 200 and acted.json()["status"] == "acknowledged"
    stale = client.post(f"/api/v1/reclami/{public_id}/azioni/", {"action": "start", "version": 1},
                        content_type="application/json")
    assert stale.status_code == 409
    wrong = client.post(f"/api/v1/reclami/{public_id}/azioni/", {"action": "close"}, content_type="application/json")
    assert wrong.status_code == 400
    listing = client.get("/api/v1/reclami/", {"status": "acknowledged"}).json()
    assert listing["count"] == 1 and "contact_phone" not in listing["results"][0]


def test_staff_endpoints_refuse_people_without_the_role(client, comune_a):
    client.force_login(UserFactory())
    assert client.get("/api/v1/reclami/").status_code == 403


def test_public_intake_is_throttled(client, comune_a):
    body = {"kind": "suggestion", "what_happened": "Più panchine al parco"}
    for _ in range(5):
        assert client.post(f"/api/v1/reclami/pubblico/{comune_a.slug}/", body,
                           content_type="application/json").status_code == 201
    assert client.post(f"/api/v1/reclami/pubblico/{comune_a.slug}/", body,
                       content_type="application/json").status_code == 429
    with acting_for(comune_a):
        assert Complaint.objects.filter(channel="web").count() == 5


def test_public_intake_validates(client, comune_a):
    response = client.post(f"/api/v1/reclami/pubblico/{comune_a.slug}/",
                           {"kind": "complaint", "what_happened": "x", "wants_answer": True},
                           content_type="application/json")
    assert response.status_code == 400 and "contact_email" in response.json()
    assert client.post("/api/v1/reclami/pubblico/nessuno/", {}, content_type="application/json").status_code == 404


def test_the_schema_lists_the_complaints_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/reclami/pubblico/{slug}/" in schema and "/api/v1/reclami/{public_id}/azioni/" in schema
