"""What citizens read of a comune's surveys: published surveys only, their
stored results (`ItemResult`), never answers.

Every read here runs with no comune active and in the public scope
(`public_read`): the database then shows surveys that are open, closed or
published (`Survey`'s public policy: an open survey can be answered) and the
results of published surveys only (`ItemResult`'s); the status filters below
keep the pages to published surveys. A signed-in officer's own comune is not
active here, so its unpublished rows cannot leak onto a public page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qclub.models import Municipality
from qclub.tenancy import SCOPE_PUBLIC, acting_for, cross_tenant
from surveys.models import ItemResult, Question, Survey
from surveys.models.fieldwork import Mode
from surveys.models.questionnaires import localized
from surveys.questionnaires.sampling import margin_of_error
from surveys.results.selectors import published_comments, stored_samples

PUBLISHED = Survey.Status.PUBLISHED
# A comune's public page lists at most this many published surveys (latest first).
MAX_ON_COMUNE_PAGE = 10


@contextmanager
def public_read(reason: str) -> Iterator[None]:
    """No comune active, the public scope, audited."""
    with acting_for(None), cross_tenant(scope=SCOPE_PUBLIC, reason=reason):
        yield


@dataclass
class KeyFigures:
    """A published survey's headline figures and method, for citizens."""

    survey: Survey
    sample: int | None
    index: ItemResult | None = None
    overall: ItemResult | None = None
    recommend: ItemResult | None = None

    @property
    def margin(self) -> float | None:
        """In percentage points (the one rule: `sampling.margin_of_error`)."""
        margin = margin_of_error(sample=self.sample, population=self.survey.population_served)
        return None if margin is None else 100 * margin

    @property
    def mode_labels(self) -> list[str]:
        labels = dict(Mode.choices)
        return [str(labels.get(mode, mode)) for mode in self.survey.modes]


def _headline(survey_ids: list[int]) -> dict[int, dict]:
    """Per survey: its sample and its index, overall and recommendation rows
    (all respondents, unweighted). Two queries."""
    samples = stored_samples(survey_ids)
    figures: dict[int, dict] = {pk: {"sample": samples.get(pk)} for pk in survey_ids}
    for result in ItemResult.objects.filter(
        Q(measure=ItemResult.Measure.INDEX)
        | Q(question__role__in=[Question.Role.OVERALL, Question.Role.RECOMMEND]),
        survey__in=survey_ids, breakdown="", weighted=False,
    ).select_related("question"):
        key = "index" if result.measure == ItemResult.Measure.INDEX else result.question.role
        figures[result.survey_id][key] = result
    return figures


def _key_figures(surveys: list[Survey]) -> list[KeyFigures]:
    figures = _headline([s.pk for s in surveys])
    return [
        KeyFigures(
            survey=survey, sample=figures[survey.pk]["sample"], index=figures[survey.pk].get("index"),
            overall=figures[survey.pk].get(Question.Role.OVERALL),
            recommend=figures[survey.pk].get(Question.Role.RECOMMEND),
        )
        for survey in surveys
    ]


def published_of(municipality: Municipality) -> list[KeyFigures]:
    """A comune's published surveys, latest first, with their key figures
    (call inside `public_read`). Three queries."""
    surveys = list(
        Survey.objects.filter(municipality=municipality, status=PUBLISHED)
        .select_related("service", "version__questionnaire")
        .order_by("-year", "-ends_on", "title")[:MAX_ON_COMUNE_PAGE]
    )
    return _key_figures(surveys) if surveys else []


def published_get(slug: str, public_id: str) -> Survey:
    """A published survey by its comune's slug and its UUID, else 404 (a
    draft, open, closed or unknown survey alike). Call inside `public_read`."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(_("Indagine non trovata.")) from None
    survey = (
        Survey.objects.filter(municipality__slug=slug, public_id=key, status=PUBLISHED)
        .select_related("municipality", "service", "version__questionnaire")
        .first()
    )
    if survey is None:
        raise Http404(_("Indagine non trovata."))
    return survey


@dataclass
class ItemLine:
    """One core item's figures over all respondents, for citizens."""

    question: Question
    text: str
    section: str
    result: ItemResult
    distribution: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_recommend(self) -> bool:
        return self.question.role == Question.Role.RECOMMEND


