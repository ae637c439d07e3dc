"""Reminders: an e-mail to every member comune that has not yet submitted its
data for an open campaign past its due date.

The worker sends them every day at 08:00 (`daily_reminders`, a periodic job):
it reads only club-wide tables (campaigns, comuni, memberships) and defers one
`send_reminder` job per comune and overdue campaign; that job reads the
comune's submission in the comune's own tenancy context and sends at most one
e-mail, so a retry re-sends at most that one. `ReminderSent` records each
e-mail in the transaction that sends it, which keeps it to one reminder per
comune, campaign and day however often the job, its retries or
`manage.py send_reminders` run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.template.loader import render_to_string

from benchmarking.models import Campaign, ReminderSent, Submission
from qclub.jobs import municipality_job, periodic_job
from qclub.models import Membership, Municipality, Role
from qclub.tenancy import acting_for, active_municipality_id

LINK_PATH = "/benchmarking/"


@dataclass(frozen=True)
class Reminder:
    campaign: Campaign
    municipality: Municipality
    status: str
    percent_filled: int
    recipients: tuple[str, ...]


# --- Reads ----------------------------------------------------------------------


def overdue_campaigns(on: datetime.date) -> list[Campaign]:
    """Open campaigns whose due date has passed by `on` (club-wide)."""
    return list(
        Campaign.objects.past_due(on)
        .select_related("area")
        .order_by("due_on", "area__position", "pk")
    )


def member_comuni() -> list[Municipality]:
    return list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"))


def recipients_by_municipality(municipalities: list[Municipality]) -> dict[int, tuple[str, ...]]:
    """Managers and officers with an e-mail address, per comune (one query)."""
    found: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(
            municipality__in=municipalities, role__in=[Role.MANAGER, Role.OFFICER], user__is_active=True
        )
        .exclude(user__email="")
        .order_by("municipality_id", "role", "user__email")
        .values_list("municipality_id", "user__email")
    )
    for municipality_id, email in rows:
        if email not in found.setdefault(municipality_id, []):
            found[municipality_id].append(email)
    return {key: tuple(emails) for key, emails in found.items()}


def reminders_for(
    municipality: Municipality, campaigns: list[Campaign], *, recipients: tuple[str, ...]
) -> list[Reminder]:
    """The comune's reminders among `campaigns`: those whose submission is missing
    or not yet submitted. Run acting for the comune (its submissions are its own)."""
    if active_municipality_id() != municipality.pk:
        raise ValueError("reminders_for() reads a comune's submissions acting for that comune")
    submissions = {
        submission.campaign_id: submission
        for submission in Submission.objects.filter(campaign__in=campaigns)
    }
    reminders = []
    for campaign in campaigns:
        submission = submissions.get(campaign.pk)
        if submission is not None and submission.is_done:
            continue
        reminders.append(Reminder(
            campaign=campaign,
            municipality=municipality,
            status=(submission.get_status_display() if submission else Submission.Status.NOT_STARTED.label),
            percent_filled=submission.percent_filled if submission else 0,
            recipients=recipients,
        ))
    return reminders


def reminders_due(on: datetime.date) -> list[Reminder]:
    """Every reminder due on `on`, each comune's read in its own tenancy context
    (for the command, which lists them all)."""
    campaigns = overdue_campaigns(on)
    if not campaigns:
        return []
    comuni = member_comuni()
    recipients = recipients_by_municipality(comuni)
    reminders = []
    for comune in comuni:
        due = [campaign for campaign in campaigns if campaign.is_past_due(on, comune)]
        with acting_for(comune):
            reminders += reminders_for(comune, due, recipients=recipients.get(comune.pk, ()))
    return reminders


# --- Sending --------------------------------------------------------------------


def deliver_reminder(reminder: Reminder, *, on: datetime.date) -> bool:
    """E-mail the reminder unless the comune already had it on `on`; True when sent.

    Run acting for the reminder's comune, inside a transaction: the record is
    written before the e-mail goes, so a failed send rolls it back (and the
    job's retry sends again), and a concurrent twin waits on the unique
    constraint, then finds the record and sends nothing.
    """
    _record, created = ReminderSent.objects.get_or_create(campaign=reminder.campaign, on=on)
    if not created:
        return False
    context = {
        "campaign": reminder.campaign, "municipality": reminder.municipality,
        "status": reminder.status, "percent_filled": reminder.percent_filled, "link": LINK_PATH,
    }
    subject = " ".join(render_to_string("benchmarking/email/reminder_subject.txt", context).split())
    body = render_to_string("benchmarking/email/reminder.txt", context)
    send_mail(subject, body, None, list(reminder.recipients))
    return True


# --- Jobs -----------------------------------------------------------------------


@municipality_job(name="benchmarking.send_reminder")
def send_reminder(municipality: Municipality, *, campaign_id: int, on: str) -> None:
    """One comune's reminder of one campaign, if it is still due when the job runs
    (the comune may have submitted since it was queued)."""
    day = datetime.date.fromisoformat(on)
    campaigns = [c for c in overdue_campaigns(day) if c.pk == campaign_id and c.is_past_due(day, municipality)]
    recipients = recipients_by_municipality([municipality]).get(municipality.pk, ())
    if not recipients:
        return
    for reminder in reminders_for(municipality, campaigns, recipients=recipients):
        deliver_reminder(reminder, on=day)


@periodic_job(name="benchmarking.daily_reminders", cron="0 8 * * *")
def daily_reminders(*, scheduled_at: datetime.datetime) -> None:
    """Every day at 08:00: one `send_reminder` job per member comune with an
    address and per overdue campaign (club-wide reads only)."""
    day = scheduled_at.date()
    campaigns = overdue_campaigns(day)
    if not campaigns:
        return
    comuni = member_comuni()
    recipients = recipients_by_municipality(comuni)
    for comune in comuni:
        if not recipients.get(comune.pk):
            continue
        # Not for rounds due before the comune joined the club.
        for campaign in (c for c in campaigns if c.is_past_due(day, comune)):
            send_reminder.defer(municipality=comune, campaign_id=campaign.pk, on=day.isoformat())
