"""Every read of a survey's results, for the comune's page (and for the other
helpers' pages: `published_comments`). The stored figures (`ItemResult`) are
read as they are; only the comune's local questions and the weighting's strata
are computed per request (small, indexed queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.models import Answer, ItemResult, PublishedComment, Survey
from surveys.models.answers import questions_of
from surveys.models.questionnaires import DEFAULT_LANGUAGE, Question, QuestionKind, localized
from surveys.questionnaires.sampling import margin_of_error
from surveys.results import aggregates, statistics
from surveys.results.figures import Figures, figures, has_scale
from surveys.results.moderation import screen
from surveys.results.services import index_items, weighting_of

Status = Survey.Status


def survey_label(question) -> str:
    return localized(question.text, DEFAULT_LANGUAGE)


def option_label(question, key: str) -> str:
    """The words of a scale point or an option, for tables and charts."""
    for option in question.options or ():
        if option["code"] == key:
            return localized(option.get("label"), DEFAULT_LANGUAGE) or key
    labels = question.point_labels or {}
    label = localized(labels.get(key), DEFAULT_LANGUAGE)
    return f"{key} – {label}" if label else key


@dataclass
class Item:
    question: object  # Question or LocalQuestion
    overall: object | None  # ItemResult or Figures (local questions)
    weighted: object | None = None
    change: Change | None = None
    is_local: bool = False

    @property
    def label(self) -> str:
        return survey_label(self.question)

    @property
    def is_scale(self) -> bool:
        return has_scale(self.question)

    @property
    def distribution(self) -> list[tuple[str, Decimal, Decimal | None]]:
        """(label, answers, share of answers) in the scale's or the options' order."""
        source = self.overall
        if source is None:
            return []
        dist = source.distribution or {}
        if self.question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.PROFILE):
            keys = [o["code"] for o in self.question.options or ()]
        elif self.is_scale and self.question.scale_min is not None:
            keys = [str(p) for p in range(self.question.scale_min, self.question.scale_max + 1)]
        else:
            keys = sorted(dist)
        answers = source.answers or 0
        return [
            (option_label(self.question, key), Decimal(str(dist.get(key, 0))),
             Decimal(str(dist.get(key, 0))) * 100 / answers if answers else None)
            for key in keys
        ]


@dataclass(frozen=True)
class Change:
    previous_mean: Decimal | None
    mean_test: statistics.Test | None
    previous_top_two: Decimal | None
    share_test: statistics.Test | None
    mean_difference: Decimal | None
    top_two_difference: Decimal | None


@dataclass(frozen=True)
class MatrixPoint:
    question: Question
    importance: float  # 0–100
    satisfaction: float  # 0–100
    quadrant: str


QUADRANTS = {
    "improve": gettext_lazy("Da migliorare per primi: importanti e poco soddisfacenti"),
    "keep": gettext_lazy("Punti di forza da mantenere: importanti e soddisfacenti"),
    "watch": gettext_lazy("Da tenere d'occhio: poco importanti e poco soddisfacenti"),
    "surplus": gettext_lazy("Oltre le attese: poco importanti e molto soddisfacenti"),
}


@dataclass
class Matrix:
    points: list[MatrixPoint]
    importance_threshold: float | None
    satisfaction_threshold: float | None


def _scaled(value: Decimal | None, question) -> float | None:
    if value is None or question.scale_min is None or question.scale_max == question.scale_min:
        return None
    return 100.0 * (float(value) - question.scale_min) / (question.scale_max - question.scale_min)


def matrix(core: list[Question], overall: dict[int, ItemResult]) -> Matrix:
    """The importance–satisfaction matrix: each satisfaction item with a paired
    importance item, both means put on 0–100 ((mean − min)/(max − min) · 100,
    so scales of different length compare). Thresholds: the means of those
    values across the items. Quadrant: importance at or above its threshold and
    satisfaction below its threshold = improve first; a value equal to its
    threshold counts as high."""
    pairs = []
    for question in core:
        if question.kind == QuestionKind.IMPORTANCE and question.importance_of_id:
            target = next((q for q in core if q.pk == question.importance_of_id), None)
            imp, sat = overall.get(question.pk), overall.get(question.importance_of_id)
            if target is None or imp is None or sat is None:
                continue
            x, y = _scaled(imp.mean, question), _scaled(sat.mean, target)
            if x is not None and y is not None:
                pairs.append((target, x, y))
    if not pairs:
        return Matrix([], None, None)
    x_threshold = sum(p[1] for p in pairs) / len(pairs)
    y_threshold = sum(p[2] for p in pairs) / len(pairs)
    points = []
    for target, x, y in pairs:
        high_importance, high_satisfaction = x >= x_threshold, y >= y_threshold
        quadrant = (
            ("keep" if high_satisfaction else "improve") if high_importance
            else ("surplus" if high_satisfaction else "watch")
        )
        points.append(MatrixPoint(target, x, y, quadrant))
    order = list(QUADRANTS)
    points.sort(key=lambda p: (order.index(p.quadrant), -p.importance))
    return Matrix(points, x_threshold, y_threshold)


def previous_survey(survey: Survey) -> Survey | None:
    """The comune's previous survey on the same questionnaire (any version),
    closed or published: the latest by year, then by creation."""
    return (
        Survey.objects.filter(
            version__questionnaire_id=survey.version.questionnaire_id,
            status__in=[Status.CLOSED, Status.PUBLISHED],
        )
        .exclude(pk=survey.pk)
        .filter(Q(year__lt=survey.year) | Q(year=survey.year, pk__lt=survey.pk))
        .order_by("-year", "-pk")
        .first()
    )


def _f(value) -> float | None:
    return None if value is None else float(value)


def change(now: ItemResult | None, before: ItemResult | None) -> Change | None:
    """The change from the previous survey and its significance (Welch's t for
    the mean, two-proportion z for the top-two-box share; 95 %)."""
    if now is None or before is None:
        return None
    mean_test = share_test = None
    if None not in (now.mean, before.mean, now.std_dev, before.std_dev):
        mean_test = statistics.welch(
            mean_a=float(before.mean), sd_a=float(before.std_dev), n_a=before.answers,
            mean_b=float(now.mean), sd_b=float(now.std_dev), n_b=now.answers,
        )
    if now.top_two_share is not None and before.top_two_share is not None:
        share_test = statistics.two_proportions(
            share_a=float(before.top_two_share), n_a=before.answers,
            share_b=float(now.top_two_share), n_b=now.answers,
        )
    return Change(
        previous_mean=before.mean,
        mean_test=mean_test,
        previous_top_two=before.top_two_share,
        share_test=share_test,
        mean_difference=None if None in (now.mean, before.mean) else now.mean - before.mean,
        top_two_difference=(
            None if None in (now.top_two_share, before.top_two_share)
            else (now.top_two_share - before.top_two_share) * 100
        ),
    )


@dataclass
class Breakdown:
    question: Question
    groups: list[tuple[str, str]]  # (breakdown code, label)
    rows: list[tuple[str, list[ItemResult | None]]]  # (item label, result per group)
    hidden: list[str]  # labels of groups too small to show


@dataclass
class Results:
    survey: Survey
    responses: int
    computed_at: object | None
    margin_of_error: float | None
    items: list[Item]
    local_items: list[Item]
    index: ItemResult | None
    index_weighted: ItemResult | None
    index_change: Change | None
    index_items: list
    matrix: Matrix
    previous: Survey | None
    breakdowns: list[Breakdown]
    weighting: aggregates.Weighting
    strata: list[aggregates.Stratum] = field(default_factory=list)
    left_out: int = 0

    @property
    def has_weighted(self) -> bool:
        return any(item.weighted is not None for item in self.items)


def local_figures(survey: Survey, local: list) -> dict[int, Figures]:
    """The comune's own questions, computed per request (never stored: they are
    not compared across comuni)."""
    if not local:
        return {}
    no_distribution = ([], [q.pk for q in local if q.kind in (QuestionKind.NUMBER, QuestionKind.TEXT)])
    sums = aggregates.item_sums(survey=survey, local=True, no_distribution=no_distribution)
    by_id = {q.pk: q for q in local}
    return {
        local_id: figures(value, by_id[local_id], population=survey.population_served)
        for (_q, local_id, _g), value in sums.items() if local_id in by_id
    }


def results(survey: Survey, *, with_strata: bool = False) -> Results:
    """Everything the results page shows; the weighting's strata (a query over
    the profile answers, ~0.1 s at 100,000 responses) only `with_strata`, for
    the population page."""
    core, local = questions_of(survey)
    stored = list(ItemResult.objects.filter(survey=survey))
    overall = {r.question_id: r for r in stored if not r.breakdown and not r.weighted}
    weighted = {r.question_id: r for r in stored if not r.breakdown and r.weighted}
    previous = previous_survey(survey)
    before: dict[str, ItemResult] = {}
    before_index = None
    if previous is not None:
        for row in ItemResult.objects.filter(survey=previous, breakdown="", weighted=False).select_related("question"):
            if row.question is None:
                before_index = row
            else:
                before[row.question.code] = row
    items = [
        Item(question=q, overall=overall.get(q.pk), weighted=weighted.get(q.pk),
             change=change(overall.get(q.pk), before.get(q.code)))
        for q in core
    ]
    local_by_id = local_figures(survey, local)
    local_items = [Item(question=q, overall=local_by_id.get(q.pk), is_local=True) for q in local]
    # The sample of the stored figures (the count at their computation); counted
    # live only before any computation (~0.1 s at 100,000 responses).
    responses = next((r.responses for r in stored if r.responses is not None), None)
    if responses is None:
        responses = aggregates.response_count(survey=survey)
    weighting = weighting_of(survey, core)
    strata, left_out = ([], 0)
    if with_strata and weighting.possible:
        strata, left_out = aggregates.strata(survey=survey, weighting=weighting)
    index_rows = [r for r in stored if r.question_id is None and not r.breakdown]
    index = next((r for r in index_rows if not r.weighted), None)
    importance_sums = {
        (q.pk, None): aggregates.Sums(numeric=1, w=1.0, wx=float(overall[q.pk].mean))
        for q in core if q.kind == QuestionKind.IMPORTANCE and overall.get(q.pk) and overall[q.pk].mean is not None
    }
    return Results(
        survey=survey,
        responses=responses,
        computed_at=max((r.computed_at for r in stored), default=None),
        margin_of_error=margin_of_error(sample=responses, population=survey.population_served),
        items=items,
        local_items=local_items,
        index=index,
        index_weighted=next((r for r in index_rows if r.weighted), None),
        index_change=change(index, before_index),
        index_items=index_items(core, importance_sums),
        matrix=matrix(core, overall),
        previous=previous,
        breakdowns=breakdowns(core, stored),
        weighting=weighting,
        strata=strata,
        left_out=left_out,
    )


def breakdowns(core: list[Question], stored: list[ItemResult]) -> list[Breakdown]:
    """Per profile question: the scale items' means (and the index) per group
    shown; groups without stored rows (under the minimum size) named as hidden."""
    by_code = {q.code: q for q in core}
    unweighted = [r for r in stored if r.breakdown and not r.weighted]
    out = []
    for profile in (q for q in core if q.kind == QuestionKind.PROFILE and q.options):
        present = {r.breakdown for r in unweighted if r.breakdown.startswith(profile.code + ":")}
        groups = [(f"{profile.code}:{o['code']}", option_label(profile, o["code"])) for o in profile.options]
        shown = [(code, label) for code, label in groups if code in present]
        hidden = [label for code, label in groups if code not in present]
        if not shown:
            out.append(Breakdown(profile, [], [], hidden))
            continue
        cell = {(r.question_id, r.breakdown): r for r in unweighted}
        rows = [(_("Indice di soddisfazione"), [cell.get((None, code)) for code, _l in shown])]
        for question in core:
            if has_scale(question) and question.kind != QuestionKind.PROFILE:
                rows.append((survey_label(question), [cell.get((question.pk, code)) for code, _l in shown]))
        out.append(Breakdown(profile, shown, rows, hidden))
    del by_code
    return out


# --- comments ------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedComment:
    answer: Answer
    proposed: str  # the text as it would be published
    found: tuple[str, ...]  # what the automatic pass masked or replaced


def moderation_queue(survey: Survey, *, state: str, page: int, per_page: int = 20):
    """One page of the survey's comments in one moderation state, oldest first."""
    answers = (
        Answer.objects.filter(survey=survey, moderation=state)
        .exclude(text="")
        .only("id", "public_id", "text", "shown_text", "moderation", "question_id", "local_question_id")
        .order_by("id")
    )
    paginator = Paginator(answers, per_page)
    current = paginator.get_page(page)
    current.object_list = [
        QueuedComment(a, a.shown_text or screen(a.text).text, screen(a.text).found)
        for a in current.object_list
    ]
    return current