@dataclass
class PublicResults:
    survey: Survey
    key: KeyFigures
    items: list[ItemLine]
    # Approved, moderated free-text comments (`results.selectors.published_comments`,
    # read in the public scope): [(question text, [comment, ...])], questionnaire order.
    comments: list[tuple[str, list[str]]] = field(default_factory=list)


def _points(question: Question, distribution: dict, language: str) -> list[tuple[str, int]]:
    """The distribution in scale order, each point with its label when it has one."""
    if not distribution:
        return []
    if question.scale_min is None or question.scale_max is None:
        return [(str(k), int(v)) for k, v in sorted(distribution.items())]
    points = []
    for point in range(question.scale_min, question.scale_max + 1):
        label = localized((question.point_labels or {}).get(str(point)), language)
        points.append((f"{point} — {label}" if label else str(point), int(distribution.get(str(point), 0))))
    return points


def results_of(survey: Survey) -> PublicResults:
    """A published survey's figures: the key figures and every core item with
    a stored result over all respondents, unweighted, in questionnaire order
    and its approved comments (call inside `public_read`). Five queries."""
    language = get_language()
    key = _key_figures([survey])[0]
    results = (
        ItemResult.objects.filter(
            survey=survey, measure=ItemResult.Measure.ITEM, breakdown="", weighted=False,
            question__isnull=False,
        )
        .select_related("question__section")
        .order_by("question__section__position", "question__position")
    )
    items = [
        ItemLine(
            question=result.question, text=localized(result.question.text, language),
            section=localized(result.question.section.title, language), result=result,
            distribution=_points(result.question, result.distribution or {}, language),
        )
        for result in results
    ]
    return PublicResults(survey=survey, key=key, items=items, comments=comments_of(survey, language))


def comments_of(survey: Survey, language: str) -> list[tuple[str, list[str]]]:
    """The survey's approved, moderated comments grouped by question (core
    questions in questionnaire order, then local ones). Only the moderated
    text is ever read (`PublishedComment`); call inside `public_read`."""
    groups: dict[tuple, tuple[str, list[str]]] = {}
    for comment in published_comments(survey):
        if comment.question_id:
            question = comment.question
            order = (0, question.section.position, question.position)
        else:
            question = comment.local_question
            order = (1, 0, question.position)
        text = localized(question.text, language)
        groups.setdefault(order, (text, []))[1].append(comment.text)
    return [groups[order] for order in sorted(groups)]


@dataclass(frozen=True)
class PublishingComune:
    municipality: Municipality
    surveys: int
    latest_year: int


def publishing_comuni_query(search: str = "") -> QuerySet[Municipality]:
    """Comuni with at least one published survey, by name, optionally those
    whose name contains `search` (evaluate inside `public_read`: the subquery
    reads surveys in the public scope)."""
    comuni = Municipality.objects.filter(
        pk__in=Survey.objects.filter(status=PUBLISHED).values("municipality")
    ).order_by("name", "pk")
    return comuni.filter(name__icontains=search) if search else comuni


def publishing_lines(comuni: list[Municipality]) -> list[PublishingComune]:
    """The comuni of one page with how many surveys they published and the
    latest year (one query; inside `public_read`)."""
    counts = {
        row["municipality"]: row
        for row in Survey.objects.filter(status=PUBLISHED, municipality__in=comuni)
        .values("municipality")
        .annotate(surveys=Count("id"), latest_year=Max("year"))
        .order_by()
    }
    return [
        PublishingComune(m, counts[m.pk]["surveys"], counts[m.pk]["latest_year"])
        for m in comuni if m.pk in counts
    ]


def publishing_comuni(search: str = "") -> list[PublishingComune]:
    """Every comune with a published survey (the sitemap). Two queries."""
    return publishing_lines(list(publishing_comuni_query(search)))


def sitemap_surveys() -> list[tuple[str, uuid.UUID, object]]:
    """(comune slug, survey UUID, last change) of every published survey."""
    return list(
        Survey.objects.filter(status=PUBLISHED)
        .values("municipality__slug", "public_id")
        .annotate(changed=Max("item_results__computed_at"))
        .values_list("municipality__slug", "public_id", "changed")
        .order_by("municipality__slug", "public_id")
    )


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))
