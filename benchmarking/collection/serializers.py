"""Serializers of a submission shared by the collection and review APIs (the API
modules never import each other)."""

from rest_framework import serializers

from benchmarking.models import Submission


class SubmissionOutput(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = [
            "status", "version", "filled_count", "expected_count", "warning_count",
            "unjustified_count", "submitted_at", "approved_at", "updated_at",
        ]