def moderation_counts(survey: Survey) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Answer.objects.filter(survey=survey).exclude(moderation="").exclude(text="")
        .values("moderation").annotate(n=Count("id"))
    )
    counts = {state: 0 for state in Answer.Moderation.values}
    counts.update({row["moderation"]: row["n"] for row in rows})
    return counts


# A survey's sample as its stored results give it, over its all-respondents,
# unweighted rows `x` of surveys_itemresult: the responses the last computation
# counted (`ItemResult.responses`); for rows computed before that column, the most
# answers («non so» included) any item got. Written once, read by `stored_samples`
# and by the comparison's statement (`surveys.comparisons.selectors`).
SAMPLE_ROWS_SQL = "x.breakdown = '' AND NOT x.weighted"
SAMPLE_SQL = "COALESCE(max(x.responses), max(x.answers + x.dont_know))"


def stored_samples(survey_ids: list[int]) -> dict[int, int]:
    """Each survey's sample (`SAMPLE_SQL`). One query; the caller's scope decides
    which surveys' rows it reads (the comparisons' club scope, the citizens'
    public scope)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.survey_id, {SAMPLE_SQL} FROM surveys_itemresult x "
            f"WHERE x.survey_id = ANY(%s) AND {SAMPLE_ROWS_SQL} GROUP BY x.survey_id",
            [list(survey_ids)],
        )
        return dict(cursor.fetchall())


def published_comments(survey: Survey, *, limit: int = 200) -> list[PublishedComment]:
    """The comments cleared for readers beyond the comune's staff: approved by
    the staff, with their moderated text only. Readable in the club scope for
    closed and published surveys, in the public scope for published ones (the
    table's policies)."""
    return list(
        PublishedComment.objects.filter(survey=survey)
        .select_related("question__section", "local_question")
        .order_by("id")[:limit]
    )


def weighting_detail(survey: Survey) -> tuple[aggregates.Weighting, list[aggregates.Stratum], int]:
    """The weighting's inputs and strata as the last computation would use them."""
    core, _local = questions_of(survey)
    weighting = weighting_of(survey, core)
    if not weighting.possible:
        return weighting, [], 0
    strata, left_out = aggregates.strata(survey=survey, weighting=weighting)
    return weighting, strata, left_out
