"""Test set-up shared by every app.

The test database is created and migrated as the schema owner, then the tests
run as the runtime role (not a superuser, no BYPASSRLS, owning nothing), so
row-level security is in force exactly as in production.
"""

import time

import pytest
from django.db import OperationalError, connections
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
            _teardown_when_idle(config)


def _teardown_when_idle(config, attempts: int = 20) -> None:
    """Drop the test database once the live server's last request threads
    (a browser test's final requests) have closed their connections."""
    for attempt in range(attempts):
        connections.close_all()
        try:
            teardown_databases(config, verbosity=0)
            return
        except OperationalError as error:
            if "being accessed by other users" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.25)


@pytest.fixture
def live_url(transactional_db):
    """A live server for one browser test, stopped (its database connections
    closed) when the test ends; pytest-django's session-wide `live_server`
    would outlive the test database and keep it from being dropped."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
