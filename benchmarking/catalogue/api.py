"""Catalogue API: data elements, indicators and campaigns (club-wide, read-only)."""

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import generics, serializers

from benchmarking.catalogue import selectors as services
from benchmarking.models import (
    Campaign,
    DataElement,
    Indicator,
    IndicatorVersion,
)


class DataElementOutput(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    part_of = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DataElement
        fields = [
            "code", "name", "unit", "kind", "group", "area", "part_of", "measurement",
            "plausible_min", "plausible_max", "change_threshold_pct",
        ]


class IndicatorVersionOutput(serializers.ModelSerializer):
    class Meta:
        model = IndicatorVersion
        fields = ["number", "formula", "unit", "decimals", "better", "band_low", "band_high", "definition"]


class IndicatorOutput(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["code", "name", "area", "dimension", "quality_dimension", "is_active", "current_version"]

    @extend_schema_field(IndicatorVersionOutput(allow_null=True))
    def get_current_version(self, indicator: Indicator) -> dict | None:
        versions = list(indicator.versions.all())  # prefetched
        if not versions:
            return None
        return IndicatorVersionOutput(max(versions, key=lambda v: v.number)).data


class DataElementListView(generics.ListAPIView):
    """The data elements of the shared catalogue; `?area=<code>` filters."""

    serializer_class = DataElementOutput

    def get_queryset(self):
        queryset = DataElement.objects.select_related("area", "part_of")
        if area := self.request.query_params.get("area"):
            queryset = queryset.filter(area__code=area)
        return queryset


class IndicatorListView(generics.ListAPIView):
    """The shared indicators with their current version; `?area=<code>` filters."""

    serializer_class = IndicatorOutput

    def get_queryset(self):
        queryset = Indicator.objects.select_related("area").prefetch_related("versions")
        if area := self.request.query_params.get("area"):
            queryset = queryset.filter(area__code=area)
        return queryset


class CampaignOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "area", "period", "period_label", "opens_on", "due_on", "status", "indicators"]


class CampaignDetailOutput(CampaignOutput):
    elements = serializers.SerializerMethodField()

    class Meta(CampaignOutput.Meta):
        fields = [*CampaignOutput.Meta.fields, "elements"]

    def get_elements(self, campaign: Campaign) -> list[str]:
        return [element.code for element in services.campaign_elements(campaign)]


def _campaigns():
    return Campaign.objects.select_related("area").prefetch_related("indicators")


class CampaignListView(generics.ListAPIView):
    """Collection campaigns; `?status=open` and `?area=<code>` filter."""

    serializer_class = CampaignOutput

    def get_queryset(self):
        queryset = _campaigns()
        if value := self.request.query_params.get("status"):
            queryset = queryset.filter(status=value)
        if area := self.request.query_params.get("area"):
            queryset = queryset.filter(area__code=area)
        return queryset


class CampaignDetailView(generics.RetrieveAPIView):
    serializer_class = CampaignDetailOutput
    lookup_field = "public_id"
    lookup_url_kwarg = "public_id"

    def get_queryset(self):
        return _campaigns()
