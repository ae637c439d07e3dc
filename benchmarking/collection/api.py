"""Benchmarking API: the shared catalogue, campaigns, the active comune's
values (read and bulk write), its submission's actions, and the coordinators'
list of submissions. Thin views over `collection.services`, as the pages.

Tenant endpoints inherit `qclub.api_auth.TenantAPIView`: after DRF has
authenticated the user (session or token), it acts for the comune named in the
`X-QClub-Comune` header (403 if it is not one of the user's), else the user's.
"""


from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from benchmarking.catalogue.selectors import campaign_get
from benchmarking.collection import selectors, services, validation
from benchmarking.collection.serializers import SubmissionOutput
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import (
    Campaign,
    DataValue,
    Submission,
)
from qclub.api_auth import TenantAPIView
from qclub.numbers import NumberError, number_text
from qclub.permissions import Action, requires_action


class ValueOutput(serializers.Serializer):
    code = serializers.CharField(source="element.code")
    name = serializers.CharField(source="element.name")
    unit = serializers.CharField(source="element.unit")
    shared = serializers.BooleanField(
        source="element.shared",
        help_text="A context figure of the comune and period (e.g. population), the same in every area's campaign.",
    )
    state = serializers.ChoiceField(choices=DataValue.State.choices)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=True)
    note = serializers.CharField()
    estimated = serializers.BooleanField()
    justification = serializers.CharField()
    warnings = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_warnings(self, row: DataValue) -> list[str]:
        return [validation.warning_message(warning) for warning in row.warnings]


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True, "example": "1.234,5"})
class FlexibleNumber(serializers.Field):
    """A figure as a JSON number or as text typed the Italian way ("1.234,5")."""

    def to_internal_value(self, data) -> str:
        if data is None:
            return ""
        if isinstance(data, bool):
            raise serializers.ValidationError(_("Scrivi un numero."))
        if isinstance(data, int | float):
            # Through Decimal to Italian writing: the JSON number 1.234 must not
            # be read as "one thousand two hundred thirty-four". The JSON number
            # 1e400 arrives as a float infinity: number_text refuses it.
            try:
                return number_text(data)
            except NumberError as error:
                raise serializers.ValidationError(str(error)) from None
        if isinstance(data, str):
            return data
        raise serializers.ValidationError(_("Scrivi un numero o un testo."))

    def to_representation(self, value):
        return value


class ValueInput(serializers.Serializer):
    code = serializers.CharField(max_length=60)
    state = serializers.ChoiceField(choices=DataValue.State.choices, required=False)
    value = FlexibleNumber(required=False, allow_null=True)
    # The model's limits, the same the form and the file import meet (services.text_errors).
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=DataValue._meta.get_field("note").max_length
    )
    estimated = serializers.BooleanField(required=False)
    justification = serializers.CharField(
        required=False, allow_blank=True, max_length=DataValue._meta.get_field("justification").max_length
    )
    version = serializers.IntegerField(
        min_value=1,
        help_text="The value's version as last read; a value changed by someone else since answers 409.",
    )


class ValuesOutput(serializers.Serializer):
    campaign = serializers.UUIDField()
    submission = SubmissionOutput()
    values = ValueOutput(many=True)
    changed = serializers.ListField(child=serializers.CharField(), required=False)


