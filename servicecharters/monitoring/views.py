"""The yearly monitoring of a comune's charter: the years (computed or not,
published or not), one year's results beside the promises with their trend,
the values entered by hand (edit conflicts: 409, what was typed is kept),
computing again, and publishing (the manager, after a confirmation). Every
change goes through `monitoring.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qclub.permissions import Action, can, requires
from servicecharters.charters import selectors as charters
from servicecharters.models import MonitoringReport, ServiceCharter
from servicecharters.monitoring import selectors, services
from servicecharters.monitoring.forms import ResultForm
from servicecharters.monitoring.svg import sparkline
from servicecharters.standards import links
from servicecharters.standards.forms import apply_errors

NAV = "servicecharters"


def _charter(public_id) -> ServiceCharter:
    return charters.charter_get(public_id)


def _year(charter: ServiceCharter, year: int) -> int:
    if not selectors.year_allowed(charter, year):
        raise Http404(_("Per quell'anno questa carta non ha nulla da monitorare."))
    return year


def _year_url(charter: ServiceCharter, year: int) -> str:
    return reverse("servicecharters:monitoring", args=[charter.public_id, year])


def _context(charter: ServiceCharter) -> dict:
    return {
        "nav_section": NAV, "charter": charter, "charter_url": links.charter_url(charter),
        "list_url": reverse("servicecharters:monitoring_list", args=[charter.public_id]),
    }


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def monitoring_list(request: HttpRequest, public_id) -> HttpResponse:
    charter = _charter(public_id)
    lines = selectors.year_lines(charter)
    computable = set(selectors.computable_years(charter))
    return render(request, "servicecharters/monitoring/list.html", {
        **_context(charter), "lines": lines,
        "computable": [line.year for line in lines if not line.published and line.year in computable],
    })


def _page(request: HttpRequest, charter: ServiceCharter, year: int, *, bound: ResultForm | None = None,
          status: int = 200) -> HttpResponse:
    view = selectors.year_view(charter, year)
    editable = view.report is not None and view.report.published_at is None
    for row in view.rows:
        row.sparkline = mark_safe(sparkline(  # noqa: S308 - built from numbers, the title escaped inside
            [(p.year, p.value, p.met) for p in row.trend],
            title="; ".join(f"{p.year}: {p.text} ({p.verdict})" for p in row.trend),
        ))
        row.form = None
        if editable and row.result is not None and row.entered_by_hand:
            row.form = bound if bound is not None and bound.result_id == row.result.pk else ResultForm(result=row.result)
    return render(request, "servicecharters/monitoring/year.html", {
        **_context(charter), "view": view, "year": year, "editable": editable,
        "can_publish": can(request.user, Action.APPROVE_CHARTERS, municipality=request.municipality),
        "plan_new_url": links.url_or_empty("complaints:plan_new"),
        "version_url": links.version_url(view.version) if view.version else "",
    }, status=status)


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_GET
def monitoring(request: HttpRequest, public_id, year: int) -> HttpResponse:
    charter = _charter(public_id)
    return _page(request, charter, _year(charter, year))


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_POST
def monitoring_compute(request: HttpRequest, public_id) -> HttpResponse:
    """Compute (or compute again) a year, at once: a charter has a few standards."""
    charter = _charter(public_id)
    raw = request.POST.get("anno", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None
    if year is None or year not in selectors.computable_years(charter):
        messages.error(request, _("Scegli un anno in cui la carta era in vigore e che si è concluso."))
        return render(request, "servicecharters/monitoring/refused.html", _context(charter), status=400)
    try:
        services.compute_year(charter=charter, year=year, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "servicecharters/monitoring/refused.html", {
            **_context(charter), "year_url": _year_url(charter, year),
        }, status=400)
    messages.success(request, _("Monitoraggio %(year)s calcolato.") % {"year": year})
    return redirect(_year_url(charter, year))


@login_required
@requires(Action.DRAFT_CHARTERS)
@require_POST
def monitoring_enter(request: HttpRequest, public_id, year: int, result_id) -> HttpResponse:
    """A value entered by hand, with its evidence."""
    charter = _charter(public_id)
    report = selectors.report_get(charter, _year(charter, year))
    if report is None:
        raise Http404(_("Valore non trovato."))
    result = selectors.result_get(report, result_id)
    form = ResultForm(request.POST, result=result)
    status = 400
    if form.is_valid():
        try:
            services.enter_result(
                result=result, actual_value=form.cleaned_data["actual_value"],
                evidence=form.cleaned_data["evidence"], lock_version=form.cleaned_data["lock_version"],
                acting_user=request.user,
            )
        except services.StaleResult as error:
            # What was typed stays in the form, now against the saved version
            # (shown on the page beside it): saving again overwrites it.
            result.refresh_from_db()
            data = request.POST.copy()
            data[form.add_prefix("lock_version")] = str(result.lock_version)
            form = ResultForm(data, result=result)
            form.is_valid()
            apply_errors(form, error)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
            if getattr(error, "code", None) in ("published", "computed"):
                # The page shows no form for this value any more: say why at the top.
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Valore salvato: «%(title)s».") % {"title": result.standard.title})
            return redirect(f"{_year_url(charter, year)}#standard-{result.standard.public_id}")
    return _page(request, charter, year, bound=form, status=status)


@login_required
@requires(Action.APPROVE_CHARTERS)
@require_http_methods(["GET", "POST"])
def monitoring_publish(request: HttpRequest, public_id, year: int) -> HttpResponse:
    """Publishing a year's monitoring: a confirmation page first."""
    charter = _charter(public_id)
    report: MonitoringReport | None = selectors.report_get(charter, _year(charter, year))
    if report is None:
        raise Http404(_("Il monitoraggio di quest'anno non è ancora stato calcolato."))
    error = ""
    if request.method == "POST":
        try:
            services.publish_report(report=report, acting_user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Monitoraggio %(year)s pubblicato: ora lo leggono i cittadini e gli altri comuni.")
                             % {"year": year})
            return redirect(_year_url(charter, year))
    view = selectors.year_view(charter, year)
    return render(request, "servicecharters/monitoring/publish.html", {
        **_context(charter), "view": view, "year": year, "report": report, "error": error,
        "year_url": _year_url(charter, year),
    }, status=400 if error else 200)
