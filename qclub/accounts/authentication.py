"""How API requests authenticate: a django-rest-knox token (hashed, expiring)."""

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check; a token that is not even text is refused like a
    wrong one (knox would fail decoding it: a server error)."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Chiave di accesso non valida.")) from None
        return super().authenticate_credentials(token)
