"""Pages at the counter: paper and interview entry, kiosks (the officer's list
and the tablet's page), answer-file import. HTTP only: the rules live in
`kiosk`, `entry`, `imports` and `fieldwork.services`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qclub.models import Municipality
from qclub.permissions import Action, requires
from qclub.tenancy import acting_for
from surveys.counter import entry, imports, kiosk
from surveys.fieldwork.answering import DONT_KNOW
from surveys.fieldwork.services import questions_of, record_response
from surveys.models import KioskDevice, Survey
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import CHOICE_KINDS, localized

KIOSK_COOKIE = "qclub_postazione"
ENTRY_MODES = (Mode.PAPER, Mode.COUNTER)


def _survey(public_id) -> Survey:
    """The active comune's survey (another comune's answers 404)."""
    return get_object_or_404(Survey.objects.select_related("version__questionnaire"), public_id=public_id)


def _errors_of(error: ValidationError) -> dict[str, str]:
    """A refusal as {field: message}; one without fields under "__all__"."""
    if hasattr(error, "error_dict"):
        return {code: " ".join(texts) for code, texts in error.message_dict.items()}
    return {"__all__": " ".join(error.messages)}


# --- Paper and counter entry -----------------------------------------------------------


def _entry_fields(survey: Survey) -> list[entry.EntryField]:
    core, local = questions_of(survey)
    return entry.entry_fields(
        [*core, *local], dont_know_word=_("n = non so"), several_word=_("più numeri separati da spazi")
    )


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def entry_page(request: HttpRequest, survey_id) -> HttpResponse:
    survey = _survey(survey_id)
    modes = [mode for mode in ENTRY_MODES if mode in survey.modes]
    fields = _entry_fields(survey)
    source = request.POST if request.method == "POST" else request.GET
    mode = source.get("modalita") if source.get("modalita") in modes else (modes[0] if modes else "")
    today = timezone.localdate()
    day_text = (source.get("data") or "").strip()
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    number_text = ""
    if request.method == "POST":
        number_text = (request.POST.get("numero") or "").strip()
        values = {field.name: request.POST.get(field.name, "") for field in fields}
        number = None
        if not number_text:
            errors["number"] = _("Scrivere il numero del questionario.")
        elif not number_text.isdigit() or len(number_text) > 9:
            errors["number"] = _("Il numero del questionario è un numero intero.")
        else:
            number = int(number_text)
        try:
            received_on = datetime.date.fromisoformat(day_text) if day_text else today
        except ValueError:
            errors["received_on"] = _("Data non valida.")
        if not mode:
            errors["__all__"] = _("Questa indagine non raccoglie questionari cartacei né interviste allo sportello.")
        if not errors:
            try:
                response = record_response(
                    survey=survey,
                    mode=mode,
                    answers=entry.raw_answers(fields, request.POST),
                    number=number,
                    received_on=received_on,
                    acting_user=request.user,
                )
            except ValidationError as error:
                errors = _errors_of(error)
            else:
                messages.success(
                    request, _("Questionario numero %(number)s registrato.") % {"number": response.number}
                )
                query = f"?modalita={mode}&dopo={response.number}"
                if day_text:
                    query += f"&data={day_text}"
                return redirect(reverse("surveys:counter_entry", args=[survey.public_id]) + query)
    after = request.GET.get("dopo", "")
    suggested = int(after) + 1 if after.isdigit() and len(after) < 10 else entry.next_number(survey)
    field_errors = {field.name: errors[field.code] for field in fields if field.code in errors}
    known = {field.code for field in fields} | {"number", "received_on"}
    general = [message for code, message in errors.items() if code not in known]
    context = {
        "survey": survey,
        "fields": [(field, values.get(field.name, ""), field_errors.get(field.name)) for field in fields],
        "modes": [(value, Mode(value).label) for value in modes],
        "mode": mode,
        "day": day_text or today.isoformat(),
        "today": today.isoformat(),
        "number": number_text if request.method == "POST" else str(suggested),
        "number_error": errors.get("number"),
        "day_error": errors.get("received_on"),
        "general_errors": general,
        "has_errors": bool(errors),
        "last": entry.last_numbers(survey),
    }
    return render(request, "surveys/counter/entry.html", context, status=400 if errors else 200)


# --- Kiosks: the officer's page ----------------------------------------------------


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def kiosks(request: HttpRequest, survey_id) -> HttpResponse:
    survey = _survey(survey_id)
    errors: dict[str, str] = {}
    name, days = "", 30
    if request.method == "POST":
        name = request.POST.get("name", "")
        days_text = request.POST.get("days", "")
        days = int(days_text) if days_text.isdigit() and len(days_text) < 4 else 0
        try:
            device, secret = kiosk.start_kiosk(survey=survey, name=name, days=days, acting_user=request.user)
        except ValidationError as error:
            errors = _errors_of(error)
        else:
            # This device becomes the kiosk: the officer is signed out, so the
            # tablet left at the counter opens nothing but the faces.
            logout(request)
            response = redirect("surveys:kiosk")
            response.set_cookie(
                KIOSK_COOKIE,
                f"{survey.municipality_id}:{secret}",
                max_age=int((device.expires_at - timezone.now()).total_seconds()),
                secure=request.is_secure(),
                httponly=True,
                samesite="Strict",
            )
            return response
    context = {
        "survey": survey,
        "devices": KioskDevice.objects.filter(survey=survey).select_related("started_by", "revoked_by")[:50],
        "day_choices": kiosk.KIOSK_DAYS,
        "days": days,
        "name": name,
        "errors": errors,
        "kiosk_mode": Mode.KIOSK in survey.modes,
    }
    return render(request, "surveys/counter/kiosks.html", context, status=400 if errors else 200)


@login_required
@requires(Action.RUN_SURVEYS)
@require_POST
def kiosk_revoke(request: HttpRequest, survey_id, device_id) -> HttpResponse:
    survey = _survey(survey_id)
    device = get_object_or_404(KioskDevice, survey=survey, public_id=device_id)
    kiosk.revoke_kiosk(device=device, acting_user=request.user)
    messages.success(request, _("La postazione «%(name)s» è stata revocata.") % {"name": device.name})
    return redirect("surveys:counter_kiosks", survey.public_id)


# --- Kiosks: the tablet's page (no one signed in) -------------------------------------


def _kiosk_device(request: HttpRequest):
    """(comune, device) from the tablet's cookie, or (None, None)."""
    value = request.COOKIES.get(KIOSK_COOKIE, "")
    comune_id, _sep, secret = value.partition(":")
    if not comune_id.isdigit() or len(comune_id) > 12 or not secret:
        return None, None
    municipality = Municipality.objects.filter(pk=int(comune_id)).first()
    if municipality is None:
        return None, None
    with acting_for(municipality):
        return municipality, kiosk.find_device(secret)


