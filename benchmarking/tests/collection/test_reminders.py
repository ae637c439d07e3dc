"""send_reminders: who gets reminded of an overdue campaign, and who does not."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.models import Campaign, DataValue
from benchmarking.tests.factories import campaign_for
from qclub.models import Municipality, Role
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import MunicipalityFactory, officer_of

AFTER_DUE = "2026-04-01"  # the conftest campaign (2025) is due on 2026-03-31


def remind(*args, date=AFTER_DUE):
    out = io.StringIO()
    call_command("send_reminders", "--date", date, *args, stdout=out)
    return out.getvalue()


def fill_all(submission, user):
    values = {"certificati": 1000, "certificati_online": 300, "sportello_fte": 3}
    entries = {code: Entry(state=DataValue.State.VALUE, value=Decimal(v)) for code, v in values.items()}
    return services.save_values(submission, entries, user)


@pytest.fixture
def draft_a(comune_a, officer_a, campaign):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": Entry(state="value", value=Decimal(500))}, officer_a)
    return submission


def test_an_overdue_draft_gets_a_reminder_in_italian(comune_a, officer_a, manager_a, draft_a, mailoutbox):
    output = remind()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([officer_a.email, manager_a.email])
    assert "Promemoria" in mail.subject and "2025" in mail.subject
    assert "Comune di Trento" in mail.body
    assert "Bozza" in mail.body and "33%" in mail.body and "31/03/2026" in mail.body
    assert "/benchmarking/" in mail.body
    assert "1 promemoria inviati" in output


def test_a_comune_that_has_not_started_is_reminded_too(comune_b, officer_b, campaign, mailoutbox):
    remind()
    assert [mail.to for mail in mailoutbox] == [[officer_b.email]]
    assert "Non iniziata" in mailoutbox[0].body


def test_submitted_and_approved_comuni_are_not_reminded(
    area, comune_a, officer_a, manager_a, comune_b, officer_b, coordinator, campaign, mailoutbox
):
    manager_b = officer_of(comune_b, role=Role.MANAGER)
    with acting_for(comune_a):
        submission_a = services.start_submission(campaign)
        fill_all(submission_a, officer_a)
        services.transition(submission_a, services.SUBMIT, manager_a)
    with acting_for(comune_b):
        submission_b = services.start_submission(campaign)
        fill_all(submission_b, officer_b)
        services.transition(submission_b, services.SUBMIT, manager_b)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission_b, services.APPROVE, coordinator)
    remind()
    assert mailoutbox == []


def test_nothing_is_sent_on_or_before_the_due_date_nor_for_closed_campaigns(
    area, indicators, officer_a, draft_a, mailoutbox
):
    remind(date="2026-03-31")
    closed = campaign_for(area, indicators, year=2024, status=Campaign.Status.CLOSED)
    assert closed.due_on.year == 2025
    remind(date="2025-06-01")
    assert mailoutbox == []


def test_a_dry_run_sends_nothing_but_lists_the_reminders(officer_a, draft_a, mailoutbox):
    output = remind("--dry-run")
    assert mailoutbox == []
    assert "Simulazione" in output and "Trento" in output and officer_a.email in output


def test_non_members_and_users_without_email_get_nothing(comune_a, officer_a, draft_a, mailoutbox):
    officer_a.email = ""
    officer_a.save()
    former = MunicipalityFactory(status=Municipality.Status.FORMER)
    officer_of(former)
    output = remind()
    assert mailoutbox == []
    assert "nessun indirizzo" in output


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-GG"):
        remind(date="01/04/2026")
