"""Service charters API (mounted at /api/v1/carte-dei-servizi/): the
comune's own charters with every version for its staff, other comuni's
approved and published charters for members (club scope), and published
charters with their standards and published monitoring for anyone (public
scope, no login, throttled as every anonymous call). Thin views over the
selectors the pages use; explicit output serializers; 404 for anything the
reader may not see."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qclub.api_auth import TenantAPIView
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action
from servicecharters import selectors
from servicecharters.charters import selectors as charters
from servicecharters.models import CharterVersion
from servicecharters.serializers import (
    CharterDetailOutput,
    CharterRowOutput,
    CharterVersionOutput,
    OwnCharterOutput,
)

STAFF = [IsAuthenticated, requires_action(Action.DRAFT_CHARTERS)]
MEMBERS = [IsAuthenticated, requires_action(Action.VIEW_MEMBERS_AREA)]
FILTERS = [
    OpenApiParameter("comune", str, description="Slug of one comune."),
    OpenApiParameter("servizio", str, description="Code of one service of the shared taxonomy."),
    OpenApiParameter("limit", int), OpenApiParameter("offset", int),
]


def _current(versions: list[CharterVersion]) -> CharterVersion:
    """The version in force, else the newest the reader may see."""
    return next((v for v in versions if v.status == CharterVersion.Status.PUBLISHED), versions[0])


def _detail(charter, versions) -> dict:
    return CharterDetailOutput({
        "charter": charter, "current": _current(versions), "versions": versions,
        "monitoring": selectors.published_monitoring(charter),
    }).data


def _rows(request: Request, view, versions) -> Response:
    paginator = BoundedLimitOffsetPagination()
    page = paginator.paginate_queryset(versions, request, view=view)
    return paginator.get_paginated_response(CharterRowOutput(page, many=True).data)


# --- The comune's own charters (staff) ------------------------------------------------------


def _with_versions(charters_qs):
    return charters_qs.prefetch_related(Prefetch("versions", CharterVersion.objects.order_by("-number")))


class OwnCharterListView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="The comune's charters, every version (drafts too)",
                   parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=OwnCharterOutput(many=True))
    def get(self, request: Request) -> Response:
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(_with_versions(charters.charter_list()), request, view=self)
        return paginator.get_paginated_response(OwnCharterOutput(page, many=True).data)


class OwnCharterView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="One of the comune's charters, every version", responses=OwnCharterOutput)
    def get(self, request: Request, public_id) -> Response:
        return Response(OwnCharterOutput(charters.charter_get(public_id)).data)


class OwnVersionView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="One version of the comune's charter, with its standards", responses=CharterVersionOutput)
    def get(self, request: Request, public_id, number: int) -> Response:
        version = charters.version_get(charters.charter_get(public_id), number)
        return Response(CharterVersionOutput(version).data)


# --- Other comuni's charters (members, club scope) ----------------------------------------


class ClubListView(TenantAPIView):
    permission_classes = MEMBERS

    @extend_schema(summary="Member comuni's approved and published charters", parameters=FILTERS,
                   responses=CharterRowOutput(many=True))
    def get(self, request: Request) -> Response:
        params = request.query_params
        with selectors.club_read("API: carte dei servizi del club", request.user):
            return _rows(request, self, selectors.club_list(comune=params.get("comune", ""),
                                                            service=params.get("servizio", "")))


class ClubCharterView(TenantAPIView):
    permission_classes = MEMBERS

    @extend_schema(summary="A member comune's charter: approved, published and superseded versions, published monitoring",
                   responses=CharterDetailOutput)
    def get(self, request: Request, slug: str, service: str) -> Response:
        with selectors.club_read(f"API: carta dei servizi {slug}/{service}", request.user):
            charter, versions = selectors.charter_of(slug, service, selectors.CLUB)
            return Response(_detail(charter, versions))


# --- Published charters (anyone) --------------------------------------------------------


class PublicAPIView(APIView):
    """Anyone may read; no session or token is looked at (no CSRF, no comune)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class PublishedListView(PublicAPIView):
    @extend_schema(summary="Charters in force (published)", parameters=FILTERS,
                   responses=CharterRowOutput(many=True))
    def get(self, request: Request) -> Response:
        params = request.query_params
        with selectors.public_read("API: carte dei servizi pubblicate"):
            return _rows(request, self, selectors.published_list(comune=params.get("comune", ""),
                                                                 service=params.get("servizio", "")))


class PublishedCharterView(PublicAPIView):
    @extend_schema(summary="A published charter: the version in force with its standards, earlier versions, "
                           "published monitoring", responses=CharterDetailOutput)
    def get(self, request: Request, slug: str, service: str) -> Response:
        with selectors.public_read(f"API: carta dei servizi pubblicata {slug}/{service}"):
            charter, versions = selectors.charter_of(slug, service, selectors.PUBLIC)
            return Response(_detail(charter, versions))
