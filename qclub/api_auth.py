"""Tenancy for API views: which comune an API request acts for.

`TenancyMiddleware` runs before DRF authenticates, so a request carrying only a
token reaches the middleware as anonymous and acts for no comune. Every API
view that touches tenant data therefore inherits `TenantAPIMixin` (or
`TenantAPIView`): once DRF has authenticated the user, it picks the comune and
runs the rest of the request with PostgreSQL's row-level security set to it.

The comune is the one named in the `X-QClub-Comune: <slug>` header, which must
be one of the user's (403 otherwise); without the header, the comune chosen in
the web switcher (session requests), else the user's first comune.
"""

from contextlib import ExitStack

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.views import APIView

from qclub.models import Membership, Municipality
from qclub.selectors import memberships_of
from qclub.tenancy import acting_for

COMUNE_HEADER = "X-QClub-Comune"

COMUNE_PARAMETER = OpenApiParameter(
    name=COMUNE_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Slug of the comune the request acts for (e.g. `modena`); it must be one of "
        "the user's comuni, otherwise the answer is 403. Without it: the comune chosen "
        "in the web switcher (session), else the user's first comune."
    ),
)


def resolve_municipality(request: Request, memberships: list[Membership]) -> Municipality | None:
    """The comune an authenticated API request acts for (see the module docstring)."""
    comuni = {m.municipality.slug: m.municipality for m in memberships}
    wanted = request.headers.get(COMUNE_HEADER, "").strip()
    if wanted:
        if wanted not in comuni:
            raise exceptions.PermissionDenied(
                _("Non appartieni al comune «%(slug)s» indicato nell'intestazione %(header)s.")
                % {"slug": wanted, "header": COMUNE_HEADER}
            )
        return comuni[wanted]
    # Session requests: the middleware already honoured the web switcher.
    chosen = getattr(request._request, "municipality", None)
    if chosen is not None and chosen.slug in comuni:
        return comuni[chosen.slug]
    return memberships[0].municipality if memberships else None


class TenantAutoSchema(AutoSchema):
    """Documents the comune header on every tenant API operation."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), COMUNE_PARAMETER]


class TenantAPIMixin:
    """Mix into any DRF view (before the DRF base class): after authentication
    and before the permission check, sets `request.municipality` /
    `request.memberships` and runs the rest of the request acting for that
    comune. The tenancy context is left when dispatch ends, whatever happens
    in between."""

    schema = TenantAutoSchema()

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as stack:
            self._tenancy_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def perform_authentication(self, request: Request) -> None:
        # DRF's `initial` authenticates, then checks permissions, then throttles:
        # the comune is resolved right after authentication, so that permission
        # classes (`qclub.permissions.requires_action`) read `request.municipality`.
        super().perform_authentication(request)
        user = request.user
        authenticated = user is not None and user.is_authenticated
        memberships = memberships_of(user) if authenticated else []
        # Anonymous: no comune, and no header check; the permission check answers 401/403.
        municipality = resolve_municipality(request, memberships) if authenticated else None
        for target in (request, request._request):
            target.municipality = municipality
            target.memberships = memberships
        self._tenancy_stack.enter_context(acting_for(municipality, user=user if authenticated else None))


class TenantAPIView(TenantAPIMixin, APIView):
    """Base class of API views that act for the request's comune."""
