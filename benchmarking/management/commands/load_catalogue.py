from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarking.catalogue.seed import (
    CATALOGUE_FILE,
    CatalogueError,
    load_catalogue,
    read_catalogue,
)


class Command(BaseCommand):
    help = "Carica o aggiorna il catalogo di esempio (dati elementari e indicatori). Idempotente."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=CATALOGUE_FILE,
            help="Un altro file di catalogo (YAML, nel formato di benchmarking/catalogue/data/"
                 "catalogue.yaml). Un file non valido viene rifiutato senza scrivere nulla.",
        )

    def handle(self, *args, **options):
        try:
            # Read and checked in full before the first write.
            result = load_catalogue(read_catalogue(options["file"]))
        except CatalogueError as error:
            raise CommandError(f"{options['file']}: nothing loaded. {error}") from error
        if result.areas_created:
            self.stdout.write(
                _("Aree tematiche create: %(areas)s") % {"areas": ", ".join(result.areas_created)}
            )
        self.stdout.write(
            _(
                "Dati elementari: %(ec)d nuovi, %(eu)d aggiornati. Indicatori: %(ic)d nuovi, "
                "%(iu)d aggiornati, %(vc)d nuove versioni."
            )
            % {
                "ec": result.elements_created, "eu": result.elements_updated,
                "ic": result.indicators_created, "iu": result.indicators_updated,
                "vc": result.versions_created,
            }
        )
