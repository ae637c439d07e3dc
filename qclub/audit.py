"""The access audit: one row each time code reads across comuni
(`qclub.tenancy.cross_tenant`), that nothing after it can take back.

* Written at once on a connection of its own, in autocommit, as the runtime
  role: a request that then fails, ends in 404 or is rolled back (the request
  transaction of `ATOMIC_REQUESTS`, a job's transaction) keeps its audit row.
* Always with the acting user: the one the caller names, else the user the
  request or API call is authenticated as (`acting_for(..., user=)`, set by
  `TenancyMiddleware` and the API's authentication); only anonymous public
  reads and maintenance commands have none. The username is copied, so the row
  still says who after the account is gone.
* Append-only for the runtime role: it may INSERT and SELECT, never UPDATE,
  DELETE or TRUNCATE (`qclub.dbroles.grant_runtime_privileges`). The table has
  no foreign-key constraints, so writing it never waits on, nor fails for, rows
  the request's own open transaction holds or has just created.

The test suite's transaction-wrapped tests write it on the test's connection
(root `conftest.py`, fixture `audit_in_test_transaction`): a row committed on
another connection would outlive the test. Transactional tests use the real,
separate connection.
"""

from __future__ import annotations

import threading

import psycopg
from django.db import connections
from django.utils import timezone

# False only inside a transaction-wrapped test (see the module docstring).
SEPARATE_CONNECTION = True

_local = threading.local()
# Every thread's audit connection, so that a test can close them all (the live
# server's and the worker's threads keep theirs).
_open: set[psycopg.Connection] = set()
_open_lock = threading.Lock()

_INSERT = (
    "INSERT INTO qclub_accessaudit (at, user_id, username, municipality_id, scope, reason) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def _connection() -> psycopg.Connection:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        from procrastinate.contrib.django import connector_params

        connection = psycopg.connect(**connector_params("default"), autocommit=True)
        _local.connection = connection
        with _open_lock:
            _open.add(connection)
    return connection


def close() -> None:
    """Close this thread's audit connection (at the end of a request)."""
    connection = getattr(_local, "connection", None)
    if connection is not None:
        _local.connection = None
        with _open_lock:
            _open.discard(connection)
        connection.close()


def close_all() -> None:
    """Close every thread's audit connection (tests, before dropping the database)."""
    with _open_lock:
        every = list(_open)
        _open.clear()
    for connection in every:
        connection.close()


def record_access(*, scope: str, reason: str, user, municipality_id: int | None) -> None:
    """Write one audit row now, whatever later happens to the caller's transaction.

    Raises if it cannot be written: a read across comuni that cannot be audited
    does not happen."""
    authenticated = getattr(user, "is_authenticated", False)
    params = [
        timezone.now(),
        user.pk if authenticated else None,
        user.get_username()[:150] if authenticated else "",
        municipality_id,
        scope,
        reason[:200],
    ]
    if not SEPARATE_CONNECTION:
        with connections["default"].cursor() as cursor:
            cursor.execute(_INSERT, params)
        return
    try:
        _connection().execute(_INSERT, params)
    except (psycopg.OperationalError, psycopg.InterfaceError):
        # A connection kept from an earlier request may have been dropped
        # (database restart): one new attempt, then the error stands.
        close()
        _connection().execute(_INSERT, params)
