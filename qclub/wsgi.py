import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
application = get_wsgi_application()

# Refuse to serve if the runtime database role could bypass row-level
# security, in development as in production (runserver loads this module too).
from qclub.dbroles import refuse_to_serve_unless_confined  # noqa: E402

refuse_to_serve_unless_confined()
