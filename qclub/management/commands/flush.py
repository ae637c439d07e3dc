"""`flush`, run as the schema owner: TRUNCATE skips row-level security, so the
runtime role is never granted it. Tests that commit (browser tests) use it."""

from django.core.management.commands.flush import Command as DjangoFlush

from qclub.dbroles import owner_connection


class Command(DjangoFlush):
    def handle(self, **options):
        with owner_connection(options["database"]):
            return super().handle(**options)
