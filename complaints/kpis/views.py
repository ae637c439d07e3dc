"""The comune's complaint KPIs: trend over the years (SVG with a table), one
year broken down by category, service and channel, the «Aggiorna» button
(recompute now), and publishing the yearly report on the public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from complaints import policy
from complaints.kpis import selectors, services
from complaints.kpis.svg import trend_chart
from qclub.permissions import Action, requires


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if services.FIRST_YEAR <= year <= policy.today().year else None


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    data = selectors.comune_kpis(request.municipality, year=_year(request.GET.get("anno")))
    charts = [
        (title, mark_safe(trend_chart(points, title=title, unit=unit)))  # noqa: S308 (escaped inside)
        for title, points, unit in (
            (_("Reclami ogni 10.000 abitanti, per anno"), [(k.year, k.per_10000) for k in data.years], ""),
            (_("Reclami con risposta entro lo standard (%), per anno"),
             [(k.year, k.answered_on_time) for k in data.years], " %"),
        )
    ]
    return render(request, "complaints/kpis/kpis.html", {
        "nav_section": "complaints", "data": data, "charts": [(title, chart) for title, chart in charts if chart],
        "this_year": policy.today().year,
        "dimensions": [
            (_("Per categoria"), data.breakdown["category"]),
            (_("Per servizio"), data.breakdown["service"]),
            (_("Per canale"), data.breakdown["channel"]),
        ],
    })


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    this_year = policy.today().year
    scope = request.POST.get("anni")
    years = list(range(this_year - 4, this_year + 1)) if scope == "cinque" else [this_year]
    try:
        services.refresh_figures(municipality=request.municipality, years=years, user=request.user)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    messages.success(request, _("Indicatori aggiornati."))
    return redirect("complaints:kpis")


@login_required
@requires(Action.HANDLE_COMPLAINTS)
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    year = _year(request.POST.get("anno"))
    if year is None:
        return HttpResponseBadRequest(_("Anno non valido."))
    withdraw = request.POST.get("cosa") == "ritira"
    try:
        if withdraw:
            services.withdraw_report(municipality=request.municipality, year=year, user=request.user)
        else:
            services.publish_report(municipality=request.municipality, year=year, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Relazione %(year)s ritirata dalla pagina pubblica.") % {"year": year} if withdraw
                         else _("Relazione %(year)s pubblicata sulla pagina pubblica del comune.") % {"year": year})
    return redirect(f"{reverse('complaints:kpis')}?anno={year}")
