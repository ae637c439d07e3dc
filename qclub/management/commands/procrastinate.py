"""procrastinate's command (the job worker, `procrastinate worker`), refusing to
start if the runtime database role could bypass row-level security, like the
web entry points (qclub/wsgi.py, qclub/asgi.py). qclub comes first in
INSTALLED_APPS, so this one replaces procrastinate's."""

from typing import Any

from procrastinate.contrib.django.management.commands.procrastinate import (
    Command as ProcrastinateCommand,
)

from qclub.dbroles import refuse_to_serve_unless_confined


class Command(ProcrastinateCommand):
    def handle(self, *args: Any, **kwargs: Any):
        refuse_to_serve_unless_confined()
        return super().handle(*args, **kwargs)