def _kiosk_render(request, template, context, status=200):
    return render(request, f"surveys/counter/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
def kiosk_page(request: HttpRequest) -> HttpResponse:
    municipality, device = _kiosk_device(request)
    if device is None or not device.is_active:
        return _kiosk_render(request, "kiosk_off.html", {}, status=403)
    with acting_for(municipality):
        survey = device.survey
        items = kiosk.faces_items(survey)
        if items is None or not survey.accepts_answers or Mode.KIOSK not in survey.modes:
            return _kiosk_render(request, "kiosk_off.html", {"closed": True}, status=403)
        context = {"survey": survey, "municipality": municipality, "reasons": items.reasons()}
        if request.method == "GET":
            return _kiosk_render(request, "kiosk.html", context)
        face = request.POST.get("volto", "")
        if face not in kiosk.FACES:
            return HttpResponseBadRequest(_("Scegliere una delle tre facce."))
        if face == kiosk.NEGATIVE and items.reason is not None and "motivo" not in request.POST:
            return _kiosk_render(request, "kiosk_reason.html", context)
        reason = request.POST.get("motivo", "")
        try:
            kiosk.record_kiosk_answer(device=device, face=face, reason="" if reason == "-" else reason)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            status = 429 if isinstance(error, kiosk.KioskBusy) else 400
            return _kiosk_render(request, "kiosk.html", context, status=status)
    return redirect("surveys:kiosk_thanks")


def kiosk_thanks(request: HttpRequest) -> HttpResponse:
    municipality, device = _kiosk_device(request)
    if device is None:
        raise Http404
    return _kiosk_render(request, "kiosk_thanks.html", {"municipality": municipality})


# --- Import --------------------------------------------------------------------------


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, survey_id) -> HttpResponse:
    survey = _survey(survey_id)
    problems: list[imports.Problem] = []
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            problems = [imports.Problem(None, "", _("Scegliere il file da caricare."))]
        else:
            try:
                pending = imports.stage_import(survey=survey, uploaded_file=uploaded, acting_user=request.user)
            except imports.ImportRefused as refused:
                problems = refused.problems
            else:
                return redirect("surveys:counter_import_review", survey.public_id, pending.public_id)
    return render(
        request,
        "surveys/counter/import_upload.html",
        {"survey": survey, "problems": problems, "questions": imports.all_questions(survey)},
        status=400 if problems else 200,
    )


