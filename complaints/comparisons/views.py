"""Members area: complaint handling compared across comuni (counts and rates only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.comparisons import selectors
from complaints.models import Category
from qclub.modules import MEMBERS_SECTION
from qclub.permissions import Action, requires

PAGE_SIZE = 50


class _Fetched:
    """The page the database returned, seen by Django's Paginator as the whole list."""

    def __init__(self, comparison: selectors.Comparison):
        self.comparison = comparison

    def count(self) -> int:
        return self.comparison.total

    def __getitem__(self, _slice):
        return self.comparison.rows


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    years = selectors.years_available(user=request.user)
    try:
        year = int(request.GET.get("anno") or years[min(1, len(years) - 1)])
    except ValueError:
        raise Http404(_("Anno non valido.")) from None
    if year not in years:
        raise Http404(_("Anno non valido."))
    categories = list(Category.objects.all())
    code = request.GET.get("categoria", "")
    category = next((c for c in categories if c.code == code), None)
    if code and category is None:
        raise Http404(_("Categoria non trovata."))
    number = request.GET.get("pagina", "1")
    number = int(number) if number.isascii() and number.isdigit() and 0 < len(number) < 7 and int(number) else 1
    comparison = selectors.compare(year=year, category=category, user=request.user,
                                   municipality=request.municipality, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if not comparison.rows and comparison.total:  # past the last page: the last one
        number = -(-comparison.total // PAGE_SIZE)
        comparison = selectors.compare(year=year, category=category, user=request.user,
                                       municipality=request.municipality, offset=(number - 1) * PAGE_SIZE,
                                       limit=PAGE_SIZE)
    page = Paginator(_Fetched(comparison), PAGE_SIZE).get_page(number)
    return render(request, "complaints/comparisons/compare.html", {
        "nav_section": MEMBERS_SECTION, "comparison": comparison, "page": page, "years": years,
        "categories": categories, "year": year, "category": category,
        "what": selectors.describe(comparison), "pagina": number,
        "query": f"anno={year}&categoria={category.code if category else ''}",
    })
