"""Settings for `python -m bench.surveys --load`: the app's settings, served by
gunicorn against the bench database (BENCH_SURVEYS_DATABASE), DEBUG off as in
production (the development key and plain-HTTP cookies kept: loopback only)."""

import os

from qclub.settings import *  # noqa: F403

for _alias in ("default", "durable"):
    DATABASES[_alias]["NAME"] = os.environ["BENCH_SURVEYS_DATABASE"]  # noqa: F405
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
