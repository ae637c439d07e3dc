"""manage.py bulk_load_values figures.csv --period 2025 [--user name]

A national data load (e.g. figures published by ISTAT or a ministry for many
comuni at once): all or nothing, every line checked first; see benchmarking/collection/bulk.py.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.collection.bulk import BulkLoadRefused, load_values
from benchmarking.periods import Period


class Command(BaseCommand):
    help = "Load many comuni's figures for a period from one CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--period", required=True, help="2025, 2025-H1 or 2025-Q3")
        parser.add_argument("--user", help="the user recorded in every value's history")

    def handle(self, *args, path, period, user=None, **options):
        try:
            period_value = Period.parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from None
        acting_user = get_user_model().objects.filter(username=user).first() if user else None
        if user and acting_user is None:
            raise CommandError(_("Utente sconosciuto: %(user)s") % {"user": user})
        try:
            with open(path, "rb") as source:
                outcome = load_values(source=source, period=period_value, acting_user=acting_user)
        except OSError as error:
            raise CommandError(
                _("Non riesco a leggere il file %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
            ) from None
        except BulkLoadRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("Nessun valore scritto: correggi le righe indicate.")) from None
        lines = ngettext("%(count)s riga caricata", "%(count)s righe caricate", outcome.rows) % {"count": outcome.rows}
        comuni = ngettext("per %(count)s comune.", "per %(count)s comuni.", outcome.comuni) % {"count": outcome.comuni}
        self.stdout.write(f"{lines} {comuni}")
