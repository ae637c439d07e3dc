import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qclub.settings")
application = get_wsgi_application()

# Refuse to serve if the runtime database role could bypass row-level
# security, in development as in production (runserver loads this module too).
from qclub.dbroles import refuse_to_serve_unless_confined  # noqa: E402

refuse_to_serve_unless_confined()

# What is loaded by now (settings, apps, models) lives as long as the process:
# moved out of the cyclic garbage collector's reach, so that its full passes,
# which a request making thousands of objects (a national ranking) sets off,
# do not walk the whole application each time (~50 ms, measured in
# docs/benchmarks.md). Each process that loads this module does it: runserver,
# every gunicorn worker.
import gc  # noqa: E402

gc.collect()
gc.freeze()
