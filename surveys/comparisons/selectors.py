"""What the members area compares across comuni: the stored results
(`ItemResult`) of closed and published surveys on the same questionnaire
version and year — core items and the satisfaction index — never answers.

Call every read here inside `cross_tenant(scope="club", ...)`: the database
then shows other comuni's results of closed and published surveys only
(`ItemResult`'s and `Survey`'s club policies); the filters on status below say
the same for the viewer's own comune, whose rows the scope also shows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qclub.models import Municipality, PeerGroup
from surveys.comparisons import statistics
from surveys.comparisons.statistics import Limits, Point
from surveys.models import ItemResult, Question, QuestionKind, QuestionnaireVersion, Survey
from surveys.models.questionnaires import localized
from surveys.results.selectors import stored_samples

COMPARED = (Survey.Status.CLOSED, Survey.Status.PUBLISHED)
INDEX = "indice"  # the measure code of the satisfaction index in URLs and exports
YEARS = (2000, 2100)  # the years a URL may name


def min_sample() -> int:
    return settings.SURVEYS_MIN_COMPARISON_SAMPLE


@dataclass(frozen=True)
class ComparableSet:
    """A questionnaire version and year with closed or published surveys."""

    version: QuestionnaireVersion
    year: int
    surveys: int

    @property
    def title(self) -> str:
        return localized(self.version.questionnaire.title, get_language())


def comparable_sets() -> list[ComparableSet]:
    """Every version and year some comune has closed or published surveys on,
    latest first (one aggregate query, one for the versions)."""
    counts = list(
        Survey.objects.filter(status__in=COMPARED)
        .values("version", "year")
        .annotate(surveys=Count("id"))
        .order_by("-year", "version")
    )
    versions = QuestionnaireVersion.objects.select_related("questionnaire").in_bulk(
        {row["version"] for row in counts}
    )
    return [ComparableSet(versions[row["version"]], row["year"], row["surveys"]) for row in counts]


@dataclass(frozen=True)
class Measure:
    """What is compared: a core scale item of the version, or the index."""

    code: str
    label: str
    question: Question | None = None

    @property
    def is_index(self) -> bool:
        return self.question is None


def measures_of(version: QuestionnaireVersion) -> list[Measure]:
    """The index, then the version's rating items in questionnaire order
    (satisfaction, overall, recommendation): the core items comuni share."""
    language = get_language()
    questions = Question.objects.filter(version=version, kind=QuestionKind.RATING).order_by(
        "section__position", "position"
    )
    return [Measure(INDEX, _("Indice di soddisfazione"))] + [
        Measure(q.code, localized(q.text, language), q) for q in questions
    ]


@dataclass
class Row:
    """One survey's figure for the measure compared."""

    survey_public_id: object
    survey_title: str
    municipality: Municipality
    sample: int
    answers: int
    mean: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    std_dev: Decimal | None
    is_viewer: bool = False
    is_best: bool = False
    position: str | None = None

    @property
    def point(self) -> Point:
        return Point(self.survey_public_id, self.mean, self.ci_low, self.ci_high, self.answers, self.std_dev)


@dataclass(frozen=True)
class Insufficient:
    """A survey not compared: fewer answers than the minimum sample."""

    survey_public_id: object
    municipality: Municipality
    survey_title: str
    sample: int


@dataclass
class Comparison:
    version: QuestionnaireVersion
    year: int
    measure: Measure
    measures: list[Measure]
    rows: list[Row]  # compared, best mean first
    insufficient: list[Insufficient]
    theta: float | None
    sigma: float | None
    curve: list[Limits] = field(default_factory=list)
    group: PeerGroup | None = None
    min_sample: int = 0

    @property
    def best(self) -> Row | None:
        return next((row for row in self.rows if row.is_best), None)


def version_get(version_id: int) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_related("questionnaire").filter(pk=version_id).first()
    if version is None:
        raise Http404(_("Questionario non trovato."))
    return version


def surveys_sample(survey_ids: list[int]) -> dict[int, int]:
    """Each survey's sample: the responses its stored results were computed
    from (`results.selectors.stored_samples`; never read from the answers)."""
    return stored_samples(survey_ids)


def _compared_surveys(version, year, group) -> dict[int, Survey]:
    surveys = Survey.objects.filter(version=version, year=year, status__in=COMPARED)
    if group is not None:
        surveys = surveys.filter(municipality__in=group.members.values("pk"))
    return {
        survey.pk: survey
        for survey in surveys.select_related("municipality").only(
            "id", "public_id", "title", "municipality__id", "municipality__name", "municipality__slug"
        )
    }


def _results(ids: list[int]):
    # By the surveys' ids: a join on the survey alone cannot use the tenant
    # tables' keys, which lead with the comune.
    return ItemResult.objects.filter(
        survey__in=ids, breakdown="", weighted=False, mean__isnull=False
    ).only("survey_id", "municipality_id", "question_id", "measure", "answers", "mean", "ci_low", "ci_high",
           "std_dev").order_by()


