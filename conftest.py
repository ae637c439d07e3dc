"""Test set-up and the fixtures shared by every app.

The test database is created and migrated as the schema owner, then the tests
run as the runtime role (not a superuser, no BYPASSRLS, owning nothing), so
row-level security is in force exactly as in production.

Fixtures used by more than one test module live here or in an app's
`tests/conftest.py`, never in a test module.
"""

import os
import shutil
import time
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test.utils import override_settings, setup_databases, teardown_databases

from qclub.dbroles import owner_connection
from tests.factories import MunicipalityFactory, ServiceFactory, officer_of

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    """Every database test may use every alias: failed logins are written on
    the `durable` one (qclub/accounts/lockout.py), the same test database
    through a second connection. In a test it runs in a transaction of its
    own, rolled back at the end like the default one's, so it is still apart
    from the request's transaction, which is the point."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if "databases" in (marker.kwargs if marker else {}):
            continue
        if marker is None and "_django_db_helper" not in item.fixturenames:
            continue
        args, kwargs = (marker.args, marker.kwargs) if marker else ((), {})
        # First, so that it is the closest marker (the one pytest-django reads).
        item.add_marker(pytest.mark.django_db(*args, **kwargs, databases="__all__"), append=False)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """API throttles count in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def second_factor_off():
    """Tests sign people in with `force_login` or the password alone, whatever
    DEBUG says; the tests of the second factor turn it on
    (`tests/test_second_factor.py`)."""
    with override_settings(REQUIRE_2FA=False):
        yield


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """MD5 instead of PBKDF2 for every user the tests create: a real hash costs
    a noticeable fraction of a second, and the suite makes hundreds of users.
    Tests only; production keeps Django's default hashers (qclub/settings.py)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def audit_in_test_transaction():
    """The access audit is written on the test's own connection and rolled back
    with it (the shared worlds of benchmarking/tests/conftest.py too): a row
    committed on the audit's separate connection (qclub/audit.py) would outlive
    the test, and the runtime role cannot delete audit rows. Transactional
    tests use the separate connection, as production does
    (`audit_on_its_own_connection`)."""
    from qclub import audit

    audit.SEPARATE_CONNECTION = False
    yield
    audit.SEPARATE_CONNECTION = True


@pytest.fixture(autouse=True)
def audit_on_its_own_connection(request):
    """Transactional tests (live server, worker, `transactional_db`): the audit
    on its own autocommit connection, as in production; their flush, run as
    the owner, empties the table."""
    from qclub import audit

    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        yield
        return
    audit.SEPARATE_CONNECTION = True
    try:
        yield
    finally:
        audit.SEPARATE_CONNECTION = False
        audit.close_all()


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


@pytest.fixture
def browser_page(monkeypatch):
    """A chromium page (Debian's browser, driven by Playwright), Italian as most
    of our users' browsers: LocaleMiddleware follows Accept-Language."""
    if not shutil.which(CHROMIUM) and os.environ.get("CI") != "true":
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made
    # by the fixtures from the same thread are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(locale="it-IT")
        finally:
            browser.close()


@pytest.fixture
def comune_a(db):
    return MunicipalityFactory(name="Trento", slug="trento", istat_code="022205")


@pytest.fixture
def comune_b(db):
    return MunicipalityFactory(name="Bergamo", slug="bergamo", istat_code="016024")


@pytest.fixture
def officer_a(comune_a):
    return officer_of(comune_a)


@pytest.fixture
def officer_b(comune_b):
    return officer_of(comune_b)


@pytest.fixture
def service(db):
    return ServiceFactory()


@pytest.fixture
def run_jobs(transactional_db):
    """`run_jobs()` runs every queued job as the worker does (procrastinate's own
    connections, as the runtime role) and returns when the queue is empty; jobs
    waiting for a later retry stay queued. The worker's scheduler is off (a run
    at 08:01 would otherwise queue the real daily jobs into the test): a test
    defers a periodic job itself, `job.defer(timestamp=...)`.

    The queue's tables are emptied before and after the test: Django's flush
    does not touch them (they are not Django's), and a job left behind would
    run in the next test that runs the worker. The jobs must be committed to
    be seen, hence a transactional test.
    """
    from django.db import connection
    from procrastinate.contrib.django import app

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_periodic_defers")
            cursor.execute("DELETE FROM procrastinate_jobs")

    def run() -> None:
        with (
            mock.patch.dict(app.periodic_registry.periodic_tasks, clear=True),
            app.replace_connector(app.connector.get_worker_connector()),
        ):
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    empty()
    yield run
    empty()
