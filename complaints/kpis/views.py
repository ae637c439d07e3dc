"""The comune's complaint-handling KPIs page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complaints import policy
from complaints.kpis import selectors
from qclub.permissions import Action, requires


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    years = selectors.years_with_data() or [policy.today().year]
    raw = request.GET.get("anno", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    return render(request, "complaints/kpis.html", {
        "nav_section": "complaints", "years": years, "year": year,
        "kpis": selectors.kpis(municipality=request.municipality, year=year),
        "by_category": selectors.breakdown(year=year, by="category"),
        "by_service": selectors.breakdown(year=year, by="service"),
        "by_channel": selectors.breakdown(year=year, by="channel"),
    })
