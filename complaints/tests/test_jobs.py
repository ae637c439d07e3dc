"""Jobs: the receipt e-mail (and the tracking link kept nowhere after it),
the answer e-mail, daily reminders, and retention's erasure."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from complaints import jobs
from complaints.handling import services
from complaints.models import Complaint, ComplaintEvent, ComplaintSettings, PendingReceipt
from complaints.privacy import erase_expired_personal_data
from qclub.tenancy import acting_for


def test_receipt_and_answer_are_emailed(client, comune_a, officer_a, run_jobs):
    response = client.post(reverse("complaints:public_form", args=[comune_a.slug]), {
        "kind": "complaint", "what_happened": "Lampione spento", "wants_answer": "on",
        "contact_name": "Anna", "contact_email": "anna@example.org", "privacy": "on",
    })
    tracking = response["Location"].split("?")[0]
    run_jobs()
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["anna@example.org"] and "S-" in receipt.subject and tracking in receipt.body
    with acting_for(comune_a):
        assert not PendingReceipt.objects.exists()  # the clear link is gone
        complaint = Complaint.objects.get()
        services.answer(complaint=complaint, user=officer_a, text="Lampione riparato")
    run_jobs()
    assert len(mail.outbox) == 2 and "Lampione riparato" in mail.outbox[1].body


@pytest.mark.django_db
def test_reminder_once_a_day(comune_a, officer_a, register):
    register(received_on=dt.date.today() - dt.timedelta(days=70))
    with acting_for(comune_a):
        assert jobs.deliver_reminder(comune_a, day=dt.date.today()) is True
        assert jobs.deliver_reminder(comune_a, day=dt.date.today()) is False
    assert len(mail.outbox) == 1 and "In ritardo" in mail.outbox[0].body
    assert officer_a.email in mail.outbox[0].to


def test_daily_job_fans_out_per_comune(comune_a, comune_b, officer_a, run_jobs):
    from complaints.intake.services import register_complaint

    with acting_for(comune_a):
        register_complaint(municipality=comune_a, user=officer_a, kind="complaint", channel="counter",
                           received_on=dt.date.today() - dt.timedelta(days=70), what_happened="Vecchio")
    jobs.daily.defer(timestamp=int(dt.datetime.now().timestamp()))
    run_jobs()
    assert [m.to for m in mail.outbox] == [[officer_a.email]]


@pytest.mark.django_db
def test_retention_erases_personal_data_and_keeps_the_figures(comune_a, officer_a, register):
    with acting_for(comune_a):
        ComplaintSettings.objects.create(retention_months=12)
    old = register(received_on=dt.date.today() - dt.timedelta(days=200)).complaint
    recent = register().complaint
    with acting_for(comune_a):
        services.add_note(complaint=old, user=officer_a, text="Mario Rossi ha richiamato")
        services.answer(complaint=old, user=officer_a, text="Gentile Mario Rossi...", root_cause="staff",
                        founded=True, on=old.received_on + dt.timedelta(days=10))
        services.answer(complaint=recent, user=officer_a, text="Gentile Mario...")
        later = dt.date.today() + dt.timedelta(days=200)
        assert erase_expired_personal_data(municipality=comune_a, on=later) == 1
        assert erase_expired_personal_data(municipality=comune_a, on=later) == 0
        old.refresh_from_db()
        recent.refresh_from_db()
        texts = list(ComplaintEvent.objects.filter(complaint=old).values_list("text", flat=True))
    assert old.anonymised_on == later
    assert (old.contact_name, old.contact_email, old.answer, old.tracking_token_hash) == ("", "", "", None)
    assert "Mario" not in old.what_happened and not any("Mario" in t for t in texts)
    assert (old.kind, old.channel, old.root_cause, old.founded, old.received_on) == (
        "complaint", "counter", "staff", True, old.received_on)
    assert old.answer_working_days is not None
    assert recent.contact_name == "Mario Rossi" and recent.anonymised_on is None


@pytest.mark.django_db
def test_export_and_erasure_on_request(client, comune_a, officer_a, officer_b, register):
    complaint = register().complaint
    export = reverse("complaints:export", args=[complaint.public_id])
    client.force_login(officer_b)
    assert client.get(export).status_code == 404
    client.force_login(officer_a)
    data = client.get(export).json()
    assert data["recapiti"]["email"] == "mario@example.org" and data["codice"] == complaint.reference
    erase = reverse("complaints:act", args=[complaint.public_id, "erase"])
    assert client.post(erase, {"erase-reason": ""}).status_code == 400
    assert client.post(erase, {"erase-reason": "Richiesta dell'interessato del 30/11"}).status_code == 302
    with acting_for(comune_a):
        complaint.refresh_from_db()
    assert complaint.anonymised_on is not None and complaint.contact_email == "" and complaint.what_happened == "—"
    assert client.post(erase, {"erase-reason": "di nuovo"}).status_code == 400
