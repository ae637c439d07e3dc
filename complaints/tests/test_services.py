"""The rules of registering and handling a complaint, service by service."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import policy
from complaints.deadlines import add_working_days
from complaints.handling import services
from complaints.intake.services import complaint_by_token, register_complaint
from complaints.models import Attachment, Complaint, ComplaintEvent, ComplaintSettings, Suspension
from qclub.models import Municipality
from qclub.tenancy import acting_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
S = Complaint.Status
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def test_register_gives_reference_token_and_due_dates(comune_a, register):
    registered = register()
    complaint = registered.complaint
    assert complaint.reference == f"S-{complaint.received_on.year}-00001"
    assert register().complaint.reference.endswith("-00002")
    assert complaint.tracking_token_hash and registered.token not in complaint.tracking_token_hash
    assert complaint.acknowledge_due == add_working_days(complaint.received_on, 5, province_code="TN")
    assert complaint.answer_due == add_working_days(complaint.received_on, 30, province_code="TN")
    assert complaint_by_token(municipality=comune_a, token=registered.token).pk == complaint.pk
    assert complaint_by_token(municipality=comune_a, token="x" + registered.token) is None
    with acting_for(comune_a):
        event = complaint.events.get()
    assert event.kind == ComplaintEvent.Kind.REGISTERED and event.to_status == S.RECEIVED


def test_received_date_may_precede_entry_but_not_follow_it(register):
    earlier = dt.date.today() - dt.timedelta(days=20)
    assert register(received_on=earlier).complaint.received_on == earlier
    with pytest.raises(ValidationError) as error:
        register(received_on=dt.date.today() + dt.timedelta(days=1))
    assert "received_on" in error.value.error_dict


def test_contact_details_kept_only_when_an_answer_is_wanted(register):
    complaint = register(wants_answer=False).complaint
    assert (complaint.contact_name, complaint.contact_email) == ("", "")
    with pytest.raises(ValidationError) as error:
        register(wants_answer=True, contact_email="", contact_phone="", contact_address="")
    assert "contact_email" in error.value.error_dict


def test_comune_settings_set_the_deadlines(comune_a, register):
    with acting_for(comune_a):
        ComplaintSettings.objects.create(acknowledge_days=2, answer_days=10)
    complaint = register().complaint
    assert complaint.answer_due == add_working_days(complaint.received_on, 10, province_code="TN")


def test_a_charter_standard_overrides_the_defaults(register):
    override = policy.Standards(acknowledge_days=1, answer_days=3)
    with mock.patch.object(policy, "charter_standard", return_value=override):
        complaint = register().complaint
    assert complaint.answer_due == add_working_days(complaint.received_on, 3, province_code="TN")


def test_only_staff_of_the_comune_register_and_handle(comune_a, comune_b, register, officer_b):
    with pytest.raises(PermissionDenied):
        register(user=officer_b)
    complaint = register().complaint
    with acting_for(comune_a), pytest.raises(PermissionDenied):
        services.acknowledge(complaint=complaint, user=officer_b)
    with acting_for(comune_a), pytest.raises(PermissionDenied):
        services.acknowledge(complaint=complaint, user=UserFactory())


def test_public_intake_only_by_web_today_and_to_member_comuni(comune_a):
    with pytest.raises(ValidationError):
        register_complaint(municipality=comune_a, user=None, kind="complaint", channel="phone",
                           what_happened="x")
    registered = register_complaint(municipality=comune_a, user=None, kind="suggestion", channel="web",
                                    received_on=dt.date(2020, 1, 1), what_happened="Aprite il sabato")
    assert registered.complaint.received_on == dt.date.today()
    with acting_for(comune_a):
        assert registered.complaint.events.get().by_citizen
    comune_a.status = Municipality.Status.FORMER
    with pytest.raises(ValidationError):
        register_complaint(municipality=comune_a, user=None, kind="complaint", channel="web", what_happened="x")


def test_the_status_machine(comune_a, register, officer_a):
    complaint = register().complaint
    with acting_for(comune_a):
        assert services.allowed_actions(complaint)[:2] == ["acknowledge", "start"]
        with pytest.raises(ValidationError):
            services.close(complaint=complaint, user=officer_a)  # a complaint wanting an answer needs one
        complaint = services.acknowledge(complaint=complaint, user=officer_a)
        assert complaint.status == S.ACKNOWLEDGED and complaint.acknowledged_on == dt.date.today()
        with pytest.raises(ValidationError):
            services.acknowledge(complaint=complaint, user=officer_a)
        complaint = services.assign(complaint=complaint, user=officer_a, office=None, assignee=officer_a)
        assert complaint.status == S.IN_PROGRESS and complaint.assignee == officer_a
        with pytest.raises(ValidationError):
            services.answer(complaint=complaint, user=officer_a, text="  ")
        complaint = services.answer(complaint=complaint, user=officer_a, text="Abbiamo aggiunto uno sportello.",
                                    root_cause="organisation", founded=True)
        assert complaint.status == S.ANSWERED and complaint.answer_working_days >= 1
        assert complaint.answered_late is False
        with pytest.raises(ValidationError):
            services.suspend(complaint=complaint, user=officer_a, reason="x")
        complaint = services.close(complaint=complaint, user=officer_a)
        assert complaint.status == S.CLOSED
        complaint = services.reopen(complaint=complaint, user=officer_a, reason="Il problema continua")
        assert complaint.status == S.REOPENED and complaint.reopen_count == 1
        statuses = list(complaint.events.filter(kind="status").values_list("from_status", "to_status", "actor"))
    assert statuses == [
        (S.RECEIVED, S.ACKNOWLEDGED, officer_a.pk), (S.ACKNOWLEDGED, S.IN_PROGRESS, officer_a.pk),
        (S.IN_PROGRESS, S.ANSWERED, officer_a.pk), (S.ANSWERED, S.CLOSED, officer_a.pk),
        (S.CLOSED, S.REOPENED, officer_a.pk),
    ]


def test_suggestions_close_without_an_answer(comune_a, register, officer_a):
    complaint = register(kind=Complaint.Kind.SUGGESTION, wants_answer=False).complaint
    with acting_for(comune_a):
        assert services.close(complaint=complaint, user=officer_a).status == S.CLOSED


def test_edit_conflict_is_detected(comune_a, register, officer_a):
    complaint = register().complaint
    with acting_for(comune_a):
        services.acknowledge(complaint=complaint, user=officer_a, version=1)
        with pytest.raises(services.ConcurrentEdit):
            services.start(complaint=complaint, user=officer_a, version=1)


def test_suspension_stops_the_clock_and_answering_late_is_recorded(comune_a, register, officer_a):
    received = dt.date(2026, 11, 2)  # a Monday
    with mock.patch.object(policy, "today", return_value=received + dt.timedelta(days=1)):
        complaint = register(received_on=received).complaint
    original_due = complaint.answer_due
    with acting_for(comune_a):
        complaint = services.suspend(complaint=complaint, user=officer_a, reason="Manca la ricevuta",
                                     on=dt.date(2026, 11, 4))
        assert complaint.suspended and complaint.answer_due is None
        complaint = services.resume(complaint=complaint, user=officer_a, on=dt.date(2026, 11, 11))
        assert not complaint.suspended
        # 4..10 November stopped: 5 working days (4, 5, 6, 9, 10).
        assert complaint.answer_due == add_working_days(original_due, 5, province_code="TN")
        assert Suspension.objects.get().ended_on == dt.date(2026, 11, 11)
        late_day = add_working_days(complaint.answer_due, 2, province_code="TN")
        complaint = services.answer(complaint=complaint, user=officer_a, text="Risposta", on=late_day)
    assert complaint.answer_working_days == 32 and complaint.answered_late is True


def test_citizen_reopens_within_the_period_only(comune_a, register, officer_a):
    complaint = register().complaint
    with acting_for(comune_a):
        complaint = services.answer(complaint=complaint, user=officer_a, text="Risposta")
        with pytest.raises(ValidationError):
            services.reopen_by_citizen(complaint=complaint, reason="No",
                                       on=complaint.answered_on + dt.timedelta(days=31))
        complaint = services.reopen_by_citizen(complaint=complaint, reason="Non è cambiato nulla",
                                               on=complaint.answered_on + dt.timedelta(days=30))
        assert complaint.status == S.REOPENED and complaint.reopen_count == 1
        assert complaint.events.filter(kind="status", by_citizen=True, to_status=S.REOPENED).exists()
        assert complaint.answer_due == add_working_days(complaint.answered_on + dt.timedelta(days=30), 30,
                                                        province_code="TN")


def test_citizen_rates_an_answer_once(comune_a, register, officer_a):
    complaint = register().complaint
    with acting_for(comune_a):
        with pytest.raises(ValidationError):
            services.rate(complaint=complaint, rating=5)
        complaint = services.answer(complaint=complaint, user=officer_a, text="Risposta")
        with pytest.raises(ValidationError):
            services.rate(complaint=complaint, rating=6)
        assert services.rate(complaint=complaint, rating=4).rating == 4
        with pytest.raises(ValidationError):
            services.rate(complaint=complaint, rating=5)


def test_attachments_are_checked_by_content_size_and_count(comune_a, register, settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path
    complaint = register(files=[SimpleUploadedFile("ricevuta.pdf", PDF), SimpleUploadedFile("foto.png", PNG)]).complaint
    with acting_for(comune_a):
        stored = list(Attachment.objects.filter(complaint=complaint).values_list("content_type", "path"))
    assert [c for c, _ in stored] == ["application/pdf", "image/png"]
    assert all((tmp_path / p).exists() for _, p in stored)
    for bad in (
        [SimpleUploadedFile("finto.pdf", b"<html><script>alert(1)</script>")],  # the name lies
        [SimpleUploadedFile("grande.pdf", PDF + b"0" * (2 * 1024 * 1024))],
        [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(4)],
        [SimpleUploadedFile(f"{n}.pdf", PDF + b"0" * (2 * 1024 * 1024 - 100)) for n in range(3)],  # 6 MB in all
    ):
        with pytest.raises(ValidationError) as error:
            register(files=bad)
        assert "files" in error.value.error_dict
