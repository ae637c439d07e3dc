"""Complaints API: the comune's staff (list, read — logged —, register, act)
and the public intake (anonymous, throttled). Thin views over the same
services as the pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from complaints.handling import selectors, services
from complaints.intake.services import register_complaint
from complaints.models import Category, Complaint, Office
from complaints.serializers import (
    ComplaintActionInput,
    ComplaintDetailOutput,
    ComplaintRow,
    IntakeInput,
    IntakeOutput,
    StaffIntakeInput,
)
from qclub.antispam import over_rate_limit
from qclub.api_auth import TenantAPIView
from qclub.models import Municipality, Service
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action
from qclub.tenancy import acting_for

STAFF = [IsAuthenticated, requires_action(Action.HANDLE_COMPLAINTS)]


def _bad_request(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()})
    return exceptions.ValidationError({"detail": error.messages})


def _service(code: str | None):
    if not code:
        return None
    found = Service.objects.filter(code=code).first()
    if found is None:
        raise exceptions.ValidationError({"service": [_("Servizio sconosciuto.")]})
    return found


def _detail(complaint: Complaint) -> dict:
    complaint.allowed_actions = services.allowed_actions(complaint)
    complaint.timeline_events = selectors.timeline(complaint)
    return ComplaintDetailOutput(complaint).data


class ComplaintListView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(
        summary="The comune's complaints (no personal data)",
        parameters=[
            OpenApiParameter("status", str, enum=Complaint.Status.values),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str, description="Full-text search (Italian)"),
            OpenApiParameter("limit", int), OpenApiParameter("offset", int),
        ],
        responses=ComplaintRow(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        filters = selectors.Filters(
            status=params.get("status", ""), overdue=params.get("overdue") in ("1", "true"),
            query=params.get("q", "")[:200],
        )
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(selectors.complaint_list(filters), request, view=self)
        return paginator.get_paginated_response(ComplaintRow(page, many=True).data)

    @extend_schema(summary="Register a complaint received by any channel", request=StaffIntakeInput,
                   responses={201: IntakeOutput})
    def post(self, request: Request) -> Response:
        data = StaffIntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        category = Category.objects.filter(code=d.get("category")).first() if d.get("category") else None
        municipality = request.municipality
        try:
            registered = register_complaint(
                municipality=municipality, user=request.user, kind=d["kind"], channel=d["channel"],
                received_on=d["received_on"], service=_service(d.get("service")), category=category,
                what_happened=d["what_happened"], request=d.get("request", ""),
                wants_answer=d["wants_answer"], contact_name=d.get("contact_name", ""),
                contact_email=d.get("contact_email", ""), contact_phone=d.get("contact_phone", ""),
                contact_address=d.get("contact_address", ""),
                link_for=lambda t: request.build_absolute_uri(reverse("complaints:track", args=[municipality.slug, t])),
            )
        except ValidationError as error:
            raise _bad_request(error) from None
        link = request.build_absolute_uri(reverse("complaints:track", args=[municipality.slug, registered.token]))
        return Response({"id": registered.complaint.public_id, "reference": registered.complaint.reference,
                         "tracking_url": link}, status=status.HTTP_201_CREATED)


class ComplaintDetailView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="One complaint with its personal data (the read is logged)",
                   responses=ComplaintDetailOutput)
    def get(self, request: Request, public_id) -> Response:
        complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id, way="api")
        return Response(_detail(complaint))


class ComplaintActionView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="Move a complaint (acknowledge, assign, note, suspend, resume, answer, close, reopen)",
                   request=ComplaintActionInput, responses={200: ComplaintDetailOutput,
                                                   409: OpenApiResponse(description="Changed since `version`.")})
    def post(self, request: Request, public_id) -> Response:
        complaint = selectors.complaint_for_staff(user=request.user, public_id=public_id, way="api")
        data = ComplaintActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        action, user, version = d["action"], request.user, d.get("version")
        try:
            if action in ("acknowledge", "start", "resume", "close"):
                getattr(services, action)(complaint=complaint, user=user, version=version)
            elif action == "note":
                services.add_note(complaint=complaint, user=user, text=d.get("text", ""))
            elif action == "suspend":
                services.suspend(complaint=complaint, user=user, reason=d.get("reason", ""), version=version)
            elif action == "reopen":
                services.reopen(complaint=complaint, user=user, reason=d.get("reason", ""), version=version)
            elif action == "answer":
                services.answer(complaint=complaint, user=user, text=d.get("text", ""),
                                root_cause=d.get("root_cause", ""), founded=d.get("founded"), version=version)
            elif action == "assign":
                office = Office.objects.filter(public_id=d["office"]).first() if d.get("office") else None
                assignee = get_user_model().objects.filter(username=d["assignee"]).first() if d.get("assignee") else None
                if d.get("assignee") and assignee is None:
                    raise ValidationError({"assignee": [_("La persona scelta non lavora per questo comune.")]})
                services.assign(complaint=complaint, user=user, office=office, assignee=assignee, version=version)
        except services.ConcurrentEdit as error:
            return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            raise _bad_request(error) from None
        complaint.refresh_from_db()
        return Response(_detail(complaint))


class PublicIntakeThrottle(ScopedRateThrottle):
    scope_attr = "throttle_scope"

    def get_rate(self):
        return "10/hour"


class PublicIntakeView(APIView):
    """Anonymous: a citizen's complaint to a member comune. Throttled per
    address (DRF) and by the same hashed rate limit as the public form."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicIntakeThrottle]
    throttle_scope = "complaints_intake"

    @extend_schema(summary="Send a complaint, suggestion or compliment to a comune (no sign-in)",
                   request=IntakeInput, responses={201: IntakeOutput, 429: OpenApiResponse(description="Too many.")})
    def post(self, request: Request, slug: str) -> Response:
        municipality = get_object_or_404(Municipality, slug=slug, status=Municipality.Status.MEMBER)
        if over_rate_limit(request, "complaints.intake", limit=5, window_seconds=3600):
            raise exceptions.Throttled(detail=_("Troppe segnalazioni da questa connessione: riprova tra un'ora."))
        data = IntakeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            registered = register_complaint(
                municipality=municipality, user=None, kind=d["kind"], channel=Complaint.Channel.WEB,
                service=_service(d.get("service")), what_happened=d["what_happened"], request=d.get("request", ""),
                wants_answer=d["wants_answer"], contact_name=d.get("contact_name", ""),
                contact_email=d.get("contact_email", ""), contact_phone=d.get("contact_phone", ""),
                contact_address=d.get("contact_address", ""),
                link_for=lambda t: request.build_absolute_uri(reverse("complaints:track", args=[slug, t])),
            )
        except ValidationError as error:
            raise _bad_request(error) from None
        with acting_for(municipality):
            reference = registered.complaint.reference
        link = request.build_absolute_uri(reverse("complaints:track", args=[slug, registered.token]))
        return Response({"reference": reference, "tracking_url": link}, status=status.HTTP_201_CREATED)
