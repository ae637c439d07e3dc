"""A comune's surveys, read-only: the list and one survey with its local
questions, progress by mode and status history. Officers and managers of the
comune the request acts for; another comune's survey answers 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qclub.api_auth import TenantAPIView
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action
from surveys.fieldwork import selectors
from surveys.models import LocalQuestion, Survey, SurveyEvent


class SurveyOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    questionnaire = serializers.CharField(source="version.questionnaire.code", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responses = serializers.IntegerField(source="response_count", read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id", "title", "questionnaire", "version", "service", "year", "modes", "languages",
            "starts_on", "ends_on", "population_served", "target_sample", "status", "revision",
            "responses",
        ]


class LocalQuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = LocalQuestion
        fields = [
            "position", "code", "kind", "text", "help_text", "required", "scale_min", "scale_max",
            "point_labels", "allows_dont_know", "options", "number_min", "number_max",
        ]


class EventOutput(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    class Meta:
        model = SurveyEvent
        fields = ["at", "by", "from_status", "to_status", "note"]

    def get_by(self, event) -> str:
        return selectors.person_name(event.by)


class ModeCountOutput(serializers.Serializer):
    mode = serializers.CharField()
    count = serializers.IntegerField()


class ProgressOutput(serializers.Serializer):
    total = serializers.IntegerField()
    target = serializers.IntegerField(allow_null=True)
    by_mode = ModeCountOutput(many=True)
    margin = serializers.FloatField(
        allow_null=True, help_text="Margin of error reached (95 %, p = 0.5): 0.031 = ±3.1 points."
    )


class SurveyDetailOutput(SurveyOutput):
    local_questions = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(SurveyOutput.Meta):
        fields = [*SurveyOutput.Meta.fields, "local_questions", "progress", "history"]

    def get_local_questions(self, survey) -> list[dict]:
        return LocalQuestionOutput(selectors.local_questions(survey), many=True).data

    @extend_schema_field(ProgressOutput)
    def get_progress(self, survey) -> dict:
        return ProgressOutput(selectors.progress(survey)).data

    def get_history(self, survey) -> list[dict]:
        return EventOutput(selectors.history(survey), many=True).data


class SurveyListView(TenantAPIView):
    """The surveys of the comune the request acts for, newest first (paginated)."""

    permission_classes = [IsAuthenticated, requires_action(Action.RUN_SURVEYS)]
    pagination_class = BoundedLimitOffsetPagination

    @extend_schema(responses=SurveyOutput(many=True), summary="The comune's surveys")
    def get(self, request: Request) -> Response:
        paginator: LimitOffsetPagination = self.pagination_class()
        page = paginator.paginate_queryset(selectors.surveys_of(request.municipality), request, view=self)
        return paginator.get_paginated_response(SurveyOutput(page, many=True).data)


class SurveyDetailView(TenantAPIView):
    permission_classes = [IsAuthenticated, requires_action(Action.RUN_SURVEYS)]

    @extend_schema(responses=SurveyDetailOutput, summary="One of the comune's surveys")
    def get(self, request: Request, public_id) -> Response:
        survey = selectors.survey_for(request.municipality, public_id)
        survey.response_count = selectors.progress(survey).total
        return Response(SurveyDetailOutput(survey).data)
