"""Anti-spam for public forms, with no third-party service: one core for every
module (survey answers, complaints).

Three guards, each kept here:

1. **A honeypot** (`sito_web`): a text field people never see nor hear (its
   wrapper is `aria-hidden`, off screen, the input out of the tab order, with
   autocomplete off); a robot that fills every field fills it, and the form is
   refused.
2. **A proof of work** (the ALTCHA protocol, v1: SHA-256): the page carries a
   challenge signed with `ANTISPAM_KEY` (derived from SECRET_KEY when unset);
   `static/js/human-check.js` (Web Crypto, no inline code: our strict CSP)
   finds the number while the person fills in the form and puts the payload in
   the hidden field `altcha`. The server checks it with `altcha-lib-py`: the
   signature, the solution, the expiry (`ANTISPAM_CHALLENGE_SECONDS`), and that
   it was never used before (its signature is kept as an `AntispamMark` until it
   expires, so a solved challenge is accepted once).
   *Without JavaScript* the field stays empty: the form is still accepted, under
   a stricter limit (`ANTISPAM_NO_SCRIPT_PER_HOUR` per address and purpose),
   applied here when the form is given the request (`Form(data, request=request)`).
3. **Rate limits** (`over_rate_limit`): counts per purpose, client address and
   time window. The address (from `qclub.accounts.lockout.client_address`, which
   follows TRUSTED_PROXY_COUNT; an IPv6 address by its /64 network) is never
   stored: the count's key is an HMAC of purpose, address and window, and the row
   expires with the window (deleted by the periodic job `qclub.purge_antispam`).

Usage:

    class ComplaintForm(HumanCheckFormMixin, forms.Form):
        ...

    form = ComplaintForm(request.POST or None, request=request)
    # template, inside <form>:   {% include "includes/antispam_fields.html" %}
    if over_rate_limit(request, f"complaints:{comune.pk}", limit=5, window_seconds=3600): ...
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import hmac
import ipaddress
import json
import time

import altcha
from django import forms
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qclub.accounts.lockout import client_address
from qclub.models import AntispamMark

HONEYPOT_FIELD = "sito_web"
PROOF_FIELD = "altcha"
ALGORITHM = "SHA-256"
NO_SCRIPT_WINDOW_SECONDS = 3600


def antispam_key() -> bytes:
    """The key signing challenges and hashing addresses."""
    configured = getattr(settings, "ANTISPAM_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"qclub.antispam", hashlib.sha256).digest()


# --- Proof of work -----------------------------------------------------------


def new_challenge() -> dict:
    """A fresh signed challenge (the ALTCHA v1 JSON the browser solves)."""
    expires = timezone.now() + datetime.timedelta(seconds=settings.ANTISPAM_CHALLENGE_SECONDS)
    challenge = altcha.create_challenge_v1(
        algorithm=ALGORITHM,
        max_number=settings.ANTISPAM_MAX_NUMBER,
        hmac_key=antispam_key(),
        expires=expires,
    )
    return challenge.to_dict()


class ProofRefused(ValueError):
    """A proof of work that cannot be accepted; the message is for the person."""


def _spend(signature: str, expires_at: datetime.datetime) -> bool:
    """Remember a solved challenge until it expires; False if it already was."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AntispamMark._meta.db_table} (kind, key, count, expires_at) "
            "VALUES (%s, %s, 1, %s) ON CONFLICT (kind, key) DO NOTHING RETURNING id",
            [AntispamMark.Kind.CHALLENGE, signature[:64], expires_at],
        )
        return cursor.fetchone() is not None


def check_proof(payload: str) -> None:
    """Accept a solved challenge once, or raise ProofRefused."""
    if len(payload) > 2000:
        raise ProofRefused(_("La verifica automatica non è riuscita: invia di nuovo il modulo."))
    try:
        data = json.loads(base64.b64decode(payload, validate=True).decode())
        expires = float(altcha.PayloadV1.from_dict(data).parse_salt()[1] or 0)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise ProofRefused(
            _("La verifica automatica non è riuscita: invia di nuovo il modulo.")
        ) from None
    if not isinstance(data, dict) or not expires:
        raise ProofRefused(_("La verifica automatica non è riuscita: invia di nuovo il modulo."))
    if expires < time.time():
        raise ProofRefused(
            _("La verifica automatica è scaduta: invia di nuovo il modulo, ne parte una nuova da sola.")
        )
    try:
        verified, _error = altcha.verify_solution_v1(data, antispam_key(), check_expires=True)
    except (ValueError, TypeError, KeyError):
        verified = False
    if not verified or data.get("algorithm") != ALGORITHM:
        raise ProofRefused(_("La verifica automatica non è riuscita: invia di nuovo il modulo."))
    expires_at = datetime.datetime.fromtimestamp(expires, tz=datetime.UTC)
    if not _spend(str(data["signature"]), expires_at):
        raise ProofRefused(_("Questo modulo è già stato inviato una volta."))


