"""A comune's surveys, under /indagini/: the list, a new survey (with the
proposed sample), its page (settings, progress toward the target by mode,
questions, status and history), its settings while in preparation, its own
questions after the club's core, and each status change after a
confirmation page. Officers and managers of the comune (`RUN_SURVEYS`);
another comune's survey is not found. Writes go through `fieldwork.services`."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qclub.forms import show_service_errors
from qclub.permissions import Action, can, requires
from surveys.fieldwork import selectors, services
from surveys.fieldwork.forms import LocalQuestionForm, SampleForm, SurveyForm
from surveys.models import Answer, LocalQuestion, Survey
from surveys.results import selectors as results_selectors

PER_PAGE = 20
Status = Survey.Status


@dataclass(frozen=True)
class StatusAction:
    slug: str
    to_status: str
    from_status: str
    label: str
    explanation: str
    needs_reason: bool
    publishes: bool = False


# The status changes offered on a survey's page, each with its confirmation
# page; the rule (which moves exist, which need a reason) is `services.TRANSITIONS`.
STATUS_ACTIONS = {
    action.slug: action
    for action in (
        StatusAction("avvia", Status.OPEN, Status.DRAFT, gettext_lazy("Avvia la raccolta"),
                     gettext_lazy("Da ora l'indagine raccoglie risposte nelle modalità scelte. Le impostazioni e "
                                  "le domande non si potranno più cambiare."), False),
        StatusAction("chiudi", Status.CLOSED, Status.OPEN, gettext_lazy("Chiudi la raccolta"),
                     gettext_lazy("Non si accetteranno più risposte. I risultati diventano leggibili dagli altri "
                                  "comuni del club nell'area riservata, mai le singole risposte."), False),
        StatusAction("pubblica", Status.PUBLISHED, Status.CLOSED, gettext_lazy("Pubblica i risultati"),
                     gettext_lazy("I risultati saranno pubblici sulla pagina del comune, leggibili da tutti i "
                                  "cittadini. Le singole risposte restano riservate."), False, publishes=True),
        StatusAction("riapri", Status.OPEN, Status.CLOSED, gettext_lazy("Riapri la raccolta"),
                     gettext_lazy("L'indagine tornerà a raccogliere risposte. Il motivo resta nella storia "
                                  "dell'indagine, con il tuo nome e la data."), True),
        StatusAction("ritira", Status.CLOSED, Status.PUBLISHED, gettext_lazy("Ritira la pubblicazione"),
                     gettext_lazy("I risultati non saranno più pubblici. Il motivo resta nella storia "
                                  "dell'indagine, con il tuo nome e la data."), True, publishes=True),
    )
}


def _actions_for(request: HttpRequest, survey: Survey) -> list[StatusAction]:
    allowed = set(services.allowed_statuses(survey))
    may_publish = can(request.user, Action.PUBLISH_SURVEYS, municipality=request.municipality)
    return [
        action for action in STATUS_ACTIONS.values()
        if action.from_status == survey.status and action.to_status in allowed
        and (may_publish or not action.publishes)
    ]


def _proposal(form: SurveyForm) -> int | None:
    """The sample proposed for what the form holds (typed, or stored)."""
    data = form.data if form.is_bound else {
        name: form.initial.get(name) for name in ("population_served", "confidence", "margin")
        if form.initial.get(name) is not None
    }
    sample = SampleForm(data)
    return sample.proposal() if sample.is_valid() else None


def _survey(request: HttpRequest, public_id, *, for_update: bool = False) -> Survey:
    return selectors.survey_for(request.municipality, public_id, for_update=for_update)


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.surveys_of(request.municipality), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "surveys/fieldwork/list.html", {"page": page})


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, initial={"confidence": 95, "margin": 5})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survey = services.create_survey(
                    municipality=request.municipality, version=form.cleaned_data["version"],
                    acting_user=request.user, **form.settings(),
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Indagine creata, in preparazione: controlla le domande, poi avvia la raccolta."))
                return redirect("surveys:survey", public_id=survey.public_id)
        status = 400
    return render(request, "surveys/fieldwork/form.html", {
        "form": form, "survey": None, "proposal": _proposal(form),
    }, status=status)


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def sample_proposal(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the sample proposed for the population, confidence and
    margin typed so far (also reached without JavaScript: a plain page)."""
    form = SampleForm(request.GET)
    proposal = form.proposal() if form.is_valid() else None
    return render(request, "surveys/fieldwork/_sample.html",
                  {"sample_form": form, "proposal": proposal, "sample_invalid": not form.is_valid()},
                  status=200 if form.is_valid() else 400)


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def survey_detail(request: HttpRequest, public_id) -> HttpResponse:
    survey = _survey(request, public_id)
    events = selectors.history(survey)
    return render(request, "surveys/fieldwork/detail.html", {
        "survey": survey,
        "progress": selectors.progress(survey),
        "history": [(event, selectors.person_name(event.by)) for event in events],
        "actions": _actions_for(request, survey),
        "core_count": selectors.core_question_count(survey),
        "local_questions": selectors.local_questions(survey),
        "editable": survey.status == Status.DRAFT,
        "can_publish": can(request.user, Action.PUBLISH_SURVEYS, municipality=request.municipality),
        "mode_labels": selectors.mode_labels(survey),
        "language_names": selectors.language_names(survey),
        "comments_to_moderate": (
            None if survey.status == Status.DRAFT
            else results_selectors.moderation_counts(survey)[Answer.Moderation.PENDING]
        ),
    })


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_edit(request: HttpRequest, public_id) -> HttpResponse:
    survey = _survey(request, public_id)
    if survey.status != Status.DRAFT:
        messages.info(request, _("Le impostazioni si cambiano solo mentre l'indagine è in preparazione."))
        return redirect("surveys:survey", public_id=survey.public_id)
    initial = {name: getattr(survey, name) for name in services.SETTING_FIELDS}
    initial.update(revision=survey.revision, confidence=95, margin=5)
    form = SurveyForm(request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_survey(
                    survey=survey, revision=form.cleaned_data["revision"] or 0,
                    acting_user=request.user, **form.settings(),
                )
            except services.StaleSurvey as error:
                # Keep what was typed; show the stored values beside it.
                form.add_error(None, error.messages)
                survey.refresh_from_db()
                form.data = form.data.copy()
                form.data["revision"] = survey.revision  # saving again overwrites, knowingly
                status = 409
            except ValidationError as error:
                show_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Impostazioni dell'indagine salvate."))
                return redirect("surveys:survey", public_id=survey.public_id)
        else:
            status = 400
    return render(request, "surveys/fieldwork/form.html", {
        "form": form, "survey": survey, "stale": status == 409,
        "proposal": _proposal(form),
    }, status=status)


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_status(request: HttpRequest, public_id, action: str) -> HttpResponse:
    """The confirmation page of a status change (a reason where one is needed)."""
    survey = _survey(request, public_id)
    step = STATUS_ACTIONS.get(action)
    if step is None:
        raise Http404
    note = request.POST.get("note", "")[:2000] if request.method == "POST" else ""
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.change_status(survey=survey, to_status=step.to_status, note=note, acting_user=request.user)
        except ValidationError as error:
            errors = error.messages
            status = 400
        else:
            messages.success(request, _("Fatto: l'indagine ora è «%(status)s».")
                             % {"status": Status(step.to_status).label})
            return redirect("surveys:survey", public_id=survey.public_id)
    return render(request, "surveys/fieldwork/status.html", {
        "survey": survey, "step": step, "note": note, "errors": errors,
        "possible": step.from_status == survey.status, "progress": selectors.progress(survey),
    }, status=status)


def _local(survey: Survey, code: str) -> LocalQuestion:
    return get_object_or_404(LocalQuestion, survey=survey, code=code)


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def local_question_add(request: HttpRequest, public_id) -> HttpResponse:
    survey = _survey(request, public_id)
    form = LocalQuestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_local_question(survey=survey, acting_user=request.user, **form.question_data())
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Domanda aggiunta dopo quelle del questionario del club."))
                return redirect("surveys:survey", public_id=survey.public_id)
        status = 400
    return render(request, "surveys/fieldwork/local_form.html", {"form": form, "survey": survey, "question": None},
                  status=status)


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def local_question_edit(request: HttpRequest, public_id, code: str) -> HttpResponse:
    survey = _survey(request, public_id)
    question = _local(survey, code)
    form = LocalQuestionForm(request.POST or None, initial=LocalQuestionForm.initial_for(question), editing=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_local_question(question=question, acting_user=request.user, **form.question_data())
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Domanda aggiornata."))
                return redirect("surveys:survey", public_id=survey.public_id)
        status = 400
    return render(request, "surveys/fieldwork/local_form.html", {"form": form, "survey": survey, "question": question},
                  status=status)


@login_required
@requires(Action.RUN_SURVEYS)
@require_POST
def local_question_move(request: HttpRequest, public_id, code: str) -> HttpResponse:
    survey = _survey(request, public_id)
    question = _local(survey, code)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_local_question(question=question, offset=offset, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{survey_url(survey)}#local-questions")


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "HEAD", "POST"])
def local_question_delete(request: HttpRequest, public_id, code: str) -> HttpResponse:
    survey = _survey(request, public_id)
    question = _local(survey, code)
    if request.method == "POST":
        try:
            services.delete_local_question(question=question, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Domanda tolta dall'indagine."))
        return redirect("surveys:survey", public_id=survey.public_id)
    return render(request, "surveys/fieldwork/local_delete.html", {"survey": survey, "question": question})


def survey_url(survey: Survey) -> str:
    return reverse("surveys:survey", kwargs={"public_id": survey.public_id})
