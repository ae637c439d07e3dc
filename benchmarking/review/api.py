"""Review API: a coordinator lists the submissions of a campaign of their area."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from benchmarking.catalogue.selectors import campaign_get
from benchmarking.collection.serializers import SubmissionOutput
from benchmarking.review import selectors
from qclub.api_auth import TenantAPIView
from qclub.permissions import Action, requires_action
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


class ReviewSubmissionOutput(SubmissionOutput):
    comune = serializers.CharField(source="municipality.slug")
    comune_name = serializers.CharField(source="municipality.name")

    class Meta(SubmissionOutput.Meta):
        fields = ["comune", "comune_name", *SubmissionOutput.Meta.fields]


class ReviewSubmissionListView(TenantAPIView):
    """The submissions of a campaign, for the coordinators of areas (the
    database shows each coordinator only the areas they coordinate)."""

    permission_classes = [IsAuthenticated, requires_action(Action.REVIEW_SUBMISSIONS)]

    @extend_schema(responses=ReviewSubmissionOutput(many=True), summary="Submissions of a campaign (coordinators)")
    def get(self, request: Request, public_id) -> Response:
        campaign = campaign_get(public_id)
        with cross_tenant(scope=SCOPE_REVIEW, reason=f"API: schede della campagna {campaign.public_id}", acting_user=request.user):
            submissions = selectors.submission_list(campaign)
        return Response(ReviewSubmissionOutput(submissions, many=True).data)
