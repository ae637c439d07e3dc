"""Pages of the PDF reports (members only) and of open-data publication
(the area's coordinators)."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from benchmarking.models import Campaign
from benchmarking.opendata import selectors as open_data
from benchmarking.opendata import services as opendata
from benchmarking.periods import Period
from benchmarking.reports import selectors as report_jobs
from benchmarking.reports import services as reports
from qclub.models import Municipality, ThematicArea
from qclub.modules import MEMBERS_SECTION
from qclub.permissions import Action, can, check, requires


def _area_and_period(area_code: str, period_code: str) -> tuple[ThematicArea, Period]:
    area = get_object_or_404(ThematicArea, code=area_code)
    try:
        period = Period.parse(period_code)
    except ValueError:
        raise Http404(_("Periodo non valido.")) from None
    return area, period


def _member_comune(slug: str) -> Municipality:
    """A comune of the club (only members' figures are shared), else 404."""
    return get_object_or_404(Municipality, slug=slug, status=Municipality.Status.MEMBER)


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(Campaign.objects.select_related("area").order_by("-period_year", "-period_index", "area__position")[:40])
    comuni = list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"))
    return render(request, "benchmarking/reports/index.html", {
        "campaigns": [
            (c, can(request.user, Action.PUBLISH_RANKINGS, area=c.area)) for c in campaigns
        ],
        "comuni": comuni,
        "nav_section": MEMBERS_SECTION,
    })


def _generate(request: HttpRequest, kind: str, area: ThematicArea, period: Period, target: Municipality | None):
    """A GET shows the start page, a POST queues the report as a job. There is
    no way to render a PDF inside the request: every report goes through the
    queue and its per-comune cap (`reports.request_report`)."""
    if request.method == "GET":
        return _start_page(request, kind, area, period, target)
    return _queue(request, kind, area, period, target)


def _start_page(request, kind, area, period, target, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "benchmarking/reports/start.html", {
        "kind": kind, "area": area, "period": period, "target": target, "error": error,
        "nav_section": MEMBERS_SECTION,
    }, status=status)


def _queue(request, kind, area, period, target) -> HttpResponse:
    """Queue the report and go to its page; 429 on the start page when the
    comune already has as many reports in preparation as it may."""
    try:
        public_id = reports.request_report(
            municipality=request.municipality, kind=kind, area=area, period=period, target=target,
            acting_user=request.user,
        )
    except reports.ReportQueueFull as error:
        return _start_page(request, kind, area, period, target, error=" ".join(error.messages), status=429)
    return redirect("benchmarking:report_job", job=public_id)


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_http_methods(["GET", "POST"])
def area_report(request: HttpRequest, area_code: str, period_code: str) -> HttpResponse:
    area, period = _area_and_period(area_code, period_code)
    return _generate(request, reports.AREA, area, period, None)


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_http_methods(["GET", "POST"])
def scorecard_report(request: HttpRequest, slug: str, area_code: str, period_code: str) -> HttpResponse:
    area, period = _area_and_period(area_code, period_code)
    return _generate(request, reports.SCORECARD, area, period, _member_comune(slug))


@login_required
@requires(Action.VIEW_MEMBERS_AREA)
@require_http_methods(["GET", "POST"])
def scorecard_choice(request: HttpRequest) -> HttpResponse:
    """The index page's form (comune, area, period) lands here and moves on."""
    data = request.POST if request.method == "POST" else request.GET
    target = _member_comune(data.get("comune", ""))
    area, period = _area_and_period(data.get("area", ""), data.get("period", ""))
    url = reverse("benchmarking:report_scorecard", args=[target.slug, area.code, period.code])
    if request.method == "POST":
        return _queue(request, reports.SCORECARD, area, period, target)
    return redirect(url)


def _report_job_or_404(request: HttpRequest, job: uuid.UUID) -> report_jobs.ReportJob:
    """The report this user asked for, acting for the comune they act for now;
    404 for anyone else's, even of the same comune."""
    found = report_jobs.report_job_get(municipality=request.municipality, user=request.user, public_id=job)
    if found is None:
        raise Http404(_("Rapporto non trovato."))
    return found


@login_required
@require_GET
def job(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    status = _report_job_or_404(request, job)
    return render(request, "benchmarking/reports/job.html", {
        "job": job, "status": status, "nav_section": MEMBERS_SECTION,
    })


@login_required
@require_GET
def job_status(request: HttpRequest, job: uuid.UUID) -> HttpResponse:
    """The htmx fragment: progress while running, the link when done. When the
    job has finished the fragment carries no `hx-trigger`, so polling stops."""
    status = _report_job_or_404(request, job)
    return render(request, "benchmarking/reports/_job_status.html", {"job": job, "status": status})


@login_required
@require_GET
def download(request: HttpRequest, job: uuid.UUID) -> FileResponse:
    found = _report_job_or_404(request, job)
    try:
        if found.status != report_jobs.DONE:
            raise FileNotFoundError(found.path)
        pdf = found.path.open("rb")
    except FileNotFoundError:  # not ready, or deleted by the nightly expiry meanwhile
        raise Http404(_("Rapporto non trovato.")) from None
    return FileResponse(pdf, as_attachment=True, filename=found.filename, content_type="application/pdf")


# --- Open data: publication by the area's coordinator -------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, public_id) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("area"), public_id=public_id)
    check(request.user, Action.PUBLISH_RANKINGS, area=campaign.area)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "publish")
        embargo = None
        if request.POST.get("embargo_until"):
            try:
                embargo = datetime.date.fromisoformat(request.POST["embargo_until"])
            except ValueError:
                errors["embargo_until"] = _("Scrivi la data come gg/mm/aaaa.")
        if request.POST.get("confirm") != "on":
            errors["confirm"] = _("Conferma di voler procedere.")
        if not errors:
            try:
                if action == "withdraw":
                    opendata.withdraw_open_data(campaign, request.user)
                    messages.success(request, _("I dati non sono più pubblicati come dati aperti."))
                else:
                    opendata.publish_open_data(campaign, request.user, embargo_until=embargo)
                    messages.success(request, _("Area e periodo pubblicati come dati aperti."))
                return redirect("benchmarking:publish", public_id=campaign.public_id)
            except ValidationError as error:
                errors["embargo_until"] = " ".join(error.messages)
    return render(request, "benchmarking/reports/publish.html", {
        "campaign": campaign, "errors": errors, "data": request.POST, "nav_section": MEMBERS_SECTION,
        "is_public": open_data.is_public(campaign),
    }, status=400 if errors else 200)
