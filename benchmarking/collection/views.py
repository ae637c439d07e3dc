"""A comune's data collection pages: its rounds, data entry, value history, file
import (template download and upload) and submission. HTTP only: the rules are in
`collection.services` and `collection.validation`."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from benchmarking.catalogue.selectors import campaign_get
from benchmarking.collection import import_preview, imports, selectors, services, validation
from benchmarking.collection.forms import XLSX_TYPE, ImportForm
from benchmarking.collection.services import ConcurrentEdit, Entry
from benchmarking.models import Campaign, DataValue, Submission
from qclub.numbers import NumberError
from qclub.permissions import Action, can, requires


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    campaigns = list(selectors.recent_campaigns())
    lines = []
    if municipality is not None:
        submissions = selectors.own_submissions(campaigns)
        lines = [
            (c, submissions.get(c.pk), selectors.is_overdue(c, submissions.get(c.pk), municipality=municipality))
            for c in campaigns
        ]
    reviews: dict[int, bool] = {}  # one permission check per area, not per campaign
    for c in campaigns:
        if c.area_id not in reviews:
            reviews[c.area_id] = can(request.user, Action.REVIEW_SUBMISSIONS, area=c.area)
    coordinated = [c for c in campaigns if reviews[c.area_id]]
    return render(request, "benchmarking/index.html", {
        "lines": lines,
        "coordinated": coordinated,
        "can_enter": can(request.user, Action.ENTER_DATA, municipality=municipality),
    })


def _entries_from_post(post, rows: list[DataValue]) -> tuple[dict[str, Entry], dict[str, list[str]]]:
    """Read the form: every row's state, figure, note, estimate flag,
    justification and the version the person saw. Errors by element code."""
    entries: dict[str, Entry] = {}
    errors: dict[str, list[str]] = {}
    for row in rows:
        code = row.element.code
        if f"s-{code}" not in post:
            continue  # not on the form that was sent: leave it alone
        try:
            state, value = validation.read_entry(row.element, post.get(f"s-{code}", ""), post.get(f"v-{code}", ""))
        except NumberError as error:
            errors[code] = [str(error)]
            continue
        try:
            seen = int(post.get(f"ver-{code}", ""))
        except ValueError:
            seen = -1  # a forged or broken form: treated as stale, never as "overwrite"
        entries[code] = Entry(
            state=state, value=value, note=post.get(f"n-{code}", "").strip(),
            estimated=post.get(f"e-{code}") == "on",
            justification=post.get(f"j-{code}", "").strip(), seen_version=seen,
        )
    return entries, errors


def _form_context(request, campaign, submission, *, typed=None, errors=None):
    groups = selectors.entry_rows(submission)
    rows = {row.value.element.code: row.value for _group, group_rows in groups for row in group_rows}
    checks = validation.live_checks(submission, rows, {}, {}, request.user)
    elsewhere = selectors.shared_elsewhere(submission, [row.element for row in rows.values()])
    shared_notes = {
        code: {
            "areas": sorted({copy.submission.campaign.area.name for copy in copies}),
            "locked": sorted({copy.submission.campaign.area.name for copy in copies if services.shared_locked(copy)}),
        }
        for code, copies in elsewhere.items()
    }
    for code, refused in (errors or {}).items():
        if code in checks:
            checks[code].errors = list(refused)  # why the save was refused
    return {
        **_check_summary(rows, checks),
        "campaign": campaign,
        "submission": submission,
        "groups": groups,
        "typed": typed or {},
        "errors": errors or {},
        "general_errors": (errors or {}).get("__all__", []),
        "shared_notes": shared_notes,
        "results": services.compute(campaign, rows),
        # Messages name a data element by its name, never by its code.
        "element_names": {code: value.element.name for code, value in rows.items()},
        "editable": submission.status in services.EDITABLE
        and campaign.accepts_values()
        and can(request.user, Action.ENTER_DATA, municipality=request.municipality),
        "closed": not campaign.accepts_values(),
        "actions": services.allowed_actions(submission, request.user),
        "managers": selectors.manager_names(request.municipality),
        "events": selectors.submission_events(submission),
        "overdue": selectors.is_overdue(campaign, submission, municipality=request.municipality),
        "conflicts": [],
        "can_share": can(request.user, Action.SUBMIT_DATA, municipality=request.municipality),
        "stored_results": selectors.stored_results(submission),
    }


def _typed_back(post) -> dict[str, dict[str, str]]:
    """What the person typed, to show it again when the save is refused:
    nothing entered is ever lost."""
    typed: dict[str, dict[str, str]] = {}
    for key, value in post.items():
        prefix, _sep, code = key.partition("-")
        if prefix in {"s", "v", "n", "e", "j"} and code:
            typed.setdefault(code, {})[prefix] = value
    return typed


@login_required
@requires(Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, public_id) -> HttpResponse:
    """The data-entry form of the active comune for one campaign. Reading it
    writes nothing: the submission is created by the first save."""
    campaign = campaign_get(public_id)
    sub = selectors.submission_or_blank(campaign, request.municipality)
    if request.method == "POST":
        rows = selectors.submission_values(sub)
        entries, errors = _entries_from_post(request.POST, rows)
        if not errors:
            try:
                with transaction.atomic():
                    outcome = services.save_values(sub, entries, request.user)
            except ValidationError as error:
                errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            except ConcurrentEdit as conflict:
                messages.error(request, str(conflict))
                context = _form_context(request, campaign, sub, typed=_typed_back(request.POST))
                context["conflicts"] = conflict.codes
                return render(request, "benchmarking/submission.html", context, status=409)
            else:
                if outcome.changed:
                    messages.success(request, ngettext(
                        "Bozza salvata: %(n)d valore aggiornato.", "Bozza salvata: %(n)d valori aggiornati.",
                        len(outcome.changed),
                    ) % {"n": len(outcome.changed)})
                else:
                    messages.info(request, _("Nessun valore modificato."))
                return redirect("benchmarking:submission", public_id=campaign.public_id)
        messages.error(request, _("Nulla è stato salvato: correggi i valori segnalati."))
        context = _form_context(request, campaign, sub, typed=_typed_back(request.POST), errors=errors)
        return render(request, "benchmarking/submission.html", context, status=400)
    return render(request, "benchmarking/submission.html", _form_context(request, campaign, sub))


@login_required
@requires(Action.ENTER_DATA)
@require_POST
def preview(request: HttpRequest, public_id) -> HttpResponse:
    """What is typed, unsaved, as the officer types (htmx): the indicators, and
    beside each field the hard rules that would block saving and the warnings
    saving would raise, through the same rules as the save
    (`validation.live_checks`). Writes nothing."""
    campaign = campaign_get(public_id)
    try:
        services.check_campaign_accepts_values(campaign)
    except ValidationError as closed:
        return HttpResponse(" ".join(closed.messages), status=409, content_type="text/plain; charset=utf-8")
    sub = selectors.submission_or_blank(campaign, request.municipality)
    rows = {row.element.code: row for row in selectors.submission_values(sub)}
    entries, errors = _entries_from_post(request.POST, list(rows.values()))
    merged = {code: entries.get(code, row) for code, row in rows.items()}
    checks = validation.live_checks(sub, rows, entries, errors, request.user)
    # A shared figure held by another area's sent or approved form (services.shared_locked).
    for code, copies in selectors.shared_elsewhere(sub, [row.element for row in rows.values()]).items():
        entry = entries.get(code)
        if entry is not None and entry.figure_differs_from(rows[code]) and any(map(services.shared_locked, copies)):
            checks[code].errors.append(_(
                "È un dato condiviso: non si può cambiare ora, perché la scheda di un'altra area che lo "
                "contiene è già inviata o approvata."
            ))
    # The field the person is typing in (sent by static/js/entry.js): its
    # messages are announced to screen readers, politely.
    typed_in = request.POST.get("campo", "").partition("-")[2]
    return render(request, "benchmarking/_preview.html", {
        "results": services.compute(campaign, merged), "preview_errors": errors, "live": True,
        "fields": [(code, rows[code], check) for code, check in checks.items()],
        **_check_summary(rows, checks),
        "announce": (typed_in, rows[typed_in], checks[typed_in]) if typed_in in rows else None,
        "element_names": {code: row.element.name for code, row in rows.items()},
    })


# The comune's own actions on its form, each confirmed on a page of its own first.
COMUNE_ACTIONS = (services.READY, services.SUBMIT)
def _check_summary(rows: dict[str, DataValue], checks: dict[str, validation.FieldCheck]) -> dict:
    """The indicators panel's list of fields to correct or justify."""
    problems = [(code, rows[code].element, check) for code, check in checks.items() if check.errors or check.warnings]
    return {
        "checks": checks,
        "refused_codes": {code for code, check in checks.items() if check.errors},
        "problems": problems,
        "blocking": sum(1 for _code, _element, check in problems if check.errors),
        "flagged": sum(1 for _code, _element, check in problems if check.warnings and not check.errors),
    }


