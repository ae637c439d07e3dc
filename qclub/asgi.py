import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
application = get_asgi_application()

# Refuse to serve if the runtime database role could bypass row-level security.
from qclub.dbroles import refuse_to_serve_unless_confined  # noqa: E402

refuse_to_serve_unless_confined()
