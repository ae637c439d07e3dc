"""API shapes of the improvement plan."""

from rest_framework import serializers

from complaints.models import Complaint, ImprovementAction


class ImprovementActionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    description = serializers.CharField()
    service = serializers.CharField(source="service.code", default=None)
    root_cause = serializers.CharField()
    owner = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=ImprovementAction.Status.choices)
    result = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    complaints = serializers.ListField(child=serializers.CharField(), source="references",
                                       help_text="Reference codes of the linked complaints")
    version = serializers.IntegerField()


class ImprovementActionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    service = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="Service code")
    root_cause = serializers.ChoiceField(choices=[("", "")] + list(Complaint.RootCause.choices), required=False)
    owner = serializers.CharField(max_length=120, required=False)
    due_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=ImprovementAction.Status.choices, required=False)
    result = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    complaints = serializers.ListField(child=serializers.CharField(max_length=20), max_length=50, required=False)
    version = serializers.IntegerField(required=False, help_text="The version read (edits only): 409 if it changed")
