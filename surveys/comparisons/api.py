"""Members' read-only API of the comparisons across comuni (club scope,
audited): /api/v1/indagini/confronti/… (mounted by surveys/api_urls.py)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qclub.api_auth import TenantAPIView
from qclub.pagination import BoundedLimitOffsetPagination
from qclub.permissions import Action, requires_action
from qclub.tenancy import SCOPE_CLUB, cross_tenant
from surveys.comparisons import selectors
from surveys.public import selectors as public
from surveys.public.serializers import SurveyResultsOutput, results_payload


class SurveyComparisonRowOutput(serializers.Serializer):
    comune = serializers.SlugField()
    comune_name = serializers.CharField()
    survey = serializers.UUIDField()
    survey_title = serializers.CharField()
    sample = serializers.IntegerField()
    answers = serializers.IntegerField()
    mean = serializers.FloatField()
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    best = serializers.BooleanField(help_text="lower CI bound above every other comune's upper bound")
    funnel = serializers.CharField(allow_null=True, help_text="above_998, above_95, within, below_95, below_998")


class InsufficientOutput(serializers.Serializer):
    comune = serializers.SlugField()
    comune_name = serializers.CharField()
    survey = serializers.UUIDField()
    survey_title = serializers.CharField()
    sample = serializers.IntegerField()


class FunnelLimitOutput(serializers.Serializer):
    n = serializers.IntegerField()
    low95 = serializers.FloatField()
    high95 = serializers.FloatField()
    low998 = serializers.FloatField()
    high998 = serializers.FloatField()


class SurveyComparisonOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="surveys compared, on every page")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    questionnaire = serializers.CharField()
    version = serializers.IntegerField()
    year = serializers.IntegerField()
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    measures = serializers.ListField(child=serializers.CharField())
    peer_group = serializers.IntegerField(allow_null=True)
    min_sample = serializers.IntegerField()
    club_mean = serializers.FloatField(allow_null=True)
    pooled_std_dev = serializers.FloatField(allow_null=True)
    rows = SurveyComparisonRowOutput(many=True, help_text="this page, best mean first")
    own = SurveyComparisonRowOutput(many=True, help_text="the caller's comune's surveys not on this page")
    best = SurveyComparisonRowOutput(allow_null=True, help_text="the best performer beyond the intervals, if any")
    positions = serializers.DictField(child=serializers.IntegerField(), help_text="surveys per funnel position")
    insufficient_count = serializers.IntegerField()
    insufficient = InsufficientOutput(many=True, help_text="the first 100 by comune")
    funnel = FunnelLimitOutput(many=True)


def _f(value) -> float | None:
    return None if value is None else float(value)


def _row(r: selectors.Row) -> dict:
    return {
        "comune": r.municipality.slug, "comune_name": r.municipality.name, "survey": r.survey_public_id,
        "survey_title": r.survey_title, "sample": r.sample, "answers": r.answers, "mean": _f(r.mean),
        "ci_low": _f(r.ci_low), "ci_high": _f(r.ci_high), "best": r.is_best, "funnel": r.position,
    }


def comparison_payload(result: selectors.Comparison, *, next_link=None, previous_link=None) -> dict:
    return {
        "count": result.total, "next": next_link, "previous": previous_link,
        "questionnaire": result.version.questionnaire.code, "version": result.version.number, "year": result.year,
        "measure": result.measure.code, "measure_label": result.measure.label,
        "measures": [m.code for m in result.measures], "peer_group": result.group.pk if result.group else None,
        "min_sample": result.min_sample, "club_mean": result.theta, "pooled_std_dev": result.sigma,
        "rows": [_row(r) for r in result.rows], "own": [_row(r) for r in result.own],
        "best": _row(result.best) if result.best else None, "positions": result.positions,
        "insufficient_count": result.insufficient_total,
        "insufficient": [
            {"comune": i.municipality.slug, "comune_name": i.municipality.name, "survey": i.survey_public_id,
             "survey_title": i.survey_title, "sample": i.sample}
            for i in result.insufficient
        ],
        "funnel": [vars(limit) for limit in result.curve],
    }


class MembersAPIView(TenantAPIView):
    permission_classes = [IsAuthenticated, requires_action(Action.VIEW_MEMBERS_AREA)]


class ComparisonView(MembersAPIView):
    @extend_schema(
        responses=SurveyComparisonOutput, summary="Surveys of one questionnaire version and year compared",
        parameters=[
            OpenApiParameter("misura", str, description="`indice` (default) or a core item's code."),
            OpenApiParameter("gruppo", int, description="A peer group's id."),
            OpenApiParameter("limit", int, description="Surveys in a page (1-500, default 50)."),
            OpenApiParameter("offset", int, description="Surveys before the page (best mean first)."),
        ],
    )
    def get(self, request: Request, version_id: int, year: int) -> Response:
        if not selectors.YEARS[0] <= year <= selectors.YEARS[1]:
            raise Http404(_("Anno non valido."))
        version = selectors.version_get(version_id)
        group = selectors.peer_group_get(request.query_params.get("gruppo"))
        paginator = BoundedLimitOffsetPagination()
        limit, offset = paginator.get_limit(request), paginator.get_offset(request)
        with cross_tenant(scope=SCOPE_CLUB, reason=f"API: confronto indagini {version.pk}/{year}",
                          acting_user=request.user):
            result = selectors.comparison(
                version, year, measure_code=request.query_params.get("misura") or selectors.INDEX,
                group=group, viewer=request.municipality, offset=offset, limit=limit, with_cells=False,
            )
        # The links as DRF's limit/offset pagination writes them.
        paginator.request, paginator.limit, paginator.offset, paginator.count = request, limit, offset, result.total
        payload = comparison_payload(result, next_link=paginator.get_next_link(),
                                     previous_link=paginator.get_previous_link())
        return Response(SurveyComparisonOutput(payload).data)


class MembersResultsView(MembersAPIView):
    """A closed or published survey's results, for members (club scope)."""

    @extend_schema(responses=SurveyResultsOutput, summary="A closed or published survey's results (members)")
    def get(self, request: Request, slug: str, public_id: str) -> Response:
        with cross_tenant(scope=SCOPE_CLUB, reason=f"API: risultati indagine {slug}/{public_id}"[:200],
                          acting_user=request.user):
            survey = selectors.compared_survey_get(slug, public_id)
            data = public.results_of(survey)
            return Response(SurveyResultsOutput(results_payload(data)).data)

