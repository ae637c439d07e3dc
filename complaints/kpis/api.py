"""API: the comune's own complaint KPIs (staff who handle complaints), and
recomputing them now."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from complaints.kpis import selectors, services
from complaints.kpis.serializers import ComuneKpisOutput, RefreshInput
from qclub.api_auth import TenantAPIView
from qclub.permissions import Action, requires_action


class ComuneKpisView(TenantAPIView):
    permission_classes = [IsAuthenticated, requires_action(Action.HANDLE_COMPLAINTS)]

    @extend_schema(summary="The comune's complaint KPIs: yearly trend and one year broken down",
                   parameters=[OpenApiParameter("year", int)], responses=ComuneKpisOutput)
    def get(self, request: Request) -> Response:
        year = request.query_params.get("year")
        if year is not None and not year.isdigit():
            raise exceptions.ValidationError({"year": ["Anno non valido."]})
        data = selectors.comune_kpis(request.municipality, year=int(year) if year else None)
        return Response(ComuneKpisOutput({
            "years": data.years, "year": data.year, "by_category": data.breakdown["category"],
            "by_service": data.breakdown["service"], "by_channel": data.breakdown["channel"],
            "computed_at": data.computed_at, "published_years": sorted(data.published_years),
        }).data)

    @extend_schema(summary="Recompute the comune's KPI figures now (default: this year)",
                   request=RefreshInput, responses=ComuneKpisOutput)
    def post(self, request: Request) -> Response:
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.refresh_figures(municipality=request.municipality, user=request.user,
                                     years=data.validated_data.get("years"))
        except ValidationError as error:
            raise exceptions.ValidationError({"years": error.messages}) from None
        return self.get(request)
