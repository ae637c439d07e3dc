"""The complaints module's jobs (found by the worker, qclub/jobs.py):

* `complaints.send_receipt`, `complaints.send_answer` (notifications.py);
* `complaints.daily` (periodic, 07:30): one `complaints.remind` and one
  `complaints.erase_expired` per member comune;
* `complaints.remind`: at most one e-mail a day per comune to the staff who
  handle complaints, listing what is overdue or due within two working days;
* `complaints.erase_expired`: retention (privacy.py).
"""

from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from complaints import deadlines, notifications, policy
from complaints.kpis import jobs as kpis_jobs  # noqa: F401 (the KPI figures' jobs, for the worker)
from complaints.models import Complaint, ReminderSent
from complaints.privacy import erase_expired_personal_data
from qclub.jobs import municipality_job, periodic_job
from qclub.models import Membership, Municipality

__all__ = ["notifications", "daily", "remind", "erase_expired"]


def staff_addresses(municipality: Municipality) -> list[str]:
    return list(
        Membership.objects.filter(municipality=municipality, user__is_active=True)
        .exclude(user__email="").order_by("user__email")
        .values_list("user__email", flat=True).distinct()
    )


def due_soon_q(on: datetime.date, province_code: str) -> Q:
    soon = deadlines.add_working_days(on, 2, province_code=province_code)
    return Q(status__in=Complaint.OPEN_STATUSES, suspended=False, answer_due__gte=on, answer_due__lte=soon)


@municipality_job(name="complaints.remind")
def remind(municipality: Municipality, *, on: str) -> None:
    deliver_reminder(municipality, day=datetime.date.fromisoformat(on))


def deliver_reminder(municipality: Municipality, *, day: datetime.date) -> bool:
    """Acting for the comune: e-mail its staff what is overdue or due soon,
    at most once a day (ReminderSent, written in the same transaction)."""
    overdue = list(Complaint.objects.filter(policy.overdue_q(day)).order_by("answer_due")
                   .values_list("reference", "answer_due")[:50])
    due_soon = list(Complaint.objects.filter(due_soon_q(day, municipality.province_code))
                    .order_by("answer_due").values_list("reference", "answer_due")[:50])
    if not overdue and not due_soon:
        return False
    recipients = staff_addresses(municipality)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(municipality=municipality, day=day)
    except IntegrityError:
        return False  # already sent today
    context = {"municipality": municipality, "overdue": overdue, "due_soon": due_soon}
    subject = " ".join(render_to_string("complaints/email/reminder_subject.txt", context).split())
    send_mail(subject, render_to_string("complaints/email/reminder.txt", context), None, recipients)
    return True


@municipality_job(name="complaints.erase_expired")
def erase_expired(municipality: Municipality, *, on: str) -> None:
    erase_expired_personal_data(municipality=municipality, on=datetime.date.fromisoformat(on))


@periodic_job(name="complaints.daily", cron="30 7 * * *")
def daily(*, scheduled_at: datetime.datetime) -> None:
    on = scheduled_at.date().isoformat()
    for municipality_id in Municipality.objects.filter(status=Municipality.Status.MEMBER).values_list("pk", flat=True):
        remind.defer(municipality=municipality_id, on=on)
        erase_expired.defer(municipality=municipality_id, on=on)