@login_required
@requires(Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, public_id) -> HttpResponse:
    """The officer marks the active comune's form ready for the manager; the
    manager submits it. A confirmation page comes first (GET, or a POST without
    `confirm`), so it works without JavaScript; the POST with `confirm` acts."""
    campaign = campaign_get(public_id)
    sub = get_object_or_404(Submission.objects.select_related("campaign"), campaign=campaign)
    action = request.POST.get("action") or request.GET.get("azione") or services.SUBMIT
    if action not in COMUNE_ACTIONS:
        return HttpResponseBadRequest(_("Azione sconosciuta."))
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return render(request, "benchmarking/confirm_action.html", {
            "campaign": campaign, "submission": sub, "action": action,
            "allowed": action in services.allowed_actions(sub, request.user),
            "managers": selectors.manager_names(request.municipality),
            "closed": not campaign.accepts_values(),
        })
    try:
        services.transition(sub, action, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, {
            services.READY: _("Scheda segnata come pronta: il responsabile del comune riceve un avviso e la invia."),
            services.SUBMIT: _("Scheda inviata al coordinatore dell'area."),
        }[action])
    return redirect("benchmarking:submission", public_id=campaign.public_id)


@login_required
@require_POST
def visibility(request: HttpRequest, public_id) -> HttpResponse:
    """The manager chooses which results the club may see."""
    campaign = campaign_get(public_id)
    sub = get_object_or_404(Submission, campaign=campaign)
    choices = {}
    for raw in request.POST.getlist("indicator"):
        if raw.isdigit():
            choices[int(raw)] = request.POST.get(f"share-{raw}") == "on"
    changed = services.set_visibility(sub, choices, request.user)
    messages.success(request, ngettext(
        "Visibilità aggiornata: %(n)d risultato cambiato.", "Visibilità aggiornata: %(n)d risultati cambiati.", changed,
    ) % {"n": changed})
    return redirect("benchmarking:submission", public_id=campaign.public_id)


