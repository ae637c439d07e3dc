"""Settings for the test suite: the project's settings with DEBUG's
development defaults (static files without a manifest, a development secret
key), which `make` gives the other commands. Django's test runner still runs
every test with settings.DEBUG False."""

import os

os.environ.setdefault("DEBUG", "true")

from qclub.settings import *  # noqa: E402,F403
