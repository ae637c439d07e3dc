"""API (members): complaint handling compared across comuni — counts and rates only."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from complaints.comparisons import selectors
from complaints.kpis.serializers import ComplaintComparisonOutput
from complaints.models import Category
from qclub.api_auth import TenantAPIView
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action


class ComparisonView(TenantAPIView):
    permission_classes = [IsAuthenticated, requires_action(Action.VIEW_MEMBERS_AREA)]

    @extend_schema(
        summary="Member comuni side by side for one year, in total or for one category",
        parameters=[OpenApiParameter("year", int, required=True), OpenApiParameter("category", str),
                    OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=ComplaintComparisonOutput,
    )
    def get(self, request: Request) -> Response:
        years = selectors.years_available(user=request.user)
        year = request.query_params.get("year", "")
        if not year.isdigit() or int(year) not in years:
            raise exceptions.ValidationError({"year": [_("Anno non valido.")]})
        code = request.query_params.get("category", "")
        category = Category.objects.filter(code=code).first() if code else None
        if code and category is None:
            raise exceptions.ValidationError({"category": [_("Categoria non trovata.")]})
        paginator = BoundedLimitOffsetPagination()
        limit, offset = paginator.get_limit(request), paginator.get_offset(request)
        comparison = selectors.compare(year=int(year), category=category, user=request.user,
                                       municipality=request.municipality, offset=offset, limit=limit)
        return Response(ComplaintComparisonOutput({
            "year": comparison.year, "category": comparison.category, "min_for_rank": comparison.min_for_rank,
            "count": comparison.total, "ranked": comparison.ranked, "results": comparison.rows,
            "own": comparison.own,
        }).data)
