"""Members area: service charters compared across comuni (one service: who
promises what, how ambitious, how often met). Members and coordinators of a
member comune only (`Action.VIEW_MEMBERS_AREA`); every read of other comuni
inside the audited club scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from qclub.exports import italian_csv, to_xlsx
from qclub.modules import MEMBERS_SECTION
from qclub.permissions import Action, requires
from servicecharters.comparisons import selectors

PAGE_SIZE = 20
EXPORT_LIMIT = 500  # comuni in one export: the whole club, bounded


class _Fetched:
    """The page the database returned, seen by Django's Paginator as the whole list."""

    def __init__(self, comparison: selectors.Comparison):
        self.comparison = comparison

    def count(self) -> int:
        return self.comparison.total

    def __getitem__(self, _slice):
        return self.comparison.comuni


def _page_number(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) else 1


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("servizio", "")
    years = selectors.years_offered()
    raw_year = request.GET.get("anno") or str(selectors.default_year())
    if not (raw_year.isascii() and raw_year.isdigit() and int(raw_year) in years):
        raise Http404(_("Anno non valido."))
    year = int(raw_year)
    with selectors.club_read(f"carte dei servizi: confronto {code}", request.user):
        services = selectors.services_compared()
        groups = selectors.peer_groups()
        if not code:
            return render(request, "servicecharters/comparisons/compare.html", {
                "nav_section": MEMBERS_SECTION, "services": services, "groups": groups, "years": years,
                "year": year, "comparison": None,
            })
        service = selectors.service_get(code)
        group = selectors.peer_group_get(request.GET.get("gruppo"))
        export = request.GET.get("export", "")
        if export in ("csv", "xlsx"):
            comparison = selectors.compare(service=service, year=year, group=group,
                                           viewer=request.municipality, limit=EXPORT_LIMIT)
            headers, rows = selectors.export_table(comparison)
            name = f"confronto-carte-{service.code}-{year}"
            if export == "csv":
                response = HttpResponse(italian_csv(headers, rows), content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(
                    to_xlsx(headers, rows, _("Carte dei servizi"), default_title="Carte"),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
            return response
        number = _page_number(request.GET.get("pagina", "1"))
        comparison = selectors.compare(service=service, year=year, group=group, viewer=request.municipality,
                                       offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        if not comparison.comuni and comparison.total:  # past the last page: the last one
            number = -(-comparison.total // PAGE_SIZE)
            comparison = selectors.compare(service=service, year=year, group=group, viewer=request.municipality,
                                           offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    page = Paginator(_Fetched(comparison), PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("pagina", None)
    query.pop("export", None)
    return render(request, "servicecharters/comparisons/compare.html", {
        "nav_section": MEMBERS_SECTION, "services": services, "groups": groups, "years": years, "year": year,
        "comparison": comparison, "page": page, "query": query.urlencode(),
    })