def _mapping_rows(pending, questions):
    """Each file column with its target and, for choice and scale questions,
    its values with what each means."""
    by_code = {q.code: q for q in questions}
    rows = []
    for index, name in enumerate(pending.header):
        column = str(index)
        target = pending.mapping.get(column, "")
        question = by_code.get(target)
        values = None
        too_many = False
        if question is not None and imports.needs_values(question):
            distinct = imports.distinct_values(pending, index)
            too_many = distinct is None
            chosen = pending.value_maps.get(column, {})
            values = [(position, value, chosen.get(value, "")) for position, value in enumerate(distinct or [])]
        rows.append({"index": column, "name": name or _("(senza nome)"), "target": target,
                     "question": question, "values": values, "too_many": too_many,
                     "meanings": _meanings(question) if question is not None else []})
    return rows


def _meanings(question) -> list[tuple[str, str]]:
    """What a file value can be said to mean for the question: its options,
    or its scale points with their words, and "non so" where allowed."""
    if question.kind in CHOICE_KINDS:
        choices = [(o["code"], localized(o.get("label"), "it")) for o in question.options or ()]
    else:
        labels = question.point_labels or {}
        choices = [
            (str(point), f"{point}" + (f" – {localized(labels.get(str(point)), 'it')}" if labels.get(str(point)) else ""))
            for point in range(question.scale_min or 0, (question.scale_max or 0) + 1)
        ]
    if question.allows_dont_know:
        choices.append((DONT_KNOW, _("non so / non applicabile")))
    return choices


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, survey_id, pending_id) -> HttpResponse:
    survey = _survey(survey_id)
    pending = imports.pending_get(public_id=pending_id, survey=survey, user=request.user)
    questions = imports.all_questions(survey)
    mapping_errors: dict[str, str] = {}
    problems: list[imports.Problem] = []
    status = 200
    if request.method == "POST" and request.POST.get("azione") == "conferma":
        try:
            responses = imports.confirm_import(pending=pending, acting_user=request.user)
        except imports.ImportRefused as refused:
            problems, status = refused.problems, 400
        else:
            messages.success(request, _("Importati %(n)s questionari.") % {"n": len(responses)})
            return redirect("surveys:counter_import", survey.public_id)
    elif request.method == "POST":
        mapping = {str(i): request.POST.get(f"col-{i}", "") for i in range(len(pending.header))}
        value_maps: dict[str, dict[str, str]] = {}
        for i in range(len(pending.header)):
            distinct = imports.distinct_values(pending, i) or []
            chosen = {value: request.POST.get(f"val-{i}-{k}", "") for k, value in enumerate(distinct)}
            value_maps[str(i)] = {value: meaning for value, meaning in chosen.items() if meaning}
        try:
            imports.save_mapping(pending=pending, mapping=mapping, value_maps=value_maps, acting_user=request.user)
        except ValidationError as error:
            mapping_errors = _errors_of(error)
            status = 400
        else:
            return redirect("surveys:counter_import_review", survey.public_id, pending.public_id)
    preview = imports.preview(pending) if not mapping_errors else None
    rows = _mapping_rows(pending, questions)
    for row in rows:
        row["error"] = mapping_errors.get(row["index"])
    context = {
        "survey": survey,
        "pending": pending,
        "rows": rows,
        "questions": questions,
        "targets": [(imports.NUMBER, _("Numero del questionario")), (imports.DATE, _("Data di compilazione"))],
        "preview": preview,
        "problems": problems,
        "sample": pending.rows[:3],
    }
    return render(request, "surveys/counter/import_review.html", context, status=status)
