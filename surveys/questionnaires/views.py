"""The club's questionnaires, under /indagini/questionari/: everyone with a
role reads them (texts in every language); the coordinators of the
questionnaire's area make a new version, edit a draft's questions and put a
draft in use. Writes go through `questionnaires.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qclub.forms import show_service_errors
from qclub.permissions import Action, can, requires
from surveys.models import Question
from surveys.questionnaires import selectors, services
from surveys.questionnaires.forms import NewVersionForm, QuestionForm

PER_PAGE = 25


def _nav_section(request: HttpRequest) -> str:
    """The header marks «Questionari» for those who see that entry (coordinators)
    and «Indagini di soddisfazione» for the officers who reach them from a survey."""
    return "surveys-questionnaires" if can(request.user, Action.MANAGE_QUESTIONNAIRES) else "surveys"


@login_required
@requires(Action.VIEW_DASHBOARD)
@require_http_methods(["GET", "HEAD"])
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.questionnaires(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "surveys/questionnaires/list.html", {
        "nav_section": _nav_section(request), "page": page,
    })


@login_required
@requires(Action.VIEW_DASHBOARD)
@require_http_methods(["GET", "HEAD"])
def questionnaire_detail(request: HttpRequest, code: str) -> HttpResponse:
    questionnaire = selectors.questionnaire(code)
    current = selectors.current_version(questionnaire)
    if current is None:
        raise Http404(_("Il questionario non ha ancora nessuna versione."))
    return redirect("surveys:questionnaire_version", code=code, number=current.number)


@login_required
@requires(Action.VIEW_DASHBOARD)
@require_http_methods(["GET", "HEAD"])
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    questionnaire = selectors.questionnaire(code)
    version = selectors.version(questionnaire, number)
    languages = selectors.languages()
    return render(request, "surveys/questionnaires/version.html", {
        "nav_section": _nav_section(request),
        "questionnaire": questionnaire,
        "version": version,
        "versions": questionnaire.versions.order_by("-number"),
        "draft": selectors.draft_of(questionnaire),
        "sections": selectors.sections_with_questions(version),
        "survey_languages": languages,
        "can_manage": services.can_manage(request.user, questionnaire),
        "frozen": services.is_frozen(version),
        "problems": services.version_problems(version) if version.status == "draft" else [],
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_new(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then copy the version in use into a new draft."""
    questionnaire = selectors.questionnaire(code)
    services.check_manage(request.user, questionnaire)
    draft = selectors.draft_of(questionnaire)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and draft is None and form.is_valid():
        try:
            draft = services.start_draft(
                questionnaire=questionnaire, acting_user=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Creata la versione %(n)d, in preparazione: ora puoi modificarne le domande.")
                             % {"n": draft.number})
            return redirect("surveys:questionnaire_version", code=code, number=draft.number)
    return render(request, "surveys/questionnaires/version_new.html", {
        "nav_section": _nav_section(request),
        "questionnaire": questionnaire, "draft": draft, "form": form,
        "current": selectors.current_version(questionnaire),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: HttpRequest, code: str, number: int, question_code: str) -> HttpResponse:
    """A draft's question: texts per language and settings. A frozen version's
    questions are changed in a new version (the page says so and links it)."""
    questionnaire = selectors.questionnaire(code)
    services.check_manage(request.user, questionnaire)
    version = selectors.version(questionnaire, number)
    if services.is_frozen(version):
        draft = selectors.draft_of(questionnaire)
        if draft is not None:
            return redirect("surveys:questionnaire_question", code=code, number=draft.number,
                            question_code=question_code)
        return redirect("surveys:questionnaire_version_new", code=code)
    question = get_object_or_404(Question, version=version, code=question_code)
    languages = selectors.languages()
    form = QuestionForm(
        request.POST or None, question=question, languages=languages,
        initial=QuestionForm.initial_for(question, languages, services.question_fingerprint(question)),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit_question(
                    question=question, acting_user=request.user, seen=form.cleaned_data["seen"],
                    **form.changes(),
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Domanda aggiornata nella versione %(n)d.") % {"n": version.number})
                return redirect("surveys:questionnaire_version", code=code, number=version.number)
        status = 400
    return render(request, "surveys/questionnaires/question_form.html", {
        "nav_section": _nav_section(request),
        "questionnaire": questionnaire, "version": version, "question": question, "form": form,
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def version_activate(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Confirm, then put a draft in use (the version in use is retired)."""
    questionnaire = selectors.questionnaire(code)
    services.check_manage(request.user, questionnaire)
    version = selectors.version(questionnaire, number)
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.activate(version=version, acting_user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("La versione %(n)d è ora in uso: le nuove indagini la useranno.")
                             % {"n": version.number})
            return redirect("surveys:questionnaire_version", code=code, number=version.number)
    return render(request, "surveys/questionnaires/version_activate.html", {
        "nav_section": _nav_section(request),
        "questionnaire": questionnaire, "version": version, "current": selectors.current_version(questionnaire),
        "errors": errors or (services.version_problems(version) if version.status == "draft" else []),
    }, status=400 if errors else 200)