@login_required
@requires(Action.ENTER_DATA)
@require_GET
def value_history(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """Every change of one value of the active comune: who, when, old → new, why."""
    campaign = campaign_get(public_id)
    value, changes = selectors.value_history(campaign, code)
    return render(request, "benchmarking/history.html", {"campaign": campaign, "value": value, "changes": changes})


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
    submission = selectors.submission_or_blank(campaign, request.municipality)
    return _download(imports.template_csv(submission), "text/csv; charset=utf-8", campaign, request, "csv")


@login_required
@requires(Action.ENTER_DATA)
@require_GET
def template_xlsx(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _open_campaign(public_id)
    submission = selectors.submission_or_blank(campaign, request.municipality)
    return _download(imports.template_xlsx(submission), XLSX_TYPE, campaign, request, "xlsx")


@login_required
@requires(Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    campaign = _open_campaign(public_id)
    submission = selectors.submission_or_blank(campaign, request.municipality)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems: list[imports.ImportProblem] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            pending = import_preview.stage_import(submission, form.cleaned_data["file"], request.user)
        except imports.ImportRefused as refused:
            problems = refused.errors
        except (ValidationError, PermissionDenied) as error:
            problems = [imports.ImportProblem(None, "", message) for message in getattr(error, "messages", [str(error)])]
        else:
            return redirect("benchmarking:import_review", public_id=campaign.public_id, import_id=pending.public_id)
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


def _changed_message(names: list[str]) -> str:
    """«File importato: 3 valori modificati (A, B, C).» with at most ten names."""
    n = len(names)
    listed = ", ".join(names[:10])
    if n > 10:
        listed += " " + ngettext("e %(more)d altro", "e altri %(more)d", n - 10) % {"more": n - 10}
    return ngettext(
        "File importato: %(n)d valore modificato (%(names)s).",
        "File importato: %(n)d valori modificati (%(names)s).", n,
    ) % {"n": n, "names": listed}


@login_required
@requires(Action.ENTER_DATA)
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, public_id: uuid.UUID, import_id: uuid.UUID) -> HttpResponse:
    """What the uploaded file would change (GET), and the change once confirmed (POST)."""
    campaign = _open_campaign(public_id)
    submission = selectors.submission_or_blank(campaign, request.municipality)
    pending = import_preview.pending_get(import_id, campaign, request.user)
    problems: list[imports.ImportProblem] = []
    status = 200
    if request.method == "POST":
        try:
            outcome = import_preview.confirm_import(pending, submission, request.user)
        except imports.ImportRefused as refused:
            problems, status = refused.errors, 400
        except ValidationError as error:
            problems, status = [imports.ImportProblem(None, "", message) for message in error.messages], 400
        else:
            names = [row.element.name for row in selectors.submission_values(outcome.submission)
                     if row.element.code in set(outcome.changed)]
            if names:
                messages.success(request, _changed_message(names))
            else:
                messages.info(request, _("File importato: nessun valore è cambiato."))
            return redirect(_submission_url(campaign))
    differences = import_preview.import_differences(pending, submission)
    return render(request, "benchmarking/import/review.html", {
        "campaign": campaign,
        "pending": pending,
        "differences": differences,
        "problems": problems,
        "back_url": _submission_url(campaign),
        "upload_url": reverse("benchmarking:import", args=[campaign.public_id]),
    }, status=status)
