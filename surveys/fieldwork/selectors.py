"""Reads of a comune's surveys, for pages, API and the dashboard card alike.
Everything reads the active comune's rows (tenant manager + row-level
security); another comune's survey is simply not found (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from surveys.models import LocalQuestion, Question, Response, Survey, SurveyEvent, SurveyLanguage
from surveys.models.fieldwork import Mode
from surveys.questionnaires.sampling import margin_of_error

Status = Survey.Status


def response_count():
    """The number of responses of each survey, as a subquery (a GROUP BY on a
    tenant table would need its whole composite key)."""
    counted = (
        Response.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def surveys_of(municipality):
    """The comune's surveys, newest first, with their number of responses."""
    return (
        Survey.objects.filter(municipality=municipality)
        .select_related("version__questionnaire", "service")
        .annotate(response_count=response_count())
        .order_by("-year", "-starts_on", "title", "pk")
    )


def survey_for(municipality, public_id, *, for_update: bool = False) -> Survey:
    queryset = Survey.objects.filter(municipality=municipality).select_related(
        "version__questionnaire__service", "service", "municipality"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, public_id=public_id)


@dataclass(frozen=True)
class ModeCount:
    mode: str
    label: str
    count: int


@dataclass(frozen=True)
class Progress:
    total: int
    target: int | None
    by_mode: list[ModeCount]
    margin: float | None  # the margin of error the answers so far give (95 %, p = 0.5)

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.total / self.target))

    @property
    def margin_points(self) -> float | None:
        return None if self.margin is None else round(self.margin * 100, 1)


def progress(survey: Survey) -> Progress:
    """Responses toward the target sample, by mode: one query."""
    counts = dict(
        Response.objects.filter(survey=survey).values_list("mode").annotate(n=Count("id")).values_list("mode", "n")
    )
    labels = dict(Mode.choices)
    modes = list(dict.fromkeys([*survey.modes, *counts]))
    by_mode = [ModeCount(mode, str(labels.get(mode, mode)), counts.get(mode, 0)) for mode in modes]
    total = sum(counts.values())
    margin = margin_of_error(sample=total, population=survey.population_served) if total else None
    return Progress(total=total, target=survey.target_sample, by_mode=by_mode, margin=margin)


def mode_labels(survey: Survey) -> list[str]:
    labels = dict(Mode.choices)
    return [str(labels.get(mode, mode)) for mode in survey.modes]


def language_names(survey: Survey) -> list[str]:
    names = dict(SurveyLanguage.objects.values_list("code", "name"))
    return [names.get(code, code) for code in (survey.languages or ["it"])]


def history(survey: Survey) -> list[SurveyEvent]:
    return list(SurveyEvent.objects.filter(survey=survey).select_related("by").order_by("at", "pk"))


def person_name(user) -> str:
    """How a person is named in a history: full name, else username."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def core_question_count(survey: Survey) -> int:
    return Question.objects.filter(version_id=survey.version_id).count()


def local_questions(survey: Survey) -> list[LocalQuestion]:
    return list(LocalQuestion.objects.filter(survey=survey).order_by("position", "pk"))


@dataclass(frozen=True)
class WorkCounts:
    open_surveys: list[Survey]  # annotated with response_count
    to_publish: list[Survey]
    drafts: list[Survey]


def work_counts(municipality, *, limit: int = 5) -> WorkCounts:
    """For the dashboard card: surveys collecting answers (with responses vs
    target), closed but not published, in preparation; a few of each named.
    Four queries, whatever the number of surveys."""
    totals = Survey.objects.filter(municipality=municipality).aggregate(
        open=Count("pk", filter=Q(status=Status.OPEN)),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
    )

    def of(status, key):
        if not totals[key]:
            return _Counted([], 0)
        surveys = (
            Survey.objects.filter(municipality=municipality, status=status)
            .annotate(response_count=response_count())
            .order_by("-year", "title", "pk")[:limit]
        )
        return _Counted(list(surveys), totals[key])

    return WorkCounts(
        open_surveys=of(Status.OPEN, "open"),
        to_publish=of(Status.CLOSED, "closed"),
        drafts=of(Status.DRAFT, "draft"),
    )


class _Counted(list):
    """A few surveys, and how many there are in all."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total
