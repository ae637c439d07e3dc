"""Reads of the club's questionnaires, for pages and API alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from surveys.models import Question, Questionnaire, QuestionnaireVersion, Section, SurveyLanguage

Status = QuestionnaireVersion.Status


def questionnaires():
    """Every questionnaire with its version in use and its draft (numbers)."""
    return (
        Questionnaire.objects.select_related("service")
        .annotate(
            active_number=Max("versions__number", filter=Q(versions__status=Status.ACTIVE)),
            draft_number=Max("versions__number", filter=Q(versions__status=Status.DRAFT)),
            version_count=Count("versions", distinct=True),
        )
        .order_by("-locked", "code")
    )


def questionnaire(code: str) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.select_related("service__area"), code=code)


def version(questionnaire: Questionnaire, number: int) -> QuestionnaireVersion:
    if not 0 < number < 32768:  # a version number is a small integer
        raise Http404
    return get_object_or_404(
        QuestionnaireVersion.objects.select_related("questionnaire__service__area"),
        questionnaire=questionnaire,
        number=number,
    )


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    """The version in use, else the latest."""
    versions = QuestionnaireVersion.objects.filter(questionnaire=questionnaire)
    return versions.filter(status=Status.ACTIVE).first() or versions.order_by("-number").first()


def draft_of(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(questionnaire=questionnaire, status=Status.DRAFT).first()


def sections_with_questions(version: QuestionnaireVersion) -> list[Section]:
    """The version's sections in order, each with `questions` prefetched (in
    order, with their service and paired satisfaction item): three queries."""
    questions = Question.objects.select_related("service", "importance_of").order_by("position")
    return list(
        Section.objects.filter(version=version)
        .order_by("position")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def languages() -> list[SurveyLanguage]:
    return list(SurveyLanguage.objects.order_by("position", "code"))


def active_versions():
    """The versions a comune may run a survey on: those in use."""
    return (
        QuestionnaireVersion.objects.filter(status=Status.ACTIVE)
        .select_related("questionnaire__service")
        .order_by("-questionnaire__locked", "questionnaire__code")
    )


@dataclass(frozen=True)
class LanguageText:
    language: SurveyLanguage
    text: str


def texts_in(texts: dict | None, languages: list[SurveyLanguage]) -> list[LanguageText]:
    """A texts object as (language, text) in the languages' order; missing ones left out."""
    texts = texts or {}
    return [LanguageText(language, texts[language.code]) for language in languages if texts.get(language.code)]
