"""Pages of online collection: the public questionnaire (no login), its
thank-you page, and the officer's page of invitations, QR code and poster."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from qclub.antispam import over_rate_limit
from qclub.permissions import Action, requires
from qclub.tenancy import acting_for
from surveys.collection import selectors, services
from surveys.collection.forms import AnswerForm, InvitationForm, raw_answers
from surveys.collection.poster import poster_pdf, qr_svg
from surveys.models import Invitation, Survey

ANSWERED_COOKIE = "qc_indagini"
ANSWERED_SALT = "surveys.collection.answered"
ANSWERED_MAX_AGE = 366 * 24 * 3600
ANSWERED_KEEP = 30  # survey ids remembered per browser


def _answered(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(ANSWERED_COOKIE, default="", salt=ANSWERED_SALT)
    return [part for part in value.split(",") if part]


def _remember_answered(response: HttpResponse, request: HttpRequest, survey: Survey) -> None:
    """One answer per browser per survey: a signed cookie listing the surveys
    answered (their public ids only; nothing kept on the server)."""
    ids = [part for part in _answered(request) if part != survey.public_id.hex]
    ids = [*ids, survey.public_id.hex][-ANSWERED_KEEP:]
    response.set_signed_cookie(
        ANSWERED_COOKIE,
        ",".join(ids),
        salt=ANSWERED_SALT,
        max_age=ANSWERED_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _language(request: HttpRequest, survey: Survey) -> tuple[selectors.Language, list]:
    languages = selectors.languages_of(survey)
    asked = (request.POST.get("lingua") or request.GET.get("lingua") or "").strip()
    chosen = next((language for language in languages if language.code == asked), None)
    if chosen is None:
        current = translation.get_language() or "it"
        chosen = next((language for language in languages if language.code == current), languages[0])
    return chosen, languages


def _chrome_language(code: str) -> str:
    """The page's own texts follow the questionnaire's language where the site has it."""
    available = {language for language, _name in settings.LANGUAGES}
    return code if code in available else (translation.get_language() or settings.LANGUAGE_CODE)


def _invitation_state(survey: Survey, token: str) -> str:
    """"" (no invitation), "valid" or "used" (also for an unknown token)."""
    if not token:
        return ""
    with acting_for(survey.municipality_id):
        invitation = (
            Invitation.objects.filter(
                survey=survey, sent=True, token_hash=services.hash_token(token[:200])
            )
            .only("used")
            .first()
        )
    return "valid" if invitation is not None and not invitation.used else "used"


def _state_page(request, survey, language, languages, state: str, *, status: int = 200):
    return render(
        request,
        "surveys/collection/state.html",
        {"survey": survey, "municipality": survey.municipality, "state": state,
         "survey_language": language, "survey_languages": languages},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The public questionnaire of a survey (no login)."""
    survey = selectors.public_survey(public_id)
    if survey is None:
        raise Http404(_("Questa indagine non esiste o non è pubblica."))
    language, languages = _language(request, survey)
    with translation.override(_chrome_language(language.code)):
        state = selectors.collecting_state(survey)
        if state != selectors.OPEN:
            status = 409 if request.method == "POST" else 200
            return _state_page(request, survey, language, languages, state, status=status)
        token = (request.POST.get("invito") or request.GET.get("invito") or "").strip()[:200]
        invitation = _invitation_state(survey, token)
        if invitation == "used":
            status = 409 if request.method == "POST" else 200
            return _state_page(request, survey, language, languages, "invitation_used", status=status)
        if not invitation and survey.public_id.hex in _answered(request):
            status = 409 if request.method == "POST" else 200
            return _state_page(request, survey, language, languages, "answered", status=status)
        sections = selectors.form_sections(
            survey, language.code, local_title=_("Altre domande del Comune")
        )
        questions = [question for section in sections for question in section.questions]
        raw: dict = {}
        errors: dict[str, list[str]] = {}
        if request.method == "POST":
            form = AnswerForm(request.POST, request=request)
            raw = raw_answers(request.POST, questions)
            if form.is_valid():
                if over_rate_limit(
                    request,
                    f"surveys:answer:{survey.public_id}",
                    limit=settings.SURVEYS_ANSWERS_PER_HOUR,
                    window_seconds=3600,
                ):
                    return _state_page(request, survey, language, languages, "too_many", status=429)
                try:
                    with acting_for(survey.municipality_id):
                        services.submit_online(
                            survey=survey, answers=raw, language=language.code,
                            invitation_token=token,
                        )
                except ValidationError as refused:
                    errors = refused.message_dict
                else:
                    response = redirect(
                        reverse("surveys:answer_thanks", args=[survey.public_id])
                        + f"?lingua={language.code}"
                    )
                    _remember_answered(response, request, survey)
                    return response
            else:
                errors = {"__all__": form.non_field_errors()}
        else:
            form = AnswerForm(initial={"lingua": language.code, "invito": token})
        summary = [(None, message) for message in errors.get("__all__", [])]
        for question in questions:
            for message in errors.get(question.code, []):
                summary.append((question, message))
        return render(
            request,
            "surveys/collection/answer.html",
            {
                "survey": survey,
                "municipality": survey.municipality,
                "form": form,
                "sections": sections,
                "raw": raw,
                "errors": {code: messages_[0] for code, messages_ in errors.items() if messages_},
                "summary": summary,
                "survey_language": language,
                "survey_languages": languages,
                "invitation": invitation,
                "token": token,
            },
            status=400 if request.method == "POST" else 200,
        )