# --- Rate limits -------------------------------------------------------------


def _address(request: HttpRequest) -> str:
    """The client's address as counted: an IPv6 address by its /64 network (one
    household or device usually holds a whole /64)."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def address_key(request: HttpRequest, purpose: str, window: int = 0) -> str:
    """A keyed hash of purpose, address and window: never the address itself."""
    message = f"{purpose}|{_address(request)}|{window}".encode()
    return hmac.new(antispam_key(), message, hashlib.sha256).hexdigest()


def over_rate_limit(request: HttpRequest, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count this request for `key` (a purpose, e.g. "surveys:answer:<survey>")
    from the client's address in the current fixed window of `window_seconds`,
    and say whether it goes over `limit`. Only a keyed hash is stored, until the
    window ends."""
    now = time.time()
    window = int(now // window_seconds)
    expires_at = datetime.datetime.fromtimestamp((window + 1) * window_seconds, tz=datetime.UTC)
    table = AntispamMark._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, key, count, expires_at) VALUES (%s, %s, 1, %s) "
            f"ON CONFLICT (kind, key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [AntispamMark.Kind.RATE, address_key(request, key, window), expires_at],
        )
        (count,) = cursor.fetchone()
    return count > limit


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the marks whose time is over; how many."""
    deleted, _rows = AntispamMark.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- The form side -----------------------------------------------------------


class _ProjectTemplate:
    """Drawn from the project's templates (templates/includes/), whatever the
    form renderer."""

    def _render(self, template_name, context, renderer=None):
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 - escaped template


class HoneypotInput(_ProjectTemplate, forms.TextInput):
    """A field for robots: its wrapper is hidden from sight and from screen
    readers, the input is out of the tab order and never autofilled."""

    template_name = "includes/antispam_honeypot.html"
    is_hidden = True  # rendered with the form's hidden fields, never as a labelled field

    def __init__(self):
        super().__init__(attrs={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"})


class ProofInput(_ProjectTemplate, forms.HiddenInput):
    """The proof-of-work payload, with a fresh challenge each time it is drawn."""

    template_name = "includes/antispam_proof.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, "", attrs)
        context["widget"]["attrs"]["data-altcha-challenge"] = json.dumps(new_challenge())
        return context


class HumanCheckFormMixin:
    """Adds the honeypot and the proof of work to a `forms.Form` and checks
    them in `clean()`. Give the form `request=` so that a submission without
    JavaScript (no proof of work) is held to ANTISPAM_NO_SCRIPT_PER_HOUR.
    After validation `proof_of_work` says whether the browser did the work.
    Render with `{% include "includes/antispam_fields.html" %}` inside the form."""

    antispam_purpose: str = ""

    def __init__(self, *args, request: HttpRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.antispam_request = request
        self.proof_of_work = False
        honeypot = forms.CharField(
            label=gettext_lazy("Sito web (lasciare vuoto)"),
            required=False,
            max_length=200,
            widget=HoneypotInput(),
        )
        proof = forms.CharField(required=False, max_length=2000, widget=ProofInput())
        honeypot.is_antispam = proof.is_antispam = True
        self.fields[HONEYPOT_FIELD] = honeypot
        self.fields[PROOF_FIELD] = proof

    def clean(self):
        cleaned = super().clean()
        if (self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip():
            raise forms.ValidationError(
                _("Il modulo non è stato accettato: riprova senza compilare il campo nascosto."),
                code="honeypot",
            )
        payload = (self.data.get(self.add_prefix(PROOF_FIELD)) or "").strip()
        if payload:
            try:
                check_proof(payload)
            except ProofRefused as refused:
                raise forms.ValidationError(str(refused), code="proof") from None
            self.proof_of_work = True
        elif self.antispam_request is not None:
            purpose = self.antispam_purpose or type(self).__name__
            if over_rate_limit(
                self.antispam_request,
                f"no-script:{purpose}",
                limit=settings.ANTISPAM_NO_SCRIPT_PER_HOUR,
                window_seconds=NO_SCRIPT_WINDOW_SECONDS,
            ):
                raise forms.ValidationError(
                    _(
                        "Senza JavaScript da questa connessione si possono inviare al massimo "
                        "%(count)s moduli all'ora: riprova più tardi, oppure attiva JavaScript."
                    )
                    % {"count": settings.ANTISPAM_NO_SCRIPT_PER_HOUR},
                    code="no_script_limit",
                )
        return cleaned
