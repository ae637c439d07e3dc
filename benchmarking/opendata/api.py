"""Public, read-only open-data API (no login): the published datasets and
their figures, the same reads as the /dati-aperti/ pages.

Mounted at /api/v1/open-data/ by qclub/api_urls.py.
"""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benchmarking.opendata import selectors as opendata


class OpenDatasetOutput(serializers.Serializer):
    area = serializers.CharField()
    area_name = serializers.CharField()
    period = serializers.CharField()
    title = serializers.CharField()
    issued = serializers.DateField()
    license = serializers.URLField()
    url = serializers.URLField()
    csv = serializers.URLField()
    json = serializers.URLField()


class OpenValueOutput(serializers.Serializer):
    istat_code = serializers.CharField()
    comune = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class OpenIndicatorOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    better = serializers.CharField()
    definition = serializers.CharField()
    reported = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    values = OpenValueOutput(many=True)


class OpenLicenseOutput(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class OpenDatasetFiguresOutput(serializers.Serializer):
    title = serializers.CharField()
    period = serializers.CharField()
    publisher = serializers.CharField()
    license = OpenLicenseOutput()
    issued = serializers.DateField(allow_null=True)
    indicators = OpenIndicatorOutput(many=True)


class PublicAPIView(APIView):
    """Anyone may read; no session or token is looked at (no CSRF, no comune)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class DatasetListView(PublicAPIView):
    @extend_schema(responses=OpenDatasetOutput(many=True), summary="Published open-data datasets")
    def get(self, request: Request) -> Response:
        def url(name, campaign):
            return request.build_absolute_uri(reverse(name, args=[campaign.area.code, campaign.period.code]))

        rows = [
            {
                "area": c.area.code, "area_name": c.area.name, "period": c.period.code,
                "title": opendata.dataset_title(c), "issued": c.published_at.date(),
                "license": opendata.LICENSE_URL,
                "url": url("opendata-api-dataset", c), "csv": url("opendata:csv", c), "json": url("opendata:json", c),
            }
            for c in opendata.published_campaigns()
        ]
        return Response(OpenDatasetOutput(rows, many=True).data)


class DatasetDetailView(PublicAPIView):
    @extend_schema(responses=OpenDatasetFiguresOutput, summary="The figures of one published dataset")
    def get(self, request: Request, area_code: str, period_code: str) -> Response:
        campaign = opendata.dataset_get(area_code, period_code)
        document = opendata.dataset_dict(campaign, opendata.dataset_tables(campaign))
        return Response(OpenDatasetFiguresOutput(document).data)


urlpatterns = [
    path("", DatasetListView.as_view(), name="opendata-api-list"),
    path("<slug:area_code>/<str:period_code>/", DatasetDetailView.as_view(), name="opendata-api-dataset"),
]
