from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from surveys.questionnaires.seed import DATA_DIR, QuestionnaireFileError, load_questionnaires


class Command(BaseCommand):
    help = (
        "Carica le lingue e i questionari condivisi del club (anagrafe, «Mettiamoci la faccia»). "
        "Idempotente: un questionario già presente non viene toccato."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=DATA_DIR,
            help="Un'altra cartella di questionari (YAML, nel formato di surveys/questionnaires/data/). "
                 "Un file non valido viene rifiutato senza scrivere nulla.",
        )

    def handle(self, *args, **options):
        try:
            result = load_questionnaires(options["dir"])
        except QuestionnaireFileError as error:
            raise CommandError(f"{options['dir']}: nothing loaded. {error}") from error
        self.stdout.write(
            _("Lingue: %(languages)d. Questionari creati: %(created)s. Già presenti: %(kept)s.")
            % {
                "languages": result.languages,
                "created": ", ".join(result.created) or "—",
                "kept": ", ".join(result.kept) or "—",
            }
        )