@require_GET
def answer_thanks(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = selectors.public_survey(public_id)
    if survey is None:
        raise Http404(_("Questa indagine non esiste o non è pubblica."))
    language, languages = _language(request, survey)
    with translation.override(_chrome_language(language.code)):
        return _state_page(request, survey, language, languages, "thanks")


@require_GET
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The poster's short link: on to the survey's full public link."""
    survey = selectors.survey_by_short_code(code[:40])
    if survey is None:
        raise Http404(_("Questo collegamento non corrisponde a nessuna indagine pubblica."))
    return redirect("surveys:answer", public_id=survey.public_id)


# --- The officer's side ------------------------------------------------------------


def _own_survey(public_id: uuid.UUID) -> Survey:
    """A survey of the active comune (another comune's: 404, by row-level security)."""
    return get_object_or_404(Survey.objects.select_related("municipality"), public_id=public_id)


def _public_link(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("surveys:answer", args=[survey.public_id]))


def _short_link(request: HttpRequest, survey: Survey) -> str:
    """The link to print, without the scheme: host/indagini/rispondi/<10 characters>/."""
    link = request.build_absolute_uri(
        reverse("surveys:answer_short", args=[selectors.short_code(survey.public_id)])
    )
    return link.split("://", 1)[-1]


@login_required
@requires(Action.RUN_SURVEYS)
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = _own_survey(public_id)
    form = InvitationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.create_invitations(
                survey=survey,
                addresses=form.addresses_given(),
                acting_user=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            count = batch.invitations.count()
            messages.success(
                request,
                _("%(count)s inviti in partenza: gli indirizzi vengono cancellati appena inviati.")
                % {"count": count},
            )
            return redirect("surveys:invitations", public_id=survey.public_id)
    link = _public_link(request, survey)
    return render(
        request,
        "surveys/collection/invitations.html",
        {
            "survey": survey,
            "form": form,
            "counts": selectors.invitation_counts(survey),
            "link": link,
            "short_link": _short_link(request, survey),
            "collecting": selectors.collecting_state(survey),
            "nav_section": "surveys",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def qr_code(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = _own_survey(public_id)
    svg = qr_svg(_public_link(request, survey), title=survey.title)
    response = HttpResponse(svg, content_type="image/svg+xml")
    if request.GET.get("scarica"):
        response["Content-Disposition"] = f'attachment; filename="qr-indagine-{survey.public_id}.svg"'
    return response


@login_required
@requires(Action.RUN_SURVEYS)
@require_GET
def poster(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    survey = _own_survey(public_id)
    link = _public_link(request, survey)
    pdf = poster_pdf(
        survey=survey,
        municipality=survey.municipality,
        link=link,
        short_link=_short_link(request, survey),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="locandina-indagine-{survey.public_id}.pdf"'
    return response
