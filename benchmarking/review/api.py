"""Review API: a coordinator lists the submissions of a campaign of their area."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from benchmarking.catalogue.selectors import campaign_get
from benchmarking.collection.serializers import SubmissionOutput
from benchmarking.models import Submission
from qclub.api_auth import TenantAPIView
from qclub.permissions import Action, can
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


class ReviewSubmissionOutput(SubmissionOutput):
    comune = serializers.CharField(source="municipality.slug")
    comune_name = serializers.CharField(source="municipality.name")

    class Meta(SubmissionOutput.Meta):
        fields = ["comune", "comune_name", *SubmissionOutput.Meta.fields]


class ReviewSubmissionListView(TenantAPIView):
    """The submissions of a campaign, for the coordinators of areas (the
    database shows each coordinator only the areas they coordinate)."""

    @extend_schema(responses=ReviewSubmissionOutput(many=True), summary="Submissions of a campaign (coordinators)")
    def get(self, request: Request, public_id) -> Response:
        if not can(request.user, Action.REVIEW_SUBMISSIONS):
            raise exceptions.PermissionDenied(_("Solo chi coordina un'area vede le schede dei comuni."))
        campaign = campaign_get(public_id)
        with cross_tenant(scope=SCOPE_REVIEW, reason=f"API: schede della campagna {campaign.public_id}", acting_user=request.user):
            submissions = list(
                Submission.objects.filter(campaign=campaign)
                .select_related("municipality")
                .order_by("municipality__name")
            )
        return Response(ReviewSubmissionOutput(submissions, many=True).data)
