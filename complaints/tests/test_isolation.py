"""Another comune's complaints are unreachable by page, API and raw SQL, and
personal data is unreadable in every cross-tenant scope."""

import pytest
from django.db import connection
from django.urls import reverse

from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    PersonalDataRead,
    Suspension,
)
from qclub.tenancy import SCOPES, acting_for, cross_tenant

pytestmark = pytest.mark.django_db
PERSONAL_TABLES = [Complaint, ComplaintEvent, Suspension, Attachment, PersonalDataRead]


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def theirs(comune_b, officer_b, register):
    return register(municipality=comune_b, user=officer_b).complaint


def test_pages_answer_404_for_another_comunes_complaint(client, officer_a, theirs):
    client.force_login(officer_a)
    assert client.get(reverse("complaints:detail", args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("complaints:act", args=[theirs.public_id, "acknowledge"]),
                       {"version": 1}).status_code == 404
    assert theirs.reference not in client.get(reverse("complaints:index")).content.decode()


def test_api_answers_404_for_another_comunes_complaint(client, officer_a, theirs):
    client.force_login(officer_a)
    assert client.get(f"/api/v1/reclami/{theirs.public_id}/").status_code == 404
    assert client.post(f"/api/v1/reclami/{theirs.public_id}/azioni/", {"action": "acknowledge"},
                       content_type="application/json").status_code == 404
    assert client.get("/api/v1/reclami/").json()["count"] == 0


def test_raw_sql_sees_no_other_comunes_rows(comune_a, theirs):
    with acting_for(comune_a):
        for model in PERSONAL_TABLES:
            assert _rows(f"SELECT count(*) FROM {model._meta.db_table}") == [(0,)]
    assert _rows("SELECT count(*) FROM complaints_complaint") == [(0,)]  # no comune at all


@pytest.mark.parametrize("scope", SCOPES)
def test_no_cross_tenant_scope_reads_personal_data(comune_a, officer_a, theirs, scope, register):
    register()  # comune A's own, too: no scope reads even the acting comune's rows across
    with acting_for(comune_a), cross_tenant(scope=scope, reason="test", acting_user=officer_a, areas=()):
        for model in PERSONAL_TABLES:
            rows = _rows(f"SELECT municipality_id FROM {model._meta.db_table}")
            assert theirs.municipality_id not in {r[0] for r in rows}, (scope, model)
        assert not Complaint.objects.filter(pk=theirs.pk).exists()


def test_no_read_policy_is_declared_on_complaint_tables():
    tables = [m._meta.db_table for m in PERSONAL_TABLES]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, policyname FROM pg_policies WHERE tablename = ANY(%s)", [tables])
        policies = cursor.fetchall()
    assert len(policies) == len(tables)
    assert {name for _, name in policies} == {"tenant_isolation"}
