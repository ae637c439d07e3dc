"""API shapes of service charters: explicit outputs, the same for the
comune's staff, the club and citizens (what each sees is decided by the
reads, `servicecharters.selectors` and `charters.selectors`)."""

from rest_framework import serializers

from qclub.models import QualityDimension
from servicecharters.models import CharterVersion, StandardResult, StandardTerms


class CharterStandardOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    lineage = serializers.UUIDField(help_text="The same in every version of one standard.")
    position = serializers.IntegerField()
    dimension = serializers.ChoiceField(choices=QualityDimension.choices)
    kind = serializers.ChoiceField(choices=StandardTerms.Kind.choices)
    title = serializers.CharField()
    measure = serializers.CharField()
    comparator = serializers.ChoiceField(choices=StandardTerms.Comparator.choices)
    target_value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    unit = serializers.CharField()
    compliance_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    figure_ref = serializers.CharField(help_text='"<module>/<key>" of the linked figure; "" when entered by hand.')
    remedy = serializers.CharField()


class CharterVersionSummaryOutput(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CharterVersion.Status.choices)
    title = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    superseded_at = serializers.DateTimeField(allow_null=True)


class CharterVersionOutput(CharterVersionSummaryOutput):
    change_summary = serializers.CharField()
    presentation = serializers.CharField(help_text="Markdown.")
    access = serializers.CharField()
    hours_places = serializers.CharField()
    costs = serializers.CharField()
    rights_duties = serializers.CharField()
    complaints = serializers.CharField()
    satisfaction = serializers.CharField()
    standards = CharterStandardOutput(many=True, source="standards.all")


class CharterResultOutput(serializers.Serializer):
    lineage = serializers.UUIDField()
    standard = serializers.CharField(source="standard.title")
    actual_value = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    met = serializers.BooleanField(allow_null=True)
    origin = serializers.ChoiceField(choices=StandardResult.Origin.choices)
    source_note = serializers.CharField()


class CharterMonitoringOutput(serializers.Serializer):
    year = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    summary = serializers.CharField()
    results = CharterResultOutput(many=True, source="results.all")


class CharterRowOutput(serializers.Serializer):
    """A line of a list: one comune's version of a charter."""

    comune = serializers.SlugField(source="municipality.slug")
    comune_name = serializers.CharField(source="municipality.name")
    service = serializers.CharField(source="charter.service.code")
    service_name = serializers.CharField(source="charter.service.name")
    charter = serializers.UUIDField(source="charter.public_id")
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CharterVersion.Status.choices)
    title = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)


class OwnCharterOutput(serializers.Serializer):
    """The comune's own charter with every version (drafts too)."""

    id = serializers.UUIDField(source="public_id")
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    versions = CharterVersionSummaryOutput(many=True, source="versions.all")


class CharterDetailOutput(serializers.Serializer):
    """Another comune's charter (club) or a published one (citizens): the
    versions the reader may see, the newest in full, the published monitoring."""

    comune = serializers.SlugField(source="charter.municipality.slug")
    comune_name = serializers.CharField(source="charter.municipality.name")
    service = serializers.CharField(source="charter.service.code")
    service_name = serializers.CharField(source="charter.service.name")
    current = CharterVersionOutput()
    versions = CharterVersionSummaryOutput(many=True)
    monitoring = CharterMonitoringOutput(many=True)
