"""E-mail a reminder to every member comune that has not yet submitted its
data for an open campaign past its due date.

The scheduler runs this once a day (e.g. cron `0 8 * * *`), which is what keeps
it to one reminder per comune per campaign per day: there is no log of sent
reminders. `--date` computes "overdue" as of another day (to re-run a missed day
or to test); `--dry-run` prints what would be sent and sends nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from benchmarking.models import Campaign, Submission
from qclub.models import Membership, Municipality, Role
from qclub.tenancy import acting_for

DONE = frozenset({Submission.Status.SUBMITTED, Submission.Status.APPROVED})
LINK_PATH = "/benchmarking/"


@dataclass(frozen=True)
class Reminder:
    campaign: Campaign
    municipality: Municipality
    status: str
    percent_filled: int
    recipients: tuple[str, ...]


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


def reminders_due(on: datetime.date) -> list[Reminder]:
    """Who should be reminded on `on`: open campaigns whose due date has passed,
    member comuni whose submission is missing or not yet submitted."""
    campaigns = list(
        Campaign.objects.past_due(on)
        .select_related("area")
        .order_by("due_on", "area__position", "pk")
    )
    if not campaigns:
        return []
    comuni = list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"))
    recipients = recipients_by_municipality(comuni)
    reminders = []
    for comune in comuni:
        # The comune's own submissions are read in its tenancy context.
        with acting_for(comune):
            submissions = {
                submission.campaign_id: submission
                for submission in Submission.objects.filter(campaign__in=campaigns)
            }
        for campaign in campaigns:
            submission = submissions.get(campaign.pk)
            if submission is not None and submission.status in DONE:
                continue
            reminders.append(Reminder(
                campaign=campaign,
                municipality=comune,
                status=(submission.get_status_display() if submission else Submission.Status.NOT_STARTED.label),
                percent_filled=submission.percent_filled if submission else 0,
                recipients=recipients.get(comune.pk, ()),
            ))
    return reminders


def send_reminder(reminder: Reminder) -> None:
    context = {
        "campaign": reminder.campaign, "municipality": reminder.municipality,
        "status": reminder.status, "percent_filled": reminder.percent_filled, "link": LINK_PATH,
    }
    subject = " ".join(render_to_string("benchmarking/email/reminder_subject.txt", context).split())
    body = render_to_string("benchmarking/email/reminder.txt", context)
    send_mail(subject, body, None, list(reminder.recipients))


class Command(BaseCommand):
    help = (
        "Invia un promemoria ai comuni aderenti che non hanno ancora inviato i dati di una "
        "campagna aperta e scaduta. Da eseguire una volta al giorno."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Mostra i promemoria senza inviarli.")
        parser.add_argument("--date", help="Data di riferimento AAAA-MM-GG (predefinita: oggi).")

    def handle(self, *args, **options):
        try:
            on = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("Data non valida: usa il formato AAAA-MM-GG.")) from error
        dry_run = options["dry_run"]
        with translation.override(settings.LANGUAGE_CODE):
            reminders = reminders_due(on)
            sent = without_address = 0
            for reminder in reminders:
                line = _("%(comune)s — %(campaign)s (%(status)s, %(pct)d%%): %(to)s") % {
                    "comune": reminder.municipality.name, "campaign": reminder.campaign,
                    "status": reminder.status, "pct": reminder.percent_filled,
                    "to": ", ".join(reminder.recipients) or _("nessun indirizzo e-mail"),
                }
                self.stdout.write(line)
                if not reminder.recipients:
                    without_address += 1
                    continue
                if not dry_run:
                    send_reminder(reminder)
                sent += 1
            summary = (
                _("Simulazione al %(date)s: %(n)d promemoria da inviare, %(none)d comuni senza indirizzo.")
                if dry_run
                else _("Al %(date)s: %(n)d promemoria inviati, %(none)d comuni senza indirizzo.")
            )
            self.stdout.write(summary % {"date": on.isoformat(), "n": sent, "none": without_address})
