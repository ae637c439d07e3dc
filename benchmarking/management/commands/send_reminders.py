"""send_reminders: the daily reminders of overdue campaigns, by hand.

The worker already sends them every day at 08:00 (the periodic job
`benchmarking.daily_reminders`, see benchmarking/collection/reminders.py); this
command is for re-running a missed day or looking at what would go out. It
sends through the same path, so a comune already reminded of a campaign that
day gets nothing more. `--date` computes "overdue" as of another day;
`--dry-run` prints what would be sent and sends nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from benchmarking.collection.reminders import deliver_reminder, reminders_due
from qclub.tenancy import acting_for


class Command(BaseCommand):
    help = (
        "Invia un promemoria ai comuni aderenti che non hanno ancora inviato i dati di una "
        "campagna aperta e scaduta. Il worker lo fa ogni giorno alle 8; a mano per un giorno saltato."
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
                if not reminder.recipients:
                    self.stdout.write(line)
                    without_address += 1
                    continue
                if not dry_run:
                    # One transaction per e-mail, as the job: the record and the send go together.
                    with transaction.atomic(), acting_for(reminder.municipality):
                        if not deliver_reminder(reminder, on=on):
                            self.stdout.write(line + " " + _("(già inviato in questa data)"))
                            continue
                self.stdout.write(line)
                sent += 1
            summary = (
                _("Simulazione al %(date)s: %(n)d promemoria da inviare, %(none)d comuni senza indirizzo.")
                if dry_run
                else _("Al %(date)s: %(n)d promemoria inviati, %(none)d comuni senza indirizzo.")
            )
            self.stdout.write(summary % {"date": on.isoformat(), "n": sent, "none": without_address})
