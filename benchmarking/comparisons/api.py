"""Members-area API: ranking, summary, trend and scorecard as JSON, read with
the same parameters and the same code as the pages (members only).

Each view acts for the request's comune (`TenantAPIView`) and then reads
other comuni's approved figures inside the club scope.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from benchmarking.catalogue.selectors import indicator_get
from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons.forms import ViewChoice, view_choice
from benchmarking.comparisons.tables import not_applicable_rows, ranking_rows
from qclub.api_auth import TenantAPIView
from qclub.permissions import Action, requires_action
from qclub.tenancy import SCOPE_CLUB, cross_tenant


def _figure(**kwargs):
    return serializers.DecimalField(max_digits=30, decimal_places=6, allow_null=True, **kwargs)


PERIOD = OpenApiParameter("periodo", str, description="`2025`, `2025-H1` or `2025-Q3`; default: the latest with results.")
GROUP_TEXT = "`all`, `region`, `class`, `similar` or `group:<id>`"
SHOWN = OpenApiParameter("mostra", str, description=f"Comuni shown: {GROUP_TEXT} (default `all`).")
BASIS = OpenApiParameter("statistiche", str, description=f"Comuni the statistics are computed on: {GROUP_TEXT} (default: as `mostra`).")
CONTEXT = OpenApiParameter("contesto", str, description="For `similar`: context descriptor keys, comma-separated.")
AFTER = OpenApiParameter("dopo", str, description=(
    "Keyset pagination of the national ranking (`mostra` and `statistiche` `all`): the slug of the last comune "
    "of the page before (its `next_after`)."))
SIZE = OpenApiParameter("quanti", int, description="Comuni in a page of the national ranking (1-1000); "
                        "without `quanti` and `dopo`, every comune.")
MAX_PAGE = 1000
COMUNI = OpenApiParameter("comuni", str, description="Comuni slugs, comma-separated (default: the acting comune).")


class RowOutput(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    comune = serializers.CharField()
    slug = serializers.CharField()
    value = _figure()
    quartile = serializers.IntegerField(allow_null=True)
    from_best = _figure()
    from_median = _figure()
    change = _figure()
    position = serializers.CharField(
        help_text="Target-range indicators: `in_range`, `below` or `above`; empty otherwise.")
    from_range = _figure(help_text="Target-range indicators: distance to the nearest bound (0 in range).")
    in_basis = serializers.BooleanField()
    is_viewer = serializers.BooleanField()


class NotApplicableOutput(serializers.Serializer):
    comune = serializers.CharField()
    slug = serializers.CharField()
    reason = serializers.CharField()


class SummaryOutput(serializers.Serializer):
    indicator = serializers.CharField()
    period = serializers.CharField()
    shown = serializers.CharField()
    basis = serializers.CharField()
    reported = serializers.IntegerField()
    suppressed = serializers.BooleanField(help_text="Fewer comuni than min_reporters: no ranks, no best performer.")
    min_reporters = serializers.IntegerField()
    minimum = _figure()
    q1 = _figure()
    median = _figure()
    q3 = _figure()
    mean = _figure()
    maximum = _figure()
    better = serializers.CharField(help_text="`higher`, `lower` or `band` (within a target range).")
    band_low = _figure(help_text="Target-range indicators: the range's lower bound.")
    band_high = _figure(help_text="Target-range indicators: the range's upper bound.")
    best = _figure(help_text="Null for a target-range indicator: no single best performer.")
    best_comuni = serializers.ListField(
        child=serializers.CharField(), help_text="The best performers; for a target-range indicator, those in range.")
    club_ratio = _figure(help_text="Ratio indicators: the ratio of the summed numerators and denominators.")


class NeighbourOutput(serializers.Serializer):
    comune = serializers.CharField()
    slug = serializers.CharField()
    distance = serializers.FloatField()
    values = serializers.ListField(child=serializers.CharField(allow_blank=True),
                                   help_text="The comune's value of each descriptor, in order.")


class NeighboursOutput(serializers.Serializer):
    descriptors = serializers.ListField(child=serializers.CharField())
    own_values = serializers.ListField(child=serializers.CharField(allow_blank=True))
    too_small = serializers.BooleanField(help_text="Fewer than twice the neighbours to choose from.")
    pool = serializers.IntegerField()
    unknown_keys = serializers.ListField(child=serializers.CharField())
    chosen = NeighbourOutput(many=True)


class RankingOutput(serializers.Serializer):
    summary = SummaryOutput()
    rows = RowOutput(many=True)
    not_applicable = NotApplicableOutput(many=True)
    neighbours = NeighboursOutput(allow_null=True, help_text="With `similar`: why these comuni are the most similar.")
    next_after = serializers.CharField(allow_null=True, help_text="`dopo` of the next page; null on the last one.")


def neighbours_payload(result: comparisons.Ranking) -> dict | None:
    n = result.neighbours
    if n is None:
        return None
    return {
        "descriptors": n.descriptors, "own_values": n.own_values, "too_small": n.too_small, "pool": n.pool,
        "unknown_keys": n.unknown_keys,
        "chosen": [{"comune": c.municipality.name, "slug": c.municipality.slug, "distance": round(c.distance, 4),
                    "values": c.values} for c in n.chosen],
    }


class TrendPointOutput(serializers.Serializer):
    period = serializers.CharField()
    values = serializers.DictField(child=_figure(), help_text="Comune slug -> value.")
    median = _figure()
    best = _figure()


class TrendOutput(serializers.Serializer):
    indicator = serializers.CharField()
    comuni = serializers.ListField(child=serializers.CharField())
    points = TrendPointOutput(many=True)


class ScorecardLineOutput(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    value = _figure()
    reason = serializers.CharField()
    percentile = _figure(help_text="Null for a target-range indicator.")
    rank = serializers.IntegerField(allow_null=True)
    reported = serializers.IntegerField(allow_null=True)
    median = _figure()
    best = _figure(help_text="Null for a target-range indicator: no single best performer.")
    position = serializers.CharField(
        help_text="Target-range indicators: `in_range`, `below` or `above`; empty otherwise.")
    from_range = _figure(help_text="Target-range indicators: distance to the nearest bound (0 in range).")
    light = serializers.CharField(help_text="green, amber, red, or empty when too few comuni reported.")
    trend = serializers.DictField(child=_figure(), help_text="Period -> value.")


class ScorecardOutput(serializers.Serializer):
    comune = serializers.CharField()
    area = serializers.CharField()
    period = serializers.CharField()
    lines = ScorecardLineOutput(many=True)
    strengths = serializers.ListField(child=serializers.CharField())
    gaps = serializers.ListField(child=serializers.CharField())


def summary_payload(result: comparisons.Ranking) -> dict:
    stats = result.stats
    return {
        "indicator": result.indicator.code, "period": result.period.code,
        "shown": result.shown.code, "basis": result.basis.code,
        "reported": stats.reported, "suppressed": result.suppressed, "min_reporters": comparisons.min_reporters(),
        "minimum": stats.minimum, "q1": stats.q1, "median": stats.median, "q3": stats.q3,
        "mean": stats.mean, "maximum": stats.maximum,
        "better": result.version.better if result.version else "",
        "band_low": result.version.band_low if result.has_range else None,
        "band_high": result.version.band_high if result.has_range else None,
        "best": None if result.suppressed else stats.best,
        "best_comuni": [row.municipality.slug for row in result.best_rows],
        "club_ratio": result.club_ratio,
    }


class MembersAPIView(TenantAPIView):
    permission_classes = [IsAuthenticated, requires_action(Action.VIEW_MEMBERS_AREA)]

    def club(self, request: Request, reason: str):
        return cross_tenant(scope=SCOPE_CLUB, reason=f"api {reason}", acting_user=request.user)


def _page(params) -> comparisons.Page | None:
    """`dopo` and `quanti` (a whole number from 1 to 1000, else 400 Bad Request; 50 when only `dopo` is given)."""
    after, size = (params.get("dopo") or "").strip()[:100], params.get("quanti")
    if not after and size is None:
        return None
    if size is None:
        return comparisons.Page(after=after or None, size=50)
    if not size.isdigit() or not 1 <= int(size) <= MAX_PAGE:
        raise ValidationError({"quanti": _("Indica un numero di comuni da 1 a %(n)d.") % {"n": MAX_PAGE}})
    return comparisons.Page(after=after or None, size=int(size))


def _ranking(request: Request, code: str, reason: str, page: comparisons.Page | None = None) -> comparisons.Ranking:
    indicator = indicator_get(code)
    choice: ViewChoice = view_choice(request.query_params)
    with cross_tenant(scope=SCOPE_CLUB, reason=f"api {reason} {code}", acting_user=request.user):
        result, _periods = comparisons.read_ranking(
            indicator, viewer=request.municipality, period=choice.period, shown=choice.shown, basis=choice.basis,
            page=page,
        )
    return result


class RankingView(MembersAPIView):
    @extend_schema(parameters=[PERIOD, SHOWN, BASIS, CONTEXT, AFTER, SIZE], responses=RankingOutput,
                   summary="Ranking of one indicator and period among member comuni (approved figures)")
    def get(self, request: Request, code: str) -> Response:
        result = _ranking(request, code, "ranking", page=_page(request.query_params))
        return Response(RankingOutput({
            "summary": summary_payload(result), "rows": ranking_rows(result),
            "not_applicable": not_applicable_rows(result), "neighbours": neighbours_payload(result),
            "next_after": result.next_after,
        }).data)


class SummaryView(MembersAPIView):
    @extend_schema(parameters=[PERIOD, SHOWN, BASIS, CONTEXT], responses=SummaryOutput,
                   summary="Club statistics of one indicator and period")
    def get(self, request: Request, code: str) -> Response:
        result = _ranking(request, code, "summary")
        return Response(SummaryOutput(summary_payload(result)).data)


class TrendView(MembersAPIView):
    @extend_schema(parameters=[COMUNI, PERIOD], responses=TrendOutput,
                   summary="Comuni over every period against the club median and the best")
    def get(self, request: Request, code: str) -> Response:
        indicator = indicator_get(code)
        choice = view_choice(request.query_params)
        with self.club(request, f"trend {code}"):
            comuni, points = comparisons.read_trend(
                indicator, viewer=request.municipality, slugs=choice.comuni,
                kind=choice.period.kind if choice.period else "Y",
            )
        slugs = {c.pk: c.slug for c in comuni}
        return Response(TrendOutput({
            "indicator": indicator.code, "comuni": [c.slug for c in comuni],
            "points": [
                {"period": p.period.code, "values": {slugs[m]: v for m, v in p.values.items()},
                 "median": p.median, "best": p.best}
                for p in points
            ],
        }).data)


class ScorecardView(MembersAPIView):
    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("comune", str, description="Comune slug (default: the acting comune)."),
                    OpenApiParameter("area", str, description="Thematic area code (default: the first).")],
        responses=ScorecardOutput, summary="Scorecard of one comune for a thematic area and period",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        with self.club(request, "scorecard"):
            comune, area, _areas, period, lines = comparisons.read_scorecard(
                viewer=request.municipality, area_code=params.get("area"), slug=params.get("comune"),
                period=view_choice(params).period,
            )
        strengths, gaps = comparisons.strengths_and_gaps(lines)
        return Response(ScorecardOutput({
            "comune": comune.slug, "area": area.code, "period": period.code,
            "lines": [
                {"indicator": line.indicator.code, "name": line.indicator.name, "unit": line.version.unit,
                 "value": line.value, "reason": line.reason, "percentile": line.percentile, "rank": line.rank,
                 "reported": line.reported, "median": line.median, "best": line.best, "light": line.light,
                 "position": line.position, "from_range": line.from_range,
                 "trend": {p.code: v for p, v in line.trend}}
                for line in lines
            ],
            "strengths": [line.indicator.code for line in strengths],
            "gaps": [line.indicator.code for line in gaps],
        }).data)
