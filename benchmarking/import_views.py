"""File import pages: download a template, upload it back (HTTP only; the
rules are in benchmarking.imports and benchmarking.services)."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from benchmarking import imports, services
from benchmarking.models import Campaign
from qclub.permissions import Action, requires

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File da importare"),
        help_text=gettext_lazy(
            "Il modello compilato, in formato CSV UTF-8 (separatore punto e virgola) o Excel .xlsx; "
            "al massimo 2 MB e 5.000 righe."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + XLSX_TYPE}),
    )


def _open_campaign(public_id: uuid.UUID) -> Campaign:
    """The campaign, if it is collecting data (404 otherwise)."""
    campaign = get_object_or_404(Campaign.objects.select_related("area"), public_id=public_id)
    if campaign.status != Campaign.Status.OPEN:
        raise Http404(_("La campagna è chiusa."))
    return campaign


def _submission_url(campaign: Campaign) -> str:
    try:
        return reverse("benchmarking:submission", args=[campaign.public_id])
    except NoReverseMatch:  # the data-entry page is not there yet
        return reverse("benchmarking:index")


def _download(content: bytes, content_type: str, campaign: Campaign, request: HttpRequest, ext: str) -> HttpResponse:
    name = slugify(f"modello-{campaign.area.code}-{campaign.period.label}-{request.municipality.slug}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@requires(Action.ENTER_DATA)
@require_GET
def template_csv(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _open_campaign(public_id)
    # Acting for request.municipality (TenancyMiddleware): always the own submission.
    submission = services.start_submission(campaign)
    return _download(imports.template_csv(submission), "text/csv; charset=utf-8", campaign, request, "csv")


@login_required
@requires(Action.ENTER_DATA)
@require_GET
def template_xlsx(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _open_campaign(public_id)
    submission = services.start_submission(campaign)
    return _download(imports.template_xlsx(submission), XLSX_TYPE, campaign, request, "xlsx")


@login_required
@requires(Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _open_campaign(public_id)
    submission = services.start_submission(campaign)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems: list[imports.ImportProblem] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcome = imports.import_file(submission, form.cleaned_data["file"], request.user)
        except imports.ImportRefused as refused:
            problems = refused.errors
        except (ValidationError, PermissionDenied) as error:
            problems = [imports.ImportProblem(None, "", message) for message in getattr(error, "messages", [str(error)])]
        else:
            changed = len(outcome.changed)
            if changed:
                messages.success(request, ngettext(
                    "File importato: %(n)d valore modificato.",
                    "File importato: %(n)d valori modificati.", changed,
                ) % {"n": changed})
            else:
                messages.info(request, _("File importato: nessun valore è cambiato."))
            return redirect(_submission_url(campaign))
    if request.method == "POST":
        status = 400
    return render(request, "benchmarking/import/upload.html", {
        "campaign": campaign,
        "submission": submission,
        "editable": submission.status in services.EDITABLE,
        "form": form,
        "problems": problems,
        "back_url": _submission_url(campaign),
    }, status=status)
