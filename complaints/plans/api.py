"""API (the comune's staff who handle complaints): the improvement plan's
actions — list, create, read, change. Same services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from complaints.models import ImprovementAction
from complaints.plans import selectors, services
from complaints.plans.serializers import ImprovementActionInput, ImprovementActionOutput
from qclub.api_auth import TenantAPIView
from qclub.models import Service
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action

STAFF = [IsAuthenticated, requires_action(Action.HANDLE_COMPLAINTS)]


def _bad(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()})
    return exceptions.ValidationError({"detail": error.messages})


def _output(action: ImprovementAction) -> dict:
    action.references = selectors.linked_references(action)
    return ImprovementActionOutput(action).data


def _fields(data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in services.EDITABLE}
    if "service" in fields:
        code = fields["service"]
        fields["service"] = Service.objects.filter(code=code).first() if code else None
        if code and fields["service"] is None:
            raise exceptions.ValidationError({"service": [_("Servizio sconosciuto.")]})
    return fields


class ActionListView(TenantAPIView):
    permission_classes = STAFF

    @extend_schema(summary="The comune's improvement actions (by service, then due date)",
                   parameters=[OpenApiParameter("service", str), OpenApiParameter("status", str,
                               enum=ImprovementAction.Status.values),
                               OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=ImprovementActionOutput(many=True))
    def get(self, request: Request) -> Response:
        params = request.query_params
        service_id = None
        if params.get("service"):
            service = Service.objects.filter(code=params["service"]).first()
            if service is None:
                raise exceptions.ValidationError({"service": [_("Servizio sconosciuto.")]})
            service_id = service.pk
        state = params.get("status", "")
        if state and state not in ImprovementAction.Status.values:
            raise exceptions.ValidationError({"status": [_("Stato non valido.")]})
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(
            selectors.actions(request.municipality, service_id=service_id, status=state), request, view=self,
        )
        return paginator.get_paginated_response([_output(a) for a in page])

    @extend_schema(summary="Add an action to the improvement plan", request=ImprovementActionInput, responses={201: ImprovementActionOutput})
    def post(self, request: Request) -> Response:
        data = ImprovementActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            action = services.create_action(
                municipality=request.municipality, user=request.user,
                complaint_references=[c.upper() for c in d.get("complaints", [])], **_fields(d),
            )
        except ValidationError as error:
            raise _bad(error) from None
        return Response(_output(action), status=status.HTTP_201_CREATED)


class ActionDetailView(TenantAPIView):
    permission_classes = STAFF

    def _get(self, request: Request, public_id) -> ImprovementAction:
        found = ImprovementAction.objects.filter(municipality=request.municipality, public_id=public_id).first()
        if found is None:
            raise Http404(_("Azione non trovata."))
        return found

    @extend_schema(summary="One improvement action", responses=ImprovementActionOutput)
    def get(self, request: Request, public_id) -> Response:
        return Response(_output(self._get(request, public_id)))

    @extend_schema(summary="Change an improvement action (only the fields given)", request=ImprovementActionInput,
                   responses={200: ImprovementActionOutput, 409: OpenApiResponse(description="Changed since `version`.")})
    def patch(self, request: Request, public_id) -> Response:
        action = self._get(request, public_id)
        data = ImprovementActionInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        references = [c.upper() for c in d["complaints"]] if "complaints" in d else None
        try:
            action = services.update_action(action=action, user=request.user, version=d.get("version"),
                                            complaint_references=references, **_fields(d))
        except services.ConcurrentEdit as error:
            return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
        except ValidationError as error:
            raise _bad(error) from None
        return Response(_output(action))
