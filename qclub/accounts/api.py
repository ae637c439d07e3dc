"""API sign-in: exchange a password for a token, list and revoke one's tokens.

Tokens are django-rest-knox's: only a hash is stored, each expires. Send one as
`Authorization: Token <token>`."""

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from qclub.accounts import second_factor, selectors, services
from qclub.accounts.authentication import TokenAuthentication
from qclub.accounts.lockout import is_locked_out


class TokenInput(serializers.Serializer):
    # Not trimmed: a password may begin or end with a space. The length rule
    # lives in the service (the same for the form and the admin).
    username = serializers.CharField(trim_whitespace=False)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=16,
        help_text=(
            "Administrators and coordinators (when the second factor is required): the code "
            "their authenticator app shows now, or one of their recovery codes."
        ),
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its hash is stored.")
    expiry = serializers.DateTimeField()


class TokenItem(serializers.Serializer):
    key = serializers.CharField(source="token_key", help_text="The token's first characters.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()


ERROR = inline_serializer("AuthError", {"detail": serializers.CharField()})


class TokenView(APIView):
    """Exchange a username and password for a new API token (valid for
    `API_TOKEN_TTL_DAYS`); send it as `Authorization: Token <token>`, with
    `X-QClub-Comune: <slug>` to choose the comune. Failed attempts count
    towards the same lock-out as the login page (429 when locked)."""

    # Credentials are in the body: no session, so no CSRF check on a browser
    # that happens to be logged in.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (AnonRateThrottle, ScopedRateThrottle)
    throttle_scope = "token"

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput, 400: ERROR, 429: ERROR},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Refusals are returned, not raised: a raised API error rolls the
        # request back (the failure itself is recorded on its own connection).
        try:
            user = services.check_password_login(
                request=request,
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
            second_factor.check_code_for_token(
                request=request, user=user, code=data.validated_data.get("otp")
            )
            issued = services.api_token_create(user=user)
        except services.LockedOut as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        except DjangoValidationError as refusal:
            # A wrong code may be the one that locks the client out.
            if is_locked_out(request):
                return Response(
                    {"detail": str(services.LOCKED_OUT)}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
            return Response({"detail": refusal.messages[0]}, status=status.HTTP_400_BAD_REQUEST)
        # As a login: the lock-out forgets this client's failures, last_login moves.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenOutput({"token": issued.secret, "expiry": issued.token.expiry}).data)


class TokenLogoutView(APIView):
    """Revoke the token this request is authenticated with."""

    authentication_classes = (TokenAuthentication,)
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        services.api_token_revoke(user=request.user, token_key=request.auth.token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The caller's live API tokens (their first characters, created, expiry)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=TokenItem(many=True))
    def get(self, request: Request) -> Response:
        return Response(TokenItem(selectors.api_token_list(user=request.user), many=True).data)


class TokenRevokeView(APIView):
    """Revoke one of the caller's own tokens by its first characters (404 for
    anyone else's)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="Not one of yours")})
    def delete(self, request: Request, key: str) -> Response:
        if not services.api_token_revoke(user=request.user, token_key=key):
            raise exceptions.NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)

