"""Public, read-only API of published survey results (no login), the same
reads as the citizens' pages: /api/v1/indagini/risultati/ (mounted by
surveys/api_urls.py). Everything in the public scope with no comune active."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qclub.pagination import BoundedLimitOffsetPagination
from surveys.models import Survey
from surveys.public import selectors
from surveys.public.serializers import SurveyResultsOutput, results_payload


class PublicAPIView(APIView):
    """Anyone may read; no session or token is looked at (no CSRF, no comune)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class PublishedSurveyOutput(serializers.Serializer):
    comune = serializers.SlugField()
    comune_name = serializers.CharField()
    id = serializers.UUIDField()
    title = serializers.CharField()
    year = serializers.IntegerField()
    url = serializers.URLField()
    results = serializers.URLField()


class PublishedListView(PublicAPIView):
    @extend_schema(
        responses=PublishedSurveyOutput(many=True), summary="Published survey results (list)",
        parameters=[OpenApiParameter("comune", str, description="Slug of one comune.")],
    )
    def get(self, request: Request) -> Response:
        paginator = BoundedLimitOffsetPagination()
        with selectors.public_read("API: indagini pubblicate"):
            surveys = Survey.objects.filter(status=Survey.Status.PUBLISHED).select_related("municipality")
            if request.query_params.get("comune"):
                surveys = surveys.filter(municipality__slug=request.query_params["comune"][:100])
            page = paginator.paginate_queryset(
                surveys.order_by("municipality__name", "-year", "title"), request, view=self
            )
            rows = [
                {
                    "comune": s.municipality.slug, "comune_name": s.municipality.name, "id": s.public_id,
                    "title": s.title, "year": s.year,
                    "url": request.build_absolute_uri(
                        reverse("surveys:public_results", args=[s.municipality.slug, s.public_id])),
                    "results": request.build_absolute_uri(
                        reverse("api-surveys-public-results", args=[s.municipality.slug, s.public_id])),
                }
                for s in page
            ]
        return paginator.get_paginated_response(PublishedSurveyOutput(rows, many=True).data)


class PublishedResultsView(PublicAPIView):
    @extend_schema(responses=SurveyResultsOutput, summary="A published survey's results")
    def get(self, request: Request, slug: str, public_id: str) -> Response:
        with selectors.public_read(f"API: indagine pubblicata {slug}/{public_id}"[:200]):
            survey = selectors.published_get(slug, public_id)
            data = selectors.results_of(survey)
            return Response(SurveyResultsOutput(results_payload(data)).data)
