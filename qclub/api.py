"""Core API: the comuni (club-wide, public facts only), who I am (tokens: qclub/accounts/api.py).

Every view inherits `TenantAPIMixin` (qclub/api_auth.py), so token-authenticated
requests act for a comune exactly like browser sessions do.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from qclub import selectors
from qclub.api_auth import TenantAPIMixin, TenantAPIView
from qclub.models import Municipality
from qclub.permissions import ADMINISTRATOR, roles_for


class MunicipalityOutput(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = [
            "istat_code", "slug", "name", "province", "province_code", "region",
            "population", "status", "member_since",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter(
            "status", str, enum=Municipality.Status.values,
            description="Stato di adesione, e.g. `member`.",
        ),
        OpenApiParameter("search", str, description="Part of the name, or the ISTAT code."),
    ]
)
class MunicipalityListView(TenantAPIMixin, generics.ListAPIView):
    """Comuni, filterable by `status` (e.g. `member`) and `search` (name or ISTAT code)."""

    serializer_class = MunicipalityOutput

    def get_queryset(self):
        return selectors.municipality_list(
            status=self.request.query_params.get("status") or None,
            search=self.request.query_params.get("search", "").strip(),
        )


class MunicipalityDetailView(TenantAPIMixin, generics.RetrieveAPIView):
    serializer_class = MunicipalityOutput
    lookup_field = "slug"
    queryset = Municipality.objects.all()


class MembershipOutput(serializers.Serializer):
    comune = serializers.SlugField(help_text=_("slug del comune"))
    name = serializers.CharField()
    role = serializers.CharField()


class AreaOutput(serializers.Serializer):
    code = serializers.SlugField()
    name = serializers.CharField()


class ComuneOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    is_administrator = serializers.BooleanField()
    memberships = MembershipOutput(many=True)
    coordinated_areas = AreaOutput(many=True)
    active_comune = ComuneOutput(allow_null=True)


class MeView(TenantAPIView):
    """The authenticated user: roles per comune, coordinated areas and the comune
    this request acts for (see the `X-QClub-Comune` header)."""

    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        user = request.user
        active = request.municipality
        data = {
            "username": user.get_username(),
            "is_administrator": ADMINISTRATOR in roles_for(user),
            "memberships": [
                {"comune": m.municipality.slug, "name": m.municipality.name, "role": m.role}
                for m in request.memberships
            ],
            "coordinated_areas": [
                {"code": area.code, "name": area.name}
                for area in selectors.coordinated_areas_of(user).order_by("position", "name")
            ],
            "active_comune": {"slug": active.slug, "name": active.name} if active else None,
        }
        return Response(MeOutput(data).data)
