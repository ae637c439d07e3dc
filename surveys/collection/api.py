"""The public API of online collection: one filled-in questionnaire per call,
no login, throttled (the DRF scope `survey_answers` per address) and counted
per survey and address like the form (`SURVEYS_ANSWERS_PER_HOUR`); recorded by
the same service as the form (`services.submit_online`)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from qclub.antispam import over_rate_limit
from qclub.tenancy import acting_for
from surveys.collection import selectors, services

MAX_ANSWERS = 500


class AnswerInput(serializers.Serializer):
    language = serializers.CharField(required=False, default="it", max_length=12)
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Raw answers by question code: a scale point (4 or \"4\"), \"dk\" for "
        "\"don't know\", an option code, a list of option codes, a number (Italian text "
        "\"1.234,5\" or JSON), or a text.",
    )
    invitation = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                       help_text="The token of a single-use invitation, if any.")

    def validate_answers(self, value):
        if len(value) > MAX_ANSWERS:
            raise serializers.ValidationError(_("Troppe risposte in un questionario."))
        return value


Refusal = inline_serializer(
    "SurveyAnswerRefusal",
    {"detail": serializers.CharField(), "errors": serializers.DictField(required=False)},
)


class AnswerView(APIView):
    """POST /api/v1/indagini/<public_id>/risposte/ — answer an open survey."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "survey_answers"

    @extend_schema(
        request=AnswerInput,
        responses={
            201: inline_serializer("SurveyAnswerAccepted", {"detail": serializers.CharField()}),
            400: OpenApiResponse(Refusal, description="Answers that do not fit their questions"),
            404: OpenApiResponse(description="No such public survey"),
            409: OpenApiResponse(Refusal, description="The survey is not collecting online answers, "
                                 "or the invitation was used"),
            429: OpenApiResponse(description="Too many answers from this address"),
        },
        summary="Answer a survey (public, throttled)",
        tags=["surveys"],
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        survey = selectors.public_survey(public_id)
        if survey is None:
            return Response({"detail": _("Questa indagine non esiste o non è pubblica.")},
                            status=status.HTTP_404_NOT_FOUND)
        if selectors.collecting_state(survey) != selectors.OPEN:
            return Response(
                {"detail": _("L'indagine non raccoglie risposte online in questo momento.")},
                status=status.HTTP_409_CONFLICT,
            )
        given = AnswerInput(data=request.data)
        given.is_valid(raise_exception=True)
        language = given.validated_data["language"]
        if language not in {lang.code for lang in selectors.languages_of(survey)}:
            return Response(
                {"detail": _("Questa lingua non è tra quelle dell'indagine."), "errors": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if over_rate_limit(request, f"surveys:answer:{survey.public_id}",
                           limit=settings.SURVEYS_ANSWERS_PER_HOUR, window_seconds=3600):
            return Response({"detail": _("Troppe risposte da questa connessione: riprova tra un'ora.")},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        try:
            with acting_for(survey.municipality_id):
                services.submit_online(
                    survey=survey,
                    answers=given.validated_data["answers"],
                    language=language,
                    invitation_token=given.validated_data.get("invitation", ""),
                )
        except ValidationError as refused:
            errors = refused.message_dict
            invitation_refused = given.validated_data.get("invitation") and any(
                "invito" in message for message in errors.get("__all__", [])
            )
            return Response(
                {"detail": _("Le risposte non sono state registrate."), "errors": errors},
                status=status.HTTP_409_CONFLICT if invitation_refused else status.HTTP_400_BAD_REQUEST,
            )
        return Response({"detail": _("Risposte registrate. Grazie!")}, status=status.HTTP_201_CREATED)
