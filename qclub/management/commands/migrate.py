"""`migrate`, run as the schema owner (DATABASE_OWNER_URL), never as the runtime role."""

from django.core.management.commands.migrate import Command as DjangoMigrate

from qclub.dbroles import owner_connection
from qclub.management.commands.makemigrations import TenancyAutodetector


class Command(DjangoMigrate):
    autodetector = TenancyAutodetector

    def handle(self, *args, **options):
        with owner_connection(options["database"]):
            return super().handle(*args, **options)
