"""Reads for the account pages and API."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken


def api_token_list(*, user: AbstractBaseUser) -> QuerySet[AuthToken]:
    """The user's live API tokens, newest first (expired ones are not listed:
    they no longer work)."""
    return (
        AuthToken.objects.filter(user=user)
        .exclude(expiry__lt=timezone.now())
        .order_by("-created")
    )
