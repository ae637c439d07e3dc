"""API throttles and their refusal in plain Italian.

Rates are in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (settings, from the
environment): `anon` and `user` for every API view, `token` for the token
endpoint alone (strict: it takes passwords). Counts live in the cache
(`CACHE_URL`); clients are told apart by address as the lock-out does
(`TRUSTED_PROXY_COUNT` → `NUM_PROXIES`)."""

import math

from django.utils.translation import gettext, ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def throttled_message(wait: float | None) -> str:
    if wait is None:
        return gettext("Troppe richieste: riprova tra poco.")
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Troppe richieste: riprova tra %(count)d secondo.",
        "Troppe richieste: riprova tra %(count)d secondi.",
        seconds,
    ) % {"count": seconds}


def exception_handler(exc, context):
    """DRF's handler, with the throttle's refusal (429) in our words."""
    if isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        # Without `wait` DRF would append its own English "Expected available in …";
        # set afterwards, it still gives the Retry-After header.
        exc = exceptions.Throttled(detail=throttled_message(wait))
        exc.wait = wait
    return drf_exception_handler(exc, context)
