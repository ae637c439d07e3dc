"""The daily reminders as jobs: scheduled by the worker, one e-mail per comune
and campaign a day however often they run, each sent acting for its comune."""

import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from benchmarking.collection import reminders, services
from benchmarking.collection.services import Entry
from benchmarking.models import ReminderSent, Submission
from qclub.tenancy import acting_for, active_municipality_id

# The conftest campaign (2025) is due on 2026-03-31; the job runs the next morning.
MORNING = timezone.make_aware(datetime.datetime(2026, 4, 1, 8, 0))


def run_daily_job():
    """What the worker defers at 08:00."""
    return reminders.daily_reminders.defer(timestamp=int(MORNING.timestamp()))


def start_draft(comune, officer, campaign, certificates):
    with acting_for(comune):
        submission = services.start_submission(campaign)
        services.save_values(submission, {"certificati": Entry(state="value", value=Decimal(certificates))}, officer)


def test_the_reminders_are_sent_every_morning_by_the_worker():
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["benchmarking.daily_reminders"] == "0 8 * * *"


def test_running_the_daily_job_twice_sends_one_email_per_comune_and_campaign(
    run_jobs, mailoutbox, comune_a, officer_a, manager_a, comune_b, officer_b, campaign
):
    start_draft(comune_a, officer_a, campaign, 500)

    run_daily_job()
    run_jobs()
    run_daily_job()  # a second run the same day (a retry, a second scheduler, by hand)
    run_jobs()

    assert sorted(sorted(mail.to) for mail in mailoutbox) == [
        sorted([officer_a.email, manager_a.email]), [officer_b.email],
    ]
    sends = ProcrastinateJob.objects.filter(task_name="benchmarking.send_reminder")
    assert sends.count() == 4 and {job.status for job in sends} == {"succeeded"}
    for comune in (comune_a, comune_b):
        with acting_for(comune):
            assert list(ReminderSent.objects.values_list("campaign_id", "on")) == [
                (campaign.pk, MORNING.date())
            ]

    # Nor does the command, run by hand that day, send them again.
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-04-01", stdout=out)
    assert len(mailoutbox) == 2
    assert "0 promemoria inviati" in out.getvalue() and "già inviato" in out.getvalue()


def test_each_reminder_is_sent_acting_for_its_own_comune_only(
    run_jobs, mailoutbox, monkeypatch, comune_a, officer_a, comune_b, officer_b, campaign
):
    start_draft(comune_a, officer_a, campaign, 500)
    start_draft(comune_b, officer_b, campaign, 700)
    seen = []
    send_mail = reminders.send_mail

    def watching_send_mail(subject, body, sender, to):
        # Raw SQL: what the database itself lets the job see.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT municipality_id FROM {Submission._meta.db_table}")
            visible = [row[0] for row in cursor.fetchall()]
        seen.append({"to": to, "active": active_municipality_id(), "visible": visible})
        return send_mail(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", watching_send_mail)

    with acting_for(comune_a):  # whoever defers, the job's context is its comune's
        run_daily_job()
    run_jobs()

    assert sorted(seen, key=lambda s: s["active"]) == sorted([
        {"to": [officer_a.email], "active": comune_a.pk, "visible": [comune_a.pk]},
        {"to": [officer_b.email], "active": comune_b.pk, "visible": [comune_b.pk]},
    ], key=lambda s: s["active"])
    body_for = {tuple(mail.to): mail.body for mail in mailoutbox}
    assert "Comune di Trento" in body_for[(officer_a.email,)] and "Bergamo" not in body_for[(officer_a.email,)]
    assert "Comune di Bergamo" in body_for[(officer_b.email,)]


def test_a_comune_that_submitted_before_its_job_ran_is_not_reminded(
    run_jobs, mailoutbox, comune_a, officer_a, manager_a, campaign
):
    reminders.send_reminder.defer(municipality=comune_a, campaign_id=campaign.pk, on="2026-04-01")
    with acting_for(comune_a):  # after the 08:00 fan-out queued it, before it ran
        submission = services.start_submission(campaign)
        values = {"certificati": 1000, "certificati_online": 300, "sportello_fte": 3}
        services.save_values(submission, {
            code: Entry(state="value", value=Decimal(v)) for code, v in values.items()
        }, officer_a)
        services.transition(submission, services.SUBMIT, manager_a)

    run_jobs()

    assert mailoutbox == []
