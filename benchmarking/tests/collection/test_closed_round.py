"""A closed round is read-only for every way in (`Campaign.accepts_values`, checked in
`collection.services` and by the national load), says so on the page, and only its
coordinator reopens it, with a reason kept in its history."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from benchmarking.catalogue import services as catalogue
from benchmarking.collection import bulk, imports, services
from benchmarking.collection.services import CampaignClosed, Entry
from benchmarking.models import Campaign, CampaignEvent, DataValue, Submission
from benchmarking.periods import Period
from benchmarking.tests.collection.test_imports import GOOD, csv_file
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant

V = DataValue.State.VALUE


def figures(comune):
    with acting_for(comune):
        return {row.element.code: row.value for row in DataValue.objects.select_related("element")}


@pytest.fixture
def started(comune_a, officer_a, campaign):
    """Comune A has saved one figure; then the coordinator closes the round."""
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": Entry(state=V, value=Decimal(100))}, officer_a)
    return submission


@pytest.fixture
def closed(campaign, coordinator):
    return catalogue.campaign_close(campaign=campaign, user=coordinator)


def test_the_service_refuses_figures_for_a_closed_round(comune_a, officer_a, started, closed):
    with acting_for(comune_a), pytest.raises(CampaignClosed):
        services.save_values(
            Submission.objects.get(pk=started.pk), {"certificati": Entry(state=V, value=Decimal(5))}, officer_a,
        )
    assert figures(comune_a)["certificati"] == 100


def test_a_comune_that_never_started_cannot_start_in_a_closed_round(comune_b, officer_b, closed):
    from benchmarking.collection.selectors import submission_or_blank

    with acting_for(comune_b):
        blank = submission_or_blank(closed, comune_b)
        with pytest.raises(CampaignClosed):
            services.save_values(blank, {"certificati": Entry(state=V, value=Decimal(5))}, officer_b)
        assert not Submission.objects.exists()


def test_the_entry_form_refuses_a_save_and_keeps_nothing(client, comune_a, officer_a, started, closed):
    client.force_login(officer_a)
    url = reverse("benchmarking:submission", args=[closed.public_id])
    response = client.post(url, {"s-certificati": "value", "v-certificati": "5", "ver-certificati": "2"})
    assert response.status_code == 400
    assert "è chiusa" in response.content.decode()
    assert figures(comune_a)["certificati"] == 100


def test_the_closed_form_says_so_and_offers_no_input(client, officer_a, started, closed):
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:submission", args=[closed.public_id])).content.decode()
    assert "Rilevazione chiusa" in page
    assert "Salva bozza" not in page and "hx-post" not in page
    assert '<fieldset class="qc-entry-fields" disabled>' in page
    assert "Invia al coordinatore" not in page and "Segna come pronta" not in page


def test_the_live_preview_fragment_refuses_a_closed_round(client, officer_a, started, closed):
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:preview", args=[closed.public_id]), {"s-certificati": "value"})
    assert response.status_code == 409


def test_the_file_import_refuses_a_closed_round(client, comune_a, officer_a, started, closed):
    with acting_for(comune_a), pytest.raises(imports.ImportRefused, match="è chiusa"):
        imports.import_file(Submission.objects.get(pk=started.pk), csv_file(*GOOD), officer_a)
    client.force_login(officer_a)
    response = client.post(reverse("benchmarking:import", args=[closed.public_id]), {"file": csv_file(*GOOD)})
    assert response.status_code in (400, 404)
    assert figures(comune_a)["certificati"] == 100


def test_the_values_api_refuses_a_closed_round(comune_a, officer_a, started, closed):
    api = APIClient()
    api.force_login(officer_a)
    response = api.put(
        f"/api/v1/benchmarking/campagne/{closed.public_id}/valori/",
        [{"code": "certificati", "value": 5, "version": 2}], format="json",
    )
    assert response.status_code == 400
    assert "è chiusa" in str(response.json())
    assert figures(comune_a)["certificati"] == 100


def test_the_national_load_refuses_a_closed_round(comune_a, started, closed):
    with pytest.raises(bulk.BulkLoadRefused) as refused:
        bulk.load_values(
            source=io.BytesIO(b"istat_code,element,state,value,note\n022205,certificati,,7,\n"), period=Period(2025),
        )
    assert "chiusa" in str(refused.value.problems[0])
    assert figures(comune_a)["certificati"] == 100


def test_no_status_change_in_a_closed_round(comune_a, officer_a, manager_a, coordinator, campaign, started):
    with acting_for(comune_a):
        services.save_values(Submission.objects.get(pk=started.pk), {
            "certificati_online": Entry(state=V, value=Decimal(10)),
            "sportello_fte": Entry(state=V, value=Decimal(2)),
        }, officer_a)
        services.transition(Submission.objects.get(pk=started.pk), services.SUBMIT, manager_a)
    catalogue.campaign_close(campaign=campaign, user=coordinator)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        submission = Submission.objects.select_related("campaign").get(pk=started.pk)
        assert services.allowed_actions(submission, coordinator) == []
        with pytest.raises(CampaignClosed):
            services.transition(submission, services.APPROVE, coordinator)
    with acting_for(comune_a):
        assert Submission.objects.get(pk=started.pk).status == Submission.Status.SUBMITTED


def test_officer_cannot_mark_ready_nor_manager_submit_in_a_closed_round(client, comune_a, officer_a, manager_a, started, closed):
    for user, action in ((officer_a, services.READY), (manager_a, services.SUBMIT)):
        with acting_for(comune_a), pytest.raises(CampaignClosed):
            services.transition(Submission.objects.get(pk=started.pk), action, user)
        client.force_login(user)
        client.post(reverse("benchmarking:act", args=[closed.public_id]), {"action": action, "confirm": "yes"})
    with acting_for(comune_a):
        assert Submission.objects.get(pk=started.pk).status == Submission.Status.DRAFT


def test_closing_records_who_and_how_many_forms_were_open(campaign, coordinator, started, comune_b):
    catalogue.campaign_close(campaign=campaign, user=coordinator, note="Fine della raccolta")
    event = CampaignEvent.objects.get(campaign=campaign, kind=CampaignEvent.Kind.CLOSED)
    assert (event.user, event.note, event.open_forms) == (coordinator, "Fine della raccolta", 2)
    campaign.refresh_from_db()
    assert campaign.closed_at is not None


def test_reopening_needs_a_reason_and_is_recorded(comune_a, officer_a, coordinator, started, closed):
    with pytest.raises(ValidationError):
        catalogue.campaign_reopen(campaign=closed, user=coordinator, reason="  ")
    closed.refresh_from_db()
    assert closed.status == Campaign.Status.CLOSED
    catalogue.campaign_reopen(campaign=closed, user=coordinator, reason="Errore nel dato di Trento")
    event = CampaignEvent.objects.get(campaign=closed, kind=CampaignEvent.Kind.REOPENED)
    assert (event.user, event.note) == (coordinator, "Errore nel dato di Trento")
    with acting_for(comune_a):
        services.save_values(
            Submission.objects.get(pk=started.pk), {"certificati": Entry(state=V, value=Decimal(5))}, officer_a,
        )
    assert figures(comune_a)["certificati"] == 5


def test_only_the_coordinator_reopens(client, officer_a, other_coordinator_user, closed):
    url = reverse("benchmarking:campaign_reopen", args=[closed.public_id])
    for user in (officer_a, other_coordinator_user):
        client.force_login(user)
        assert client.post(url, {"reason": "perché sì"}).status_code == 403
    closed.refresh_from_db()
    assert closed.status == Campaign.Status.CLOSED


def test_the_reopen_page_asks_the_reason_and_shows_the_history(client, coordinator, closed):
    client.force_login(coordinator)
    url = reverse("benchmarking:campaign_reopen", args=[closed.public_id])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Scrivi perché" in refused.content.decode()
    assert client.post(url, {"reason": "Dati di Bergamo arrivati in ritardo"}).status_code == 302
    history = client.get(reverse("benchmarking:campaign_close", args=[closed.public_id])).content.decode()
    assert "Storia della campagna" in history and "Dati di Bergamo arrivati in ritardo" in history


@pytest.fixture
def other_coordinator_user(db):
    from tests.factories import AreaCoordinatorFactory, ThematicAreaFactory

    return AreaCoordinatorFactory(area=ThematicAreaFactory()).user
