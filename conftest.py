"""Test set-up shared by every app.

The test database is created and migrated as the schema owner, then the tests
run as the runtime role (not a superuser, no BYPASSRLS, owning nothing), so
row-level security is in force exactly as in production.
"""

import pytest
from django.test.utils import setup_databases, teardown_databases

from qclub.dbroles import owner_connection


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    reuse = request.config.getvalue("reuse_db")
    with django_db_blocker.unblock(), owner_connection("default"):
        config = setup_databases(verbosity=0, interactive=False, keepdb=reuse)
    yield
    if not reuse:
        with django_db_blocker.unblock(), owner_connection("default"):
            teardown_databases(config, verbosity=0)
