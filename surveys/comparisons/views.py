"""The members area's comparison of surveys across comuni: which
questionnaire versions and years can be compared, and one comparison (a
measure side by side, the funnel plot, the surveys too small to compare, the
CSV). Members only; every read of other comuni's results inside the audited
club scope, where the database shows closed and published surveys' results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qclub.exports import italian_csv
from qclub.modules import MEMBERS_SECTION
from qclub.permissions import Action, requires
from qclub.tenancy import SCOPE_CLUB, cross_tenant
from surveys.comparisons import charts, exports, selectors
from surveys.comparisons.statistics import Position

PAGE_SIZE = 50
POSITIONS = (Position.ABOVE_998, Position.ABOVE_95, Position.WITHIN, Position.BELOW_95, Position.BELOW_998)


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    with cross_tenant(scope=SCOPE_CLUB, reason="indagini: confronti", acting_user=request.user):
        sets = selectors.comparable_sets()
    return render(request, "surveys/comparisons/index.html", {
        "sets": sets, "nav_section": MEMBERS_SECTION, "min_sample": selectors.min_sample(),
    })


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def comparison(request: HttpRequest, version_id: int, year: int) -> HttpResponse:
    if not selectors.YEARS[0] <= year <= selectors.YEARS[1]:
        raise Http404(_("Anno non valido."))
    version = selectors.version_get(version_id)
    group = selectors.peer_group_get(request.GET.get("gruppo"))
    measure = request.GET.get("misura") or selectors.INDEX
    reason = f"indagini: confronto {version.pk}/{year}"
    with cross_tenant(scope=SCOPE_CLUB, reason=reason, acting_user=request.user):
        if request.GET.get("export") == "csv":
            headers, rows = exports.comparison_table(selectors.all_measures(version, year, group=group))
            response = HttpResponse(italian_csv(headers, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="confronto-indagini-{version.questionnaire.code}-v{version.number}-{year}.csv"'
            )
            return response
        number = _page_number(request.GET.get("pagina"))
        result = selectors.comparison(
            version, year, measure_code=measure, group=group, viewer=request.municipality,
            offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
        )
        if not result.rows and result.total:  # past the last page: the last one
            number = -(-result.total // PAGE_SIZE)
            result = selectors.comparison(
                version, year, measure_code=measure, group=group, viewer=request.municipality,
                offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
            )
        groups = selectors.peer_groups()
    page = Paginator(_Fetched(result), PAGE_SIZE).get_page(number)
    dots, dots_text = charts.dot_and_whisker(result, sorted(result.rows + result.own, key=lambda row: row.order))
    funnel, funnel_text = charts.funnel(result)
    query = request.GET.copy()
    query.pop("pagina", None)
    query.pop("export", None)
    return render(request, "surveys/comparisons/comparison.html", {
        "nav_section": MEMBERS_SECTION, "result": result, "page": page, "groups": groups,
        "dots": dots, "dots_text": dots_text, "funnel": funnel, "funnel_text": funnel_text,
        "query": query.urlencode(), "position_label": exports.position_label,
        "rows": [(row, exports.position_label(row.position)) for row in result.rows],
        "own": [(row, exports.position_label(row.position), -(-row.order // PAGE_SIZE)) for row in result.own],
        "positions": [(exports.position_label(code), result.positions.get(code, 0)) for code in POSITIONS],
    })


def _page_number(raw: str | None) -> int:
    """`?pagina=`: a whole number from 1; anything else is the first page."""
    raw = raw or "1"
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) else 1


class _Fetched:
    """The page the database returned, seen by Django's Paginator as the whole list."""

    def __init__(self, result: selectors.Comparison):
        self.result = result

    def count(self) -> int:
        return self.result.total

    def __getitem__(self, _slice):
        return self.result.rows
