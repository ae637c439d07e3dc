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
    comparison = selectors.compare(year=year, category=category, user=request.user, municipality=request.municipality)
    page = Paginator(comparison.rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "complaints/comparisons/compare.html", {
        "nav_section": MEMBERS_SECTION, "comparison": comparison, "page": page, "years": years,
        "categories": categories, "year": year, "category": category,
        "what": selectors.describe(comparison),
        "query": f"anno={year}&categoria={category.code if category else ''}",
    })