ERRORS_400 = OpenApiResponse(
    inline_serializer("ValueErrors", {"errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))}),
    description="Hard rules broken, per code; nothing was saved.",
)


CONFLICT_409 = OpenApiResponse(
    inline_serializer("ValueConflict", {"detail": serializers.CharField(), "conflicts": serializers.ListField(child=serializers.CharField())}),
    description="Someone else changed these values since the given version; nothing was saved.",
)




def _values_payload(campaign: Campaign, submission: Submission, changed: list[str] | None = None) -> dict:
    rows = selectors.submission_values(submission)
    payload = {
        "campaign": campaign.public_id,
        "submission": SubmissionOutput(submission).data,
        "values": ValueOutput(rows, many=True).data,
    }
    if changed is not None:
        payload["changed"] = changed
    return payload


class ValuesView(TenantAPIView):
    """The active comune's figures for a campaign (before its first write: the
    campaign's elements, empty, and a submission "not_started"; reading writes nothing)."""

    permission_classes = [IsAuthenticated, requires_action(Action.ENTER_DATA)]

    @extend_schema(responses=ValuesOutput, summary="Read the comune's values")
    def get(self, request: Request, public_id) -> Response:
        campaign = campaign_get(public_id)
        submission = selectors.submission_or_blank(campaign, request.municipality)
        return Response(_values_payload(campaign, submission))

    @extend_schema(
        request=ValueInput(many=True),
        responses={200: ValuesOutput, 400: ERRORS_400, 409: CONFLICT_409},
        summary="Write the comune's values (all or nothing)",
        description=(
            "A list of values to set. `value` is a JSON number or a text written the Italian way "
            "(`1.234,5`); `state` defaults to `value` when a value is given, else `missing`. "
            "Omitted `note`, `estimated`, `justification` keep what is there. Values not listed "
            "are left alone."
        ),
    )
    def put(self, request: Request, public_id) -> Response:
        campaign = campaign_get(public_id)
        items = ValueInput(data=request.data, many=True)
        items.is_valid(raise_exception=True)
        submission = selectors.submission_or_blank(campaign, request.municipality)
        rows = {row.element.code: row for row in selectors.submission_values(submission)}
        entries, errors = _entries(items.validated_data, rows)
        if errors:
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        try:
            outcome = services.save_values(submission, entries, request.user, reason="API")
        except ConcurrentEdit as conflict:
            return Response({"detail": str(conflict), "conflicts": conflict.codes}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            body = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return Response({"errors": body}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from None
        return Response(_values_payload(campaign, outcome.submission, outcome.changed))


def _entries(items: list[dict], rows: dict[str, DataValue]) -> tuple[dict[str, Entry], dict[str, list[str]]]:
    entries: dict[str, Entry] = {}
    errors: dict[str, list[str]] = {}
    for item in items:
        code = item["code"]
        row = rows.get(code)
        if row is None:
            errors[code] = [_("Questo dato non fa parte della campagna.")]
            continue
        if code in entries:
            errors[code] = [_("Il codice compare più volte nella richiesta.")]
            continue
        text = item.get("value") or ""
        state = item.get("state") or (DataValue.State.VALUE if text.strip() else DataValue.State.MISSING)
        try:
            state, value = validation.read_entry(row.element, state, text)
        except NumberError as error:
            errors[code] = [str(error)]
            continue
        if messages := validation.hard_errors(row.element, state, value):
            errors[code] = messages
            continue
        entries[code] = Entry(
            state=state, value=value,
            note=item.get("note", row.note),
            estimated=item.get("estimated", row.estimated),
            justification=item.get("justification", row.justification),
            seen_version=item["version"],
        )
    return entries, errors


class ActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(services.READY, "ready"), (services.SUBMIT, "submit")])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SubmissionActionView(TenantAPIView):
    """Actions of the comune on its submission: an officer marks it ready for the
    manager (`ready`), a manager submits it (`submit`); who may do which is the
    status machine's rule (`services.TRANSITIONS`)."""

    permission_classes = [IsAuthenticated, requires_action(Action.ENTER_DATA)]

    @extend_schema(request=ActionInput, responses={200: SubmissionOutput, 400: ERRORS_400},
                   summary="Mark the comune's data ready for the manager, or submit it")
    def post(self, request: Request, public_id) -> Response:
        campaign = campaign_get(public_id)
        payload = ActionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        submission = get_object_or_404(Submission, campaign=campaign)
        try:
            submission = services.transition(
                submission, payload.validated_data["action"], request.user,
                note=payload.validated_data.get("note", ""),
            )
        except PermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied) or None) from None
        except ValidationError as error:
            body = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            return Response({"errors": body}, status=status.HTTP_400_BAD_REQUEST)
        return Response(SubmissionOutput(submission).data)
