""""Overdue" has one definition: a campaign still open after its due date
(`Campaign.is_past_due` / `Campaign.objects.past_due`), for a comune whose
submission is missing or neither submitted nor approved (`is_overdue`). The
comune's page, the coordinators' board and the reminders all read it."""

import datetime
from decimal import Decimal

from benchmarking.collection import selectors, services
from benchmarking.management.commands.send_reminders import reminders_due
from benchmarking.models import Campaign, Submission
from benchmarking.review.selectors import board, board_lines_in
from qclub.tenancy import acting_for

DUE = datetime.date(2026, 3, 31)  # campaign_for(year=2025)
AFTER = DUE + datetime.timedelta(days=1)


def test_a_campaign_is_past_due_only_after_its_due_date_and_while_open(campaign):
    assert campaign.due_on == DUE
    assert not campaign.is_past_due(DUE) and campaign.is_past_due(AFTER)
    assert list(Campaign.objects.past_due(DUE)) == [] and list(Campaign.objects.past_due(AFTER)) == [campaign]
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    assert not campaign.is_past_due(AFTER) and not Campaign.objects.past_due(AFTER).exists()


def test_a_comune_that_submitted_is_not_overdue(comune_a, officer_a, manager_a, campaign):
    assert selectors.is_overdue(campaign, None, AFTER)
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        assert selectors.is_overdue(campaign, submission, AFTER)
        for status in Submission.DONE:
            submission.status = status
            assert not selectors.is_overdue(campaign, submission, AFTER)
        submission.status = Submission.Status.RETURNED
        assert selectors.is_overdue(campaign, submission, AFTER)
        assert not selectors.is_overdue(campaign, submission, DUE)


def test_the_board_and_the_reminders_agree_on_who_is_overdue(comune_a, comune_b, officer_a, manager_a, coordinator, campaign):
    with acting_for(comune_a):
        submission = services.start_submission(campaign)
        services.save_values(submission, {
            code: services.Entry(state="value", value=Decimal(value), justification="ok")
            for code, value in (("certificati", 100), ("certificati_online", 10), ("sportello_fte", 2))
        }, officer_a)
        services.transition(submission, services.SUBMIT, manager_a)
    lines = board(campaign, coordinator, AFTER)
    assert [line.municipality for line in board_lines_in(lines, "overdue")] == [comune_b]
    assert board_lines_in(board(campaign, coordinator, DUE), "overdue") == []
    assert [reminder.municipality for reminder in reminders_due(AFTER)] == [comune_b]
    assert reminders_due(DUE) == []


def test_a_comune_admitted_after_the_due_date_is_not_overdue_on_that_round(comune_a, comune_b, officer_a, officer_b, manager_a, coordinator, campaign):
    comune_b.member_since = AFTER  # admitted the day after the round was due
    comune_b.save()
    assert campaign.is_past_due(AFTER + datetime.timedelta(days=1))
    assert not campaign.is_past_due(AFTER + datetime.timedelta(days=1), comune_b)
    assert campaign.is_past_due(AFTER + datetime.timedelta(days=1), comune_a)
    later = AFTER + datetime.timedelta(days=1)
    assert list(Campaign.objects.past_due(later, comune_b)) == []
    assert not selectors.is_overdue(campaign, None, later, municipality=comune_b)
    lines = board(campaign, coordinator, later)
    assert [line.municipality for line in board_lines_in(lines, "overdue")] == [comune_a]
    assert [reminder.municipality for reminder in reminders_due(later)] == [comune_a]
