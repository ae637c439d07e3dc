"""The club's questionnaires, read-only (club-wide): the list with the version
in use, and one version with its sections, questions and texts per language."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from surveys.models import Question, Questionnaire, QuestionnaireVersion, Section, SurveyLanguage
from surveys.questionnaires import selectors


class LanguageOutput(serializers.ModelSerializer):
    class Meta:
        model = SurveyLanguage
        fields = ["code", "name", "right_to_left"]


class VersionSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = QuestionnaireVersion
        fields = ["number", "status", "notes", "created_at"]


class QuestionnaireOutput(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    versions = VersionSummaryOutput(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["code", "title", "description", "service", "kind", "locked", "versions"]


class QuestionOutput(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    importance_of = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Question
        fields = [
            "position", "code", "kind", "text", "help_text", "required", "scale_min", "scale_max",
            "point_labels", "allows_dont_know", "options", "number_min", "number_max", "role",
            "profile", "service", "dimension", "importance_of",
        ]


class SectionOutput(serializers.ModelSerializer):
    questions = QuestionOutput(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["position", "title", "questions"]


class VersionOutput(serializers.ModelSerializer):
    questionnaire = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sections = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()

    class Meta:
        model = QuestionnaireVersion
        fields = ["questionnaire", "number", "status", "notes", "created_at", "languages", "sections"]

    def get_sections(self, version) -> list[dict]:
        return SectionOutput(selectors.sections_with_questions(version), many=True).data

    def get_languages(self, version) -> list[dict]:
        return LanguageOutput(selectors.languages(), many=True).data


class QuestionnaireListView(generics.ListAPIView):
    """The club's shared questionnaires, each with its versions (number, status)."""

    serializer_class = QuestionnaireOutput

    def get_queryset(self):
        return Questionnaire.objects.select_related("service").prefetch_related("versions").order_by("code")


class VersionDetailView(APIView):
    @extend_schema(responses=VersionOutput, summary="A questionnaire version with its questions and texts")
    def get(self, request: Request, code: str, number: int) -> Response:
        version = selectors.version(selectors.questionnaire(code), number)
        return Response(VersionOutput(version).data)
