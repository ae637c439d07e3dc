"""The second factor (django-otp: an authenticator app's TOTP codes, and
single-use recovery codes) for administrators and coordinators.

The rule: with `REQUIRE_2FA` on, a person who can use the admin (staff,
administrators) or coordinates an area is not signed in until a code is
checked. Every way in follows it:

* the login page and the admin login check the password, then
  `SecondFactorMiddleware` lets the person reach nothing but the code page
  (`/accounts/verifica/`) — or the enrolment page (`/accounts/2fa/`) if they
  have no authenticator yet — until the session is verified;
* the API token endpoint asks for the code in the same request (`otp`);
* a wrong code counts towards the same lock-out as a wrong password.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qclub.permissions import ADMINISTRATOR, COORDINATOR, roles_for

RECOVERY_CODE_COUNT = 10

WRONG_CODE = gettext_lazy("Codice non valido o scaduto: riprova con quello mostrato ora dall'app.")
CODE_NEEDED = gettext_lazy(
    "Il tuo account richiede anche il codice dell'app di autenticazione (campo «otp»)."
)
NOT_ENROLLED = gettext_lazy(
    "Il tuo account richiede la verifica in due passaggi: attivala prima dalla pagina "
    "«Il tuo account» del sito."
)


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether this person must give a code after the password."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(roles_for(user) & {ADMINISTRATOR, COORDINATOR})


def has_authenticator(user: AbstractBaseUser) -> bool:
    return user_has_device(user, confirmed=True)


def record_failed_code(*, request, user: AbstractBaseUser) -> None:
    """A wrong code is a failed login: the same lock-out counts it."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def check_code(*, request, user: AbstractBaseUser, code: str):
    """The device the code belongs to (TOTP, or a recovery code, used up), or
    `ValidationError` after recording the failure."""
    device = match_token(user, code.strip().replace(" ", "")) if code else None
    if device is None:
        record_failed_code(request=request, user=user)
        raise ValidationError(WRONG_CODE, code="invalid_code")
    return device


def check_code_for_token(*, request, user: AbstractBaseUser, code: str | None) -> None:
    """The API token endpoint's second step, for those who need one."""
    if not second_factor_required(user):
        return
    if not has_authenticator(user):
        raise ValidationError(NOT_ENROLLED, code="no_authenticator")
    if not code:
        raise ValidationError(CODE_NEEDED, code="code_needed")
    check_code(request=request, user=user, code=code)


def pending_authenticator(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed), made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("App di autenticazione"), confirmed=False
    )


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, made here:
    no image is fetched from anywhere."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, light="#fff", title=_("Codice QR da inquadrare con l'app di autenticazione"),
        svgclass="qc-qr",
    )


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]  # shown once


@transaction.atomic
def confirm_authenticator(*, request, user: AbstractBaseUser, code: str) -> Enrolment:
    """Confirm the pending authenticator with its first code; make a fresh set
    of single-use recovery codes (any older set stops working)."""
    device = pending_authenticator(user)
    if not code or not device.verify_token(code.strip().replace(" ", "")):
        record_failed_code(request=request, user=user)
        raise ValidationError(WRONG_CODE, code="invalid_code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Any other authenticator still being set up is dropped.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=_("Codici di recupero"))
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    return Enrolment(device=device, recovery_codes=codes)


class SecondFactorMiddleware:
    """Until a person who needs the second factor has given a code, the
    session reaches only the code and enrolment pages (and logout, static
    files, the language switch); the API answers 403."""

    OPEN_PATHS = ("/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PATHS)
            and request.path not in self._open_views()
            and second_factor_required(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(CODE_NEEDED)}, status=403)
            target = "accounts:verify" if has_authenticator(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open_views() -> set[str]:
        return {reverse("accounts:verify"), reverse("accounts:enrol"), reverse("logout")}
