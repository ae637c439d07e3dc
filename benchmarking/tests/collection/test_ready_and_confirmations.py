"""The officer marks a form ready for the manager (who is told by e-mail, from a job,
and on the dashboard); the manager submits it. Submitting, approving and returning
are confirmed on a page of their own first, which works without JavaScript."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.models import Submission, SubmissionEvent
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant

V = "value"
FULL = {"certificati": 100, "certificati_online": 10, "sportello_fte": 2}


def fill(comune, officer, campaign):
    with acting_for(comune):
        submission = services.start_submission(campaign)
        services.save_values(submission, {
            code: Entry(state=V, value=Decimal(value), justification="verificato") for code, value in FULL.items()
        }, officer)
        return Submission.objects.select_related("campaign").get(pk=submission.pk)


def status_of(comune, submission):
    with acting_for(comune):
        return Submission.objects.get(pk=submission.pk).status


def test_the_officer_marks_ready_and_only_the_manager_submits(comune_a, officer_a, manager_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    with acting_for(comune_a):
        assert services.allowed_actions(submission, officer_a) == [services.READY]
        assert services.allowed_actions(submission, manager_a) == [services.SUBMIT]
        with pytest.raises(PermissionDenied):
            services.transition(submission, services.SUBMIT, officer_a)
        ready = services.transition(submission, services.READY, officer_a)
        assert ready.status == Submission.Status.READY
        assert SubmissionEvent.objects.get(submission=submission).to_status == Submission.Status.READY
        # Still editable by both while it waits for the manager, and it stays ready.
        services.save_values(ready, {"certificati": Entry(state=V, value=Decimal(101), justification="x")}, manager_a)
        assert Submission.objects.get(pk=submission.pk).status == Submission.Status.READY
        services.transition(Submission.objects.get(pk=submission.pk), services.SUBMIT, manager_a)
    assert status_of(comune_a, submission) == Submission.Status.SUBMITTED


def test_marking_ready_e_mails_the_managers_from_a_job(run_jobs, mailoutbox, comune_a, officer_a, manager_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    with acting_for(comune_a):
        services.transition(submission, services.READY, officer_a)
    run_jobs()
    assert [mail.to for mail in mailoutbox] == [[manager_a.email]]
    assert "pronta per l'invio" in mailoutbox[0].subject
    assert reverse("benchmarking:submission", args=[campaign.public_id]) in mailoutbox[0].body
    assert ProcrastinateJob.objects.get(task_name="benchmarking.notify_ready").status == "succeeded"


def test_a_form_submitted_before_the_job_runs_sends_nothing(run_jobs, mailoutbox, comune_a, officer_a, manager_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    with acting_for(comune_a):
        services.transition(submission, services.READY, officer_a)
        services.transition(Submission.objects.get(pk=submission.pk), services.SUBMIT, manager_a)
    run_jobs()
    assert mailoutbox == []


def test_the_form_says_who_submits(client, comune_a, officer_a, manager_a, campaign):
    fill(comune_a, officer_a, campaign)
    client.force_login(officer_a)
    page = client.get(reverse("benchmarking:submission", args=[campaign.public_id])).content.decode()
    assert "Chi invia la scheda" in page and "la invia il responsabile del comune" in page
    assert "Segna come pronta per il responsabile" in page and "Invia al coordinatore" not in page


def test_marking_ready_is_confirmed_first(client, comune_a, officer_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    client.force_login(officer_a)
    url = reverse("benchmarking:act", args=[campaign.public_id])
    asked = client.get(url, {"azione": "ready"})
    assert asked.status_code == 200 and "Sì, segna come pronta" in asked.content.decode()
    assert client.post(url, {"action": "ready"}).status_code == 200  # no "confirm": asks again
    assert status_of(comune_a, submission) == Submission.Status.DRAFT
    client.post(url, {"action": "ready", "confirm": "yes"})
    assert status_of(comune_a, submission) == Submission.Status.READY


def test_submitting_is_confirmed_first(client, comune_a, officer_a, manager_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    client.force_login(manager_a)
    url = reverse("benchmarking:act", args=[campaign.public_id])
    asked = client.get(url, {"azione": "submit"})
    assert "Inviare la scheda al coordinatore?" in asked.content.decode()
    client.post(url, {"action": "submit"})
    assert status_of(comune_a, submission) == Submission.Status.DRAFT
    client.post(url, {"action": "submit", "confirm": "yes"})
    assert status_of(comune_a, submission) == Submission.Status.SUBMITTED


def test_an_officer_cannot_submit_through_the_page(client, comune_a, officer_a, campaign):
    submission = fill(comune_a, officer_a, campaign)
    client.force_login(officer_a)
    client.post(reverse("benchmarking:act", args=[campaign.public_id]), {"action": "submit", "confirm": "yes"})
    assert status_of(comune_a, submission) == Submission.Status.DRAFT


def test_another_comunes_officer_finds_no_form_to_act_on(client, comune_a, officer_a, officer_b, campaign):
    submission = fill(comune_a, officer_a, campaign)
    client.force_login(officer_b)
    response = client.post(reverse("benchmarking:act", args=[campaign.public_id]), {"action": "ready", "confirm": "yes"})
    assert response.status_code == 404
    assert status_of(comune_a, submission) == Submission.Status.DRAFT


@pytest.mark.parametrize(("action", "note", "status"), [
    ("approve", "", Submission.Status.APPROVED),
    ("return", "Manca la fonte dei certificati", Submission.Status.RETURNED),
])
def test_approving_and_returning_are_confirmed_first_keeping_the_note(
    client, comune_a, officer_a, manager_a, coordinator, campaign, action, note, status,
):
    submission = fill(comune_a, officer_a, campaign)
    with acting_for(comune_a):
        services.transition(submission, services.SUBMIT, manager_a)
    client.force_login(coordinator)
    url = reverse("benchmarking:review", args=[campaign.public_id, comune_a.slug])
    asked = client.post(url, {"action": action, "note": note})
    assert asked.status_code == 200 and 'name="confirm" value="yes"' in asked.content.decode()
    assert note in asked.content.decode()  # what was typed is carried to the confirmation
    assert status_of(comune_a, submission) == Submission.Status.SUBMITTED
    client.post(url, {"action": action, "note": note, "confirm": "yes"})
    assert status_of(comune_a, submission) == status
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        assert SubmissionEvent.objects.filter(submission_id=submission.pk, to_status=status, note=note).exists()