def _filtered(results, measure: Measure):
    if measure.is_index:
        return results.filter(measure=ItemResult.Measure.INDEX)
    return results.filter(measure=ItemResult.Measure.ITEM, question=measure.question)


def _build(
    version, year, measure: Measure, measures: list[Measure], by_id: dict[int, Survey], samples: dict[int, int],
    results, group, viewer,
) -> Comparison:
    floor = min_sample()
    rows, insufficient, listed = [], [], set()
    for result in results:
        survey = by_id[result.survey_id]
        sample = samples.get(survey.pk, result.answers)
        listed.add(survey.pk)
        if sample < floor:
            insufficient.append(Insufficient(survey.public_id, survey.municipality, survey.title, sample))
            continue
        rows.append(Row(
            survey_public_id=survey.public_id, survey_title=survey.title,
            municipality=survey.municipality, sample=sample, answers=result.answers,
            mean=result.mean, ci_low=result.ci_low, ci_high=result.ci_high, std_dev=result.std_dev,
            is_viewer=viewer is not None and survey.municipality.pk == viewer.pk,
        ))
    rows.sort(key=lambda row: (-row.mean, row.municipality.name, row.survey_title))
    # A survey too small is listed even without a figure for this measure.
    for survey in by_id.values():
        if survey.pk not in listed and samples.get(survey.pk, 0) < floor:
            insufficient.append(
                Insufficient(survey.public_id, survey.municipality, survey.title, samples.get(survey.pk, 0))
            )
    points = [row.point for row in rows]
    theta, sigma = statistics.club_mean(points), statistics.pooled_sd(points)
    best = statistics.best_performer(points)
    for row in rows:
        row.is_best = best is not None and row.survey_public_id == best
        row.position = statistics.funnel_position(row.point, theta, sigma)
    curve = []
    if theta is not None and sigma is not None and rows:
        curve = statistics.funnel_curve(theta, sigma, min(r.answers for r in rows) // 2 or 2,
                                        max(r.answers for r in rows) * 2)
    insufficient.sort(key=lambda i: (i.municipality.name, i.survey_title))
    return Comparison(version, year, measure, measures, rows, insufficient, theta, sigma, curve, group, floor)


def comparison(
    version: QuestionnaireVersion,
    year: int,
    *,
    measure_code: str = INDEX,
    group: PeerGroup | None = None,
    viewer: Municipality | None = None,
) -> Comparison:
    """The surveys of `version` and `year` (closed or published; in `group`'s
    comuni if given) side by side on one measure: those with at least
    `min_sample()` answers compared (club mean, funnel limits, best performer
    beyond the intervals), the others listed as insufficient. Four queries:
    the measures, the surveys, their samples, the measure's results."""
    measures = measures_of(version)
    measure = next((m for m in measures if m.code == measure_code), None)
    if measure is None:
        raise Http404(_("Domanda non presente in questo questionario."))
    by_id = _compared_surveys(version, year, group)
    samples = surveys_sample(list(by_id))
    results = _filtered(_results(list(by_id)), measure)
    return _build(version, year, measure, measures, by_id, samples, results, group, viewer)


def all_measures(
    version: QuestionnaireVersion, year: int, *, group: PeerGroup | None = None
) -> list[Comparison]:
    """Every measure's comparison (the export), from one read of the results."""
    measures = measures_of(version)
    by_id = _compared_surveys(version, year, group)
    samples = surveys_sample(list(by_id))
    per_measure: dict[object, list[ItemResult]] = {}
    for result in _results(list(by_id)).filter(
        Q(measure=ItemResult.Measure.INDEX) | Q(question__in=[m.question for m in measures if m.question])
    ):
        key = INDEX if result.measure == ItemResult.Measure.INDEX else result.question_id
        per_measure.setdefault(key, []).append(result)
    return [
        _build(version, year, measure, measures, by_id, samples,
               per_measure.get(INDEX if measure.is_index else measure.question.pk, []), group, None)
        for measure in measures
    ]


def peer_groups() -> list[PeerGroup]:
    return list(PeerGroup.objects.order_by("name"))


def peer_group_get(raw: str | None) -> PeerGroup | None:
    """The peer group chosen by `?gruppo=<id>`; none for empty; 404 for unknown."""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise Http404(_("Gruppo di confronto non trovato."))
    group = PeerGroup.objects.filter(pk=int(raw)).first()
    if group is None:
        raise Http404(_("Gruppo di confronto non trovato."))
    return group


def compared_survey_get(slug: str, public_id: str) -> Survey:
    """A closed or published survey of any comune by its comune's slug and
    UUID, else 404 (call inside the club scope, which shows no other)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(_("Indagine non trovata.")) from None
    survey = (
        Survey.objects.filter(municipality__slug=slug, public_id=key, status__in=COMPARED)
        .select_related("municipality", "service", "version__questionnaire")
        .first()
    )
    if survey is None:
        raise Http404(_("Indagine non trovata."))
    return survey
