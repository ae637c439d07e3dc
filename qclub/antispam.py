"""Spam protection for public forms, with no third-party service.

STAND-IN (branch `cp`): the minimal version of the API the full module offers
(self-hosted proof-of-work + honeypot + hashed short-lived rate limit); the
lead replaces this file with the full one at merge. Only this API is used:

    class MyForm(HumanCheckFormMixin, forms.Form): ...
    {% include "includes/antispam_fields.html" %}      # inside the <form>
    if over_rate_limit(request, "complaints.intake", limit=5, window_seconds=3600): ...

* `HumanCheckFormMixin` adds a honeypot field, `sito_web`, hidden from people
  and from screen readers (the include puts it in a `hidden` block, out of the
  tab order); a form that fills it in is refused in `clean()`.
* `over_rate_limit` counts the requests of one client address for `key` in
  the cache, under a salted hash of the address (never the address itself),
  for `window_seconds`; True once `limit` is passed.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from qclub.accounts.lockout import client_address

HONEYPOT_FIELD = "sito_web"


class HumanCheckFormMixin(forms.Form):
    """Mix into a public form: its human checks, verified in `clean()`."""

    sito_web = forms.CharField(
        required=False, label=_("Lascia vuoto questo campo"), max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (self.data.get(HONEYPOT_FIELD) or "").strip():
            raise forms.ValidationError(
                _("Non è stato possibile inviare il modulo. Riprova più tardi."), code="spam"
            )
        return cleaned

    def visible_fields(self):
        # The honeypot is rendered by includes/antispam_fields.html, not with the form's fields.
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]


def _client_key(request: HttpRequest, key: str) -> str:
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}|antispam|{key}|{client_address(request)}".encode()
    ).hexdigest()
    return f"antispam:{digest}"


def over_rate_limit(request: HttpRequest, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count this request; True when this client has made more than `limit`
    requests for `key` in the window (the window starts at its first)."""
    cache_key = _client_key(request, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired in between
            cache.set(cache_key, 1, timeout=window_seconds)
            count = 1
    return count > limit
