"""Core API: the comuni (club-wide, public facts only)."""

from rest_framework import generics, serializers

from qclub import selectors
from qclub.models import Municipality


class MunicipalityOutput(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = [
            "istat_code", "slug", "name", "province", "province_code", "region",
            "population", "status", "member_since",
        ]


class MunicipalityListView(generics.ListAPIView):
    """Comuni, filterable by `status` (e.g. `member`) and `search` (name or ISTAT code)."""

    serializer_class = MunicipalityOutput

    def get_queryset(self):
        return selectors.municipality_list(
            status=self.request.query_params.get("status") or None,
            search=self.request.query_params.get("search", "").strip(),
        )


class MunicipalityDetailView(generics.RetrieveAPIView):
    serializer_class = MunicipalityOutput
    lookup_field = "slug"
    queryset = Municipality.objects.all()
