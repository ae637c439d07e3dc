import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
application = get_wsgi_application()

if not settings.DEBUG:
    # Refuse to serve if the runtime database role could bypass row-level security.
    from django.db import connection

    from qclub.dbroles import assert_runtime_role_confined

    assert_runtime_role_confined()
    connection.close()
