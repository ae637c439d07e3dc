"""Signing in and API tokens: the one place every way in goes through.

* `check_password_login` — the password step shared by the API token endpoint
  (the login form and the admin login reach the same `authenticate` through
  Django's `AuthenticationForm`): the lock-out applies before the password is
  checked and every failure is recorded (qclub/accounts/lockout.py).
* API tokens (django-rest-knox): only a hash is stored, each expires after
  `API_TOKEN_TTL_DAYS`; the owner lists and revokes them (page and API); they
  are revoked by the API logout and whenever the password changes, however it
  changes (`RevokeTokensOnPasswordChange`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox.models import AuthToken

from qclub.accounts.lockout import is_locked_out

# Django's own username column (auth_user.username).
USERNAME_MAX_LENGTH = 150

TOO_LONG_USERNAME = gettext_lazy("Il nome utente può avere al massimo %(limit)d caratteri.")
LOCKED_OUT = gettext_lazy(
    "Troppi tentativi di accesso non riusciti: l'accesso è bloccato per un po'. "
    "Riprova più tardi o reimposta la password."
)
BAD_CREDENTIALS = gettext_lazy("Nome utente o password non corretti.")


class LockedOut(PermissionDenied):
    """Too many failed logins from this client for this username (or address)."""


def validate_username_length(username: str) -> None:
    """An over-long username is refused before it reaches authentication."""
    if len(username) > USERNAME_MAX_LENGTH:
        raise ValidationError(
            TOO_LONG_USERNAME % {"limit": USERNAME_MAX_LENGTH}, code="max_length"
        )


def check_password_login(*, request, username: str, password: str) -> AbstractBaseUser:
    """The user whose username and password these are, or an error.

    Raises `ValidationError` for an over-long username or wrong credentials
    (each failure recorded by the lock-out) and `LockedOut` when the lock-out
    refuses this client, even with the right password."""
    validate_username_length(username)
    user = authenticate(request=request, username=username, password=password)
    if is_locked_out(request):
        raise LockedOut(LOCKED_OUT)
    if user is None or not user.is_active:
        raise ValidationError(BAD_CREDENTIALS, code="invalid_login")
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: AuthToken
    secret: str  # shown once: only its hash is stored


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser) -> IssuedToken:
    """A new API token for the user, valid for `API_TOKEN_TTL_DAYS`; at most
    `API_TOKEN_LIMIT_PER_USER` live tokens at once."""
    live = AuthToken.objects.filter(user=user).exclude(expiry__lt=timezone.now())
    if live.count() >= settings.API_TOKEN_LIMIT_PER_USER:
        raise ValidationError(
            _("Hai già %(count)d chiavi attive: revocane una prima di crearne un'altra.")
            % {"count": settings.API_TOKEN_LIMIT_PER_USER},
            code="too_many_tokens",
        )
    token, secret = AuthToken.objects.create(user=user)
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, user: AbstractBaseUser, token_key: str) -> int:
    """Revoke one of the user's own tokens (by its visible start); another
    user's key revokes nothing."""
    deleted, _detail = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted


def api_tokens_revoke_all(*, user: AbstractBaseUser) -> int:
    deleted, _detail = AuthToken.objects.filter(user=user).delete()
    return deleted


class RevokeTokensOnPasswordChange:
    """Not a rule on the password: Django calls `password_changed` on every
    validator whenever a password is saved (own change, reset by e-mail,
    admin, `changepassword`), which makes it the one hook that sees them all.
    A new password revokes every API token of the user."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return _("Cambiando la password revochi tutte le tue chiavi di accesso all'API.")
