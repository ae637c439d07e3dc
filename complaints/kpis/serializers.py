"""API shapes of complaint KPIs (counts and rates only)."""

from rest_framework import serializers


class KpisOutput(serializers.Serializer):
    year = serializers.IntegerField()
    dimension = serializers.ChoiceField(choices=["total", "category", "service", "channel"])
    key = serializers.CharField(help_text="Category or service code, channel; empty for the total or «not given»")
    label = serializers.CharField()
    received = serializers.IntegerField(help_text="Complaints, suggestions and compliments (duplicates excluded)")
    complaints = serializers.IntegerField()
    suggestions = serializers.IntegerField()
    compliments = serializers.IntegerField()
    per_10000 = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    acknowledged_on_time = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True,
                                                    help_text="Percentage")
    answered_on_time = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text="Percentage")
    median_days = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True,
                                           help_text="Working days to answer")
    p90_days = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    founded = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text="Percentage")
    reopened = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text="Percentage")
    satisfaction = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True, help_text="Mean, 1–5")
    rated = serializers.IntegerField()


class ComuneKpisOutput(serializers.Serializer):
    years = KpisOutput(many=True, help_text="The yearly totals, oldest first")
    year = serializers.IntegerField(allow_null=True, help_text="The year broken down")
    by_category = KpisOutput(many=True)
    by_service = KpisOutput(many=True)
    by_channel = KpisOutput(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    published_years = serializers.ListField(child=serializers.IntegerField())


class RefreshInput(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(), max_length=10, required=False)


class ComparedOutput(serializers.Serializer):
    comune = serializers.CharField(source="name")
    rank = serializers.IntegerField(allow_null=True)
    too_few = serializers.BooleanField(help_text="Fewer complaints than the minimum for a rank")
    own = serializers.BooleanField()
    kpis = KpisOutput()


class ComplaintComparisonOutput(serializers.Serializer):
    year = serializers.IntegerField()
    category = serializers.CharField(source="category.code", default=None)
    min_for_rank = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Member comuni with figures for the year")
    ranked = serializers.IntegerField(help_text="Of which ranked")
    results = ComparedOutput(many=True, help_text="The page asked (limit, offset), in rank order")
    own = ComparedOutput(allow_null=True, help_text="The comune the request acts for, wherever it stands")
