"""Issue #9, item 8: an access audit one can trust. Every read across comuni
leaves a row even when the request then fails or ends in 404, always with the
acting user, and the runtime role can only add rows, never change or remove
them."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from benchmarking.collection import services
from benchmarking.tests.factories import (
    approve,
    campaign_for,
    registry_office_elements,
    registry_office_indicators,
)
from qclub.models import AccessAudit, Role
from qclub.tenancy import SCOPE_CLUB, SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import (
    AreaCoordinatorFactory,
    MunicipalityFactory,
    ThematicAreaFactory,
    officer_of,
)


@pytest.mark.django_db(transaction=True)
def test_a_cross_tenant_read_that_ends_in_404_is_still_audited(client):
    """A coordinator opens the review of a comune that has sent nothing: the
    review scope is entered (audited), the submission is not there, 404, the
    request's transaction is rolled back; the audit row stays, with the user."""
    area = ThematicAreaFactory()
    campaign = campaign_for(area, [], year=2025)
    coordinator = AreaCoordinatorFactory(area=area).user
    other = MunicipalityFactory(slug="altro-comune")
    client.force_login(coordinator)
    response = client.get(reverse("benchmarking:review", args=[campaign.public_id, other.slug]))
    assert response.status_code == 404
    audit = AccessAudit.objects.get()
    assert (audit.scope, audit.user_id, audit.username) == (SCOPE_REVIEW, coordinator.pk, coordinator.username)
    assert other.slug in audit.reason


@pytest.mark.django_db(transaction=True)
def test_the_audit_row_outlives_a_transaction_rolled_back_after_the_read(comune_a, officer_a):
    with pytest.raises(RuntimeError), transaction.atomic(), acting_for(comune_a):
        with cross_tenant(scope=SCOPE_CLUB, reason="letta poi annullata", acting_user=officer_a):
            raise RuntimeError("the request fails after reading")
    audit = AccessAudit.objects.get()
    assert (audit.reason, audit.user_id, audit.municipality_id) == ("letta poi annullata", officer_a.pk, comune_a.pk)


def test_a_read_inside_a_request_is_audited_as_the_requests_user_when_the_code_names_none(client, comune_a):
    """A comune's public page reads in the public scope and names no user
    (citizens have none); a signed-in visitor is still recorded, from the
    request's tenancy context."""
    officer = officer_of(comune_a)
    client.force_login(officer)
    assert client.get(reverse("municipality_public", args=[comune_a.slug])).status_code == 200
    # One row per module section that reads (open data, surveys, complaint reports), each with the visitor.
    audits = [(a.scope, a.user_id, a.username) for a in AccessAudit.objects.all()]
    assert audits and set(audits) == {("public", officer.pk, officer.username)}


def test_an_anonymous_public_read_is_audited_without_a_user(client, comune_a):
    assert client.get(reverse("municipality_public", args=[comune_a.slug])).status_code == 200
    audits = [(a.scope, a.user_id, a.username) for a in AccessAudit.objects.all()]
    assert audits and set(audits) == {("public", None, "")}


def test_a_managers_visibility_change_is_audited_with_the_manager(comune_a):
    area = ThematicAreaFactory()
    registry_office_elements(area)
    indicators = registry_office_indicators(area)
    campaign = campaign_for(area, indicators, year=2025)
    coordinator = AreaCoordinatorFactory(area=area).user
    submission = approve(campaign, comune_a, coordinator, certificati=100, certificati_online=0, sportello_fte=1)
    manager = officer_of(comune_a, role=Role.MANAGER)
    before = set(AccessAudit.objects.values_list("pk", flat=True))
    with acting_for(comune_a):
        services.set_visibility(submission, {indicators[0].pk: False}, manager)
    (audit,) = AccessAudit.objects.exclude(pk__in=before)
    assert (audit.scope, audit.user_id, audit.municipality_id) == (SCOPE_REVIEW, manager.pk, comune_a.pk)


@pytest.mark.parametrize("statement", [
    "UPDATE qclub_accessaudit SET reason = 'cancellato'",
    "DELETE FROM qclub_accessaudit",
    "TRUNCATE qclub_accessaudit",
])
def test_the_runtime_role_cannot_rewrite_or_erase_the_audit(comune_a, officer_a, statement):
    with acting_for(comune_a), cross_tenant(scope=SCOPE_CLUB, reason="da conservare", acting_user=officer_a):
        pass
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccessAudit.objects.get().reason == "da conservare"


def test_the_runtime_role_may_add_and_read_audit_rows(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'qclub_accessaudit', 'INSERT'), "
            "has_table_privilege(current_user, 'qclub_accessaudit', 'SELECT'), "
            "has_table_privilege(current_user, 'qclub_accessaudit', 'UPDATE'), "
            "has_table_privilege(current_user, 'qclub_accessaudit', 'DELETE'), "
            "has_table_privilege(current_user, 'qclub_accessaudit', 'TRUNCATE')"
        )
        assert cursor.fetchone() == (True, True, False, False, False)


def test_an_audited_user_can_still_be_deleted_and_the_row_keeps_the_name(comune_a):
    officer = officer_of(comune_a)
    with acting_for(comune_a), cross_tenant(scope=SCOPE_CLUB, reason="prima", acting_user=officer):
        pass
    username, pk = officer.username, officer.pk
    officer.delete()
    audit = AccessAudit.objects.get()
    assert (audit.user_id, audit.username) == (pk, username)
    assert audit.at.date() <= datetime.date.today() + datetime.timedelta(days=1)
