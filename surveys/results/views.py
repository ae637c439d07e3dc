"""The comune's results pages: results, computing on demand (with a job's
progress), population cells for weighting, the comments' moderation queue,
and the raw-answers export. Staff of the comune only (`Action.RUN_SURVEYS`);
another comune's survey is not found (row-level security: 404)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qclub.exports import italian_csv_lines, to_xlsx
from qclub.jobs import job_state
from qclub.permissions import Action, requires
from qclub.tenancy import acting_for
from surveys.models import Answer, PopulationCell, Survey
from surveys.models.answers import questions_of
from surveys.models.questionnaires import Question
from surveys.results import aggregates, charts, exports, selectors, services, tables
from surveys.results.selectors import option_label


def _survey(survey_id: uuid.UUID) -> Survey:
    return get_object_or_404(Survey.objects.select_related("version__questionnaire"), public_id=survey_id)


def _url(name: str, survey: Survey, **kwargs) -> str:
    return reverse(f"surveys:{name}", kwargs={"survey_id": survey.public_id, **kwargs})


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def results_page(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _survey(survey_id)
    data = selectors.results(survey)
    scale_items = [item for item in data.items if item.is_scale and item.overall is not None]
    means = charts.means_chart(scale_items)
    matrix = charts.matrix_chart(data.matrix)
    job_id = request.GET.get("lavoro", "")
    return render(request, "surveys/results/results.html", {
        "survey": survey,
        "data": data,
        "means": means,
        "item_rows": tables.item_rows(data.items, weighted=data.has_weighted, previous=data.previous is not None),
        "distributions": tables.distributions(data.items),
        "matrix_chart": matrix,
        "quadrants": selectors.QUADRANTS,
        "job_id": int(job_id) if job_id.isdigit() else None,
        "counts": selectors.moderation_counts(survey),
        "min_group": settings.SURVEY_MIN_GROUP_SIZE,
        "inline": data.responses <= settings.SURVEY_RESULTS_INLINE_LIMIT,
        "xlsx_allowed": data.responses <= settings.SURVEY_EXPORT_INLINE_LIMIT,
    })


@login_required
@requires(Action.RUN_SURVEYS)
@require_POST
def compute(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _survey(survey_id)
    job_id = services.request_results(survey=survey, acting_user=request.user)
    if job_id is None:
        messages.success(request, _("Risultati ricalcolati."))
        return redirect(_url("results", survey))
    messages.info(request, _("Il calcolo è in corso: la pagina mostra l'avanzamento."))
    return redirect(_url("results", survey) + f"?lavoro={job_id}")


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def job(request: HttpRequest, survey_id: uuid.UUID, job_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    state = job_state(municipality=request.municipality, job_id=job_id)
    if state is None:
        raise Http404(_("Calcolo non trovato."))
    return render(request, "surveys/results/_job.html", {"survey": survey, "state": state, "job_id": job_id})


def _population_grid(survey: Survey):
    core, _local = questions_of(survey)
    age = next((q for q in core if q.profile == Question.Profile.AGE_BAND), None)
    gender = next((q for q in core if q.profile == Question.Profile.GENDER), None)
    return age, gender


def _whole(text: str) -> int | None:
    text = (text or "").strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError
    return int(text)


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def population(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _survey(survey_id)
    age, gender = _population_grid(survey)
    if age is None or gender is None:
        return render(request, "surveys/results/population.html", {"survey": survey, "impossible": True})
    stored = {(c.age_band, c.gender): c.count for c in PopulationCell.objects.filter(survey=survey)}
    values = {key: ("" if count is None else str(count)) for key, count in stored.items()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        cells = {}
        for a in age.option_codes:
            for g in gender.option_codes:
                name = f"cella-{a}-{g}"
                raw = request.POST.get(name, "")
                values[(a, g)] = raw
                try:
                    cells[(a, g)] = _whole(raw)
                except ValueError:
                    errors[name] = _("Indicare un numero intero di persone, zero o più.")
        if not errors:
            try:
                services.save_population(survey=survey, cells=cells, acting_user=request.user)
            except ValidationError as error:
                for key, message in error.message_dict.items():
                    errors["cella-" + key.replace("|", "-")] = " ".join(message)
            else:
                messages.success(request, _("Popolazione salvata. Ricalcolare i risultati per aggiornare le cifre ponderate."))
                return redirect(_url("results-population", survey))
    rows = [
        (option_label(age, a), [
            (f"cella-{a}-{g}", option_label(gender, g), values.get((a, g), ""), errors.get(f"cella-{a}-{g}"))
            for g in gender.option_codes
        ])
        for a in age.option_codes
    ]
    genders = [option_label(gender, g) for g in gender.option_codes]
    _weighting, strata, left_out = selectors.weighting_detail(survey)
    return render(request, "surveys/results/population.html", {
        "survey": survey, "rows": rows, "genders": genders, "errors": errors,
        "strata": strata, "left_out": left_out,
    }, status=400 if errors else 200)


MODERATION_STATES = {
    "da-moderare": Answer.Moderation.PENDING,
    "approvati": Answer.Moderation.APPROVED,
    "nascosti": Answer.Moderation.HIDDEN,
}


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def moderation(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = _survey(survey_id)
    state_name = request.GET.get("stato", "da-moderare")
    if state_name not in MODERATION_STATES:
        raise Http404(_("Elenco non trovato."))
    page_text = request.GET.get("pagina", "1")
    page = selectors.moderation_queue(
        survey, state=MODERATION_STATES[state_name], page=int(page_text) if page_text.isdigit() else 1
    )
    counts = selectors.moderation_counts(survey)
    core, local = questions_of(survey)
    labels = {("c", q.pk): str(q) for q in core} | {("l", q.pk): str(q) for q in local}
    return render(request, "surveys/results/moderation.html", {
        "survey": survey,
        "page": page,
        "comments": [
            (c, labels.get(("c", c.answer.question_id) if c.answer.question_id else ("l", c.answer.local_question_id), ""))
            for c in page.object_list
        ],
        "state_name": state_name,
        "states": [
            ("da-moderare", _("Da moderare")), ("approvati", _("Approvati")), ("nascosti", _("Nascosti")),
        ],
        "counts": {name: counts[value] for name, value in MODERATION_STATES.items()},
    })


@login_required
@requires(Action.RUN_SURVEYS)
@require_POST
def moderate(request: HttpRequest, survey_id: uuid.UUID, answer_id: uuid.UUID) -> HttpResponse:
    survey = _survey(survey_id)
    decision = request.POST.get("decisione", "")
    state_name = request.POST.get("stato", "da-moderare")
    page = request.POST.get("pagina", "1")
    try:
        services.moderate_comment(
            survey=survey, answer_id=answer_id,
            decision={"approva": services.APPROVE, "nascondi": services.HIDE}.get(decision, decision),
            seen=request.POST.get("visto", ""),
            shown_text=request.POST.get("testo") if decision == "approva" else None,
            acting_user=request.user,
        )
    except ValidationError as error:
        transaction.set_rollback(True)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Commento approvato.") if decision == "approva" else _("Commento nascosto."))
    if state_name not in MODERATION_STATES:
        state_name = "da-moderare"
    page = page if page.isdigit() else "1"
    return redirect(_url("results-moderation", survey) + f"?stato={state_name}&pagina={page}#commenti")


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def export(request: HttpRequest, survey_id: uuid.UUID, fmt: str) -> HttpResponse:
    survey = _survey(survey_id)
    filename = f"risposte-{survey.year}-{survey.public_id}"
    headers = exports.headers(survey)
    if fmt == "csv":
        municipality_id = survey.municipality_id

        def stream():
            # The response is iterated after the request's transaction ended:
            # the rows are read in a transaction of their own, for the comune.
            with acting_for(municipality_id), transaction.atomic():
                yield from italian_csv_lines(headers, exports.rows(survey))

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        if aggregates.response_count(survey=survey) > settings.SURVEY_EXPORT_INLINE_LIMIT:
            return HttpResponseBadRequest(
                _("Troppe risposte per un file Excel scaricato dalla pagina: scaricare il CSV.")
            )
        content = to_xlsx(headers, exports.rows(survey), _("Risposte"), default_title="Risposte")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404(_("Formato non disponibile."))
