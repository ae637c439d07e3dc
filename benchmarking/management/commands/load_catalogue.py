from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from benchmarking.catalogue.seed import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Carica o aggiorna il catalogo di esempio (dati elementari e indicatori). Idempotente."

    def handle(self, *args, **options):
        try:
            result = load_catalogue()
        except CatalogueError as error:
            raise CommandError(str(error)) from error
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
