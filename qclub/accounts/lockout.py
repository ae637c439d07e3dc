"""The one lock-out for every way to authenticate.

Every path that checks a password (the login form, the admin login, the API
token endpoint, any future one) calls `django.contrib.auth.authenticate` with
the request: django-axes' backend refuses a locked-out client before the
password is checked, and its `user_login_failed` handler — `LockoutHandler`
below — records the failure. Nothing else counts failures.

Three rules live here:

* **The record survives the request.** Requests run in one transaction
  (`ATOMIC_REQUESTS` and the tenancy middleware) and an API error rolls it
  back; a failure written there would vanish with it (the token endpoint
  once allowed unlimited guesses that way). `DurableWritesRouter` sends
  django-axes' tables to the `durable` database alias: the same database
  through a second connection in autocommit, outside the request's
  transaction.
* **Keyed so nobody can lock out someone else at will.** A failure counts
  against the pair (username, client address): an attacker elsewhere who
  types a clerk's username locks out only themselves, never the clerk at the
  office. One address is also stopped after `LOCKOUT_ADDRESS_FAILURE_LIMIT`
  failures across all usernames (password spraying), a limit high enough for
  a comune's offices behind one address.
* **The client address** is `REMOTE_ADDR`, or — only when the operator says
  how many reverse proxies are in front (`TRUSTED_PROXY_COUNT`) — the address
  those proxies recorded in `X-Forwarded-For`, counted from the right as
  Django REST framework's throttles do (`NUM_PROXIES`). A client-sent header
  is never trusted otherwise: it would let an attacker pick a fresh address
  for every guess.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

DURABLE = "durable"

# django-axes' username and address columns.
USERNAME_COLUMN_LENGTH = 255


class DurableWritesRouter:
    """django-axes' tables on the `durable` alias; everything else on the default.

    The alias never migrates: it is the same database, migrated through
    `default` by the schema owner."""

    route_app_labels = {"axes"}

    def db_for_read(self, model, **hints):
        return DURABLE if model._meta.app_label in self.route_app_labels else None

    def db_for_write(self, model, **hints):
        return DURABLE if model._meta.app_label in self.route_app_labels else None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == DURABLE else None


def client_address(request: HttpRequest) -> str:
    """The address a request comes from (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        hop = hops[-min(proxies, len(hops))]
        # The column is an address type: garbage would be a database error.
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return remote
    return remote


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username a failure is recorded under: as typed, cut to the column.

    Forms and the API refuse an over-long username before authenticating;
    this keeps any other caller from turning one into a database error."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "data", request.POST).get("username")
    return None if username is None else str(username)[:USERNAME_COLUMN_LENGTH]


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler plus the per-address limit."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        from_address = (
            AccessAttempt.objects.filter(ip_address=request.axes_ip_address).aggregate(
                total=Sum("failures_since_start")
            )["total"]
            or 0
        )
        if from_address >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def is_locked_out(request) -> bool:
    """Whether the last `authenticate(request=request, ...)` was refused (or
    caused) a lock-out: django-axes flags the request it was given."""
    return bool(getattr(request, "axes_locked_out", False))
