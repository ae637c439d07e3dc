"""What changes a survey's results: computing the stored figures
(`compute_results`, on closing and on demand), the comune's population cells
for weighting (`save_population`), and the moderation of free-text comments
(`moderate_comment`). Callers act for the survey's comune (`acting_for`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from surveys.models import Answer, ItemResult, PopulationCell, PublishedComment, Survey
from surveys.models.answers import MAX_TEXT_LENGTH, questions_of
from surveys.models.questionnaires import Question, QuestionKind
from surveys.results import aggregates
from surveys.results.aggregates import Weighting
from surveys.results.figures import Figures, decimal, figures
from surveys.results.moderation import screen

INDEX = ItemResult.Measure.INDEX


@dataclass(frozen=True)
class IndexItem:
    """A satisfaction item of the index and its weight (the mean importance
    of its paired importance item; see `index_items`)."""

    question: Question
    weight: float
    importance: Question | None
    stated: bool  # False: no importance answers, the average weight stands in


def index_items(core: list[Question], overall: Mapping[tuple, aggregates.Sums]) -> list[IndexItem]:
    """The satisfaction items of the customer-satisfaction index and their weights.

    Items: the core rating questions that are neither the overall judgement nor
    the recommendation. Weight: the mean (unweighted, all respondents) of the
    paired importance item (`Question.importance_of`); an item with no paired
    importance, or no importance answers, weighs the average of the stated
    weights (all equal when none is stated). The index of a respondent is
    `100 · Σ w_i (x_i − min_i)/(max_i − min_i) / Σ w_i` over the items they rated
    (don't know excluded); the survey's index is the mean over respondents who
    rated at least one item — 0 when everyone gave the lowest point, 100 the
    highest. The same weights serve every group and the weighted figures, so
    they compare."""
    satisfaction = [
        q for q in core
        if q.kind == QuestionKind.RATING and not q.role
        and q.scale_min is not None and q.scale_max is not None and q.scale_max > q.scale_min
    ]
    importance_of = {q.importance_of_id: q for q in core if q.kind == QuestionKind.IMPORTANCE and q.importance_of_id}
    stated: dict[int, float] = {}
    for item in satisfaction:
        importance = importance_of.get(item.pk)
        sums = overall.get((importance.pk, None)) if importance else None
        if sums and sums.numeric:
            stated[item.pk] = sums.wx / sums.w
    default = sum(stated.values()) / len(stated) if stated else 1.0
    return [
        IndexItem(
            question=item,
            weight=stated.get(item.pk, default),
            importance=importance_of.get(item.pk),
            stated=item.pk in stated,
        )
        for item in satisfaction
    ]


def weighting_of(survey: Survey, core: list[Question]) -> Weighting:
    age = next((q for q in core if q.profile == Question.Profile.AGE_BAND), None)
    gender = next((q for q in core if q.profile == Question.Profile.GENDER), None)
    return Weighting(
        age_question_id=age.pk if age else None,
        gender_question_id=gender.pk if gender else None,
        has_cells=PopulationCell.objects.filter(survey=survey, count__gt=0).exists(),
    )


def _row(survey: Survey, question: Question | None, group: str, weighted: bool, fig: Figures) -> ItemResult:
    return ItemResult(
        municipality_id=survey.municipality_id,
        survey=survey,
        question=question,
        measure=INDEX if question is None else ItemResult.Measure.ITEM,
        breakdown=group,
        weighted=weighted,
        answers=fig.answers,
        dont_know=fig.dont_know,
        mean=decimal(fig.mean),
        median=decimal(fig.median),
        std_dev=decimal(fig.std_dev),
        ci_low=decimal(fig.ci_low),
        ci_high=decimal(fig.ci_high),
        top_two_share=decimal(fig.top_two_share, 4, 3),
        net_promoter=decimal(fig.net_promoter, 2, 5),
        distribution={
            key: (round(value, 4) if weighted else int(value))
            for key, value in fig.distribution.items()
        },
    )


def _rows_for(survey, core, by_id, *, weighted, weighting, items, profiles, sizes, progress_step):
    """The rows of one pass (unweighted or weighted): all respondents, then each group."""
    population = survey.population_served
    no_distribution = ([q.pk for q in core if q.kind in (QuestionKind.NUMBER, QuestionKind.TEXT)], [])
    common = {"survey": survey, "weighted": weighted, "weighting": weighting}
    overall = aggregates.item_sums(**common, no_distribution=no_distribution)
    if items is None:
        items = index_items(core, {key[:2]: value for key, value in overall.items() if key[2] == ""})
    rows = [
        _row(survey, question, "", weighted,
             figures(overall.get((question.pk, None, "")), question, population=population, weighted=weighted))
        for question in core
    ]
    spec = [(i.question.pk, float(i.question.scale_min), float(i.question.scale_max), i.weight) for i in items]
    index = aggregates.index_sums(survey=survey, items=spec, weighted=weighted, weighting=weighting)
    if "" in index:
        rows.append(_row(survey, None, "", weighted, figures(index[""], population=population, weighted=weighted)))
    progress_step()
    if profiles:
        minimum = settings.SURVEY_MIN_GROUP_SIZE
        shown = {group for group, size in sizes.items() if size >= minimum}
        group_args = {**common, "by_group": True, "profiles": profiles}
        by_group = aggregates.item_sums(**group_args, no_distribution=no_distribution)
        group_index = aggregates.index_sums(**group_args, items=spec)
        for (question_id, _local, group), sums in sorted(by_group.items(), key=lambda kv: (kv[0][2], kv[0][0])):
            profile_id = int(group.split(":", 1)[0])
            if group not in shown or question_id == profile_id or sums.answers < minimum:
                continue
            question = by_id[question_id]
            rows.append(_row(survey, question, _group_code(group, by_id), weighted,
                             figures(sums, question, weighted=weighted)))
        for group, sums in sorted(group_index.items()):
            if group in shown and sums.answers >= minimum:
                rows.append(_row(survey, None, _group_code(group, by_id), weighted,
                                 figures(sums, weighted=weighted)))
    progress_step()
    return rows, items


def _group_code(group: str, by_id: Mapping[int, Question]) -> str:
    """"<profile question id>:<option>" → "<profile question code>:<option>"."""
    question_id, option = group.split(":", 1)
    return f"{by_id[int(question_id)].code}:{option}"


@transaction.atomic
def compute_results(*, survey: Survey, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute and store the survey's results (`ItemResult`): every core
    question and the satisfaction index, over all respondents and per profile
    group (groups and items under `SURVEY_MIN_GROUP_SIZE` left out), unweighted
    and — when the comune entered its population cells and the questionnaire
    asks age band and gender — weighted. Replaces what was stored, in one
    transaction; also runs the automatic moderation pass over new comments.
    Returns the number of rows stored."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    core, _local = questions_of(survey)
    by_id = {q.pk: q for q in core}
    profiles = [q.pk for q in core if q.kind == QuestionKind.PROFILE and q.options]
    weighting = weighting_of(survey, core)
    passes = [False, True] if weighting.possible else [False]
    total, done = 2 * len(passes) + 1, 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    sizes = aggregates.group_sizes(survey=survey, profiles=profiles)
    rows: list[ItemResult] = []
    items = None
    for weighted in passes:
        new_rows, items = _rows_for(
            survey, core, by_id, weighted=weighted, weighting=weighting, items=items,
            profiles=profiles, sizes=sizes, progress_step=step,
        )
        rows.extend(new_rows)
    responses = aggregates.response_count(survey=survey)
    for row in rows:
        row.responses = responses
    ItemResult.objects.filter(survey=survey).delete()
    ItemResult.objects.bulk_create(rows, batch_size=2000)
    premoderate(survey=survey)
    step()
    return len(rows)


def premoderate(*, survey: Survey) -> int:
    """The automatic moderation pass: each comment still to moderate gets its
    `shown_text` (personal data masked, offensive words replaced). Nothing is
    published by it: only `moderate_comment` approves."""
    pending = Answer.objects.filter(
        survey=survey, moderation=Answer.Moderation.PENDING, shown_text=""
    ).exclude(text="").only("id", "text", "shown_text", "municipality_id")
    batch, count = [], 0
    for answer in pending.iterator(chunk_size=2000):
        answer.shown_text = screen(answer.text).text
        batch.append(answer)
        if len(batch) >= 2000:
            count += Answer.objects.bulk_update(batch, ["shown_text"])
            batch = []
    if batch:
        count += Answer.objects.bulk_update(batch, ["shown_text"])
    return count


def results_inline(survey: Survey) -> bool:
    """Small surveys are computed inside the request; large ones by a job."""
    return aggregates.response_count(survey=survey) <= settings.SURVEY_RESULTS_INLINE_LIMIT


def request_results(*, survey: Survey, acting_user=None) -> int | None:
    """Compute the results now (small surveys) or queue the job; returns the
    job's id when queued, None when done."""
    if results_inline(survey):
        compute_results(survey=survey)
        return None
    from surveys.results.jobs import compute_results_job

    return compute_results_job.defer(municipality=survey.municipality_id, survey_id=survey.pk)


def after_status_change(*, survey: Survey, from_status: str, to_status: str) -> None:
    """Called by `fieldwork.services.change_status` in its transaction: closing
    a survey computes its results (a job for large surveys, queued with the
    same transaction)."""
    if to_status == Survey.Status.CLOSED and from_status == Survey.Status.OPEN:
        request_results(survey=survey)


# --- weighting inputs --------------------------------------------------------


@transaction.atomic
def save_population(*, survey: Survey, cells: Mapping[tuple[str, str], int | None], acting_user=None) -> int:
    """Replace the survey's population cells (age band code, gender code) →
    people. Codes must be options of the questionnaire's age-band and gender
    questions; counts whole and not negative; an empty cell is no cell."""
    core, _local = questions_of(survey)
    age = next((q for q in core if q.profile == Question.Profile.AGE_BAND), None)
    gender = next((q for q in core if q.profile == Question.Profile.GENDER), None)
    if age is None or gender is None:
        raise ValidationError(
            _("Il questionario non chiede fascia d'età e genere: la ponderazione non è possibile.")
        )
    errors = {}
    rows = []
    for (age_code, gender_code), count in cells.items():
        if age_code not in age.option_codes or gender_code not in gender.option_codes:
            errors[f"{age_code}|{gender_code}"] = _("Fascia d'età o genere sconosciuti.")
            continue
        if count is None:
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            errors[f"{age_code}|{gender_code}"] = _("Indicare un numero intero di persone, zero o più.")
            continue
        if count > 100_000_000:
            errors[f"{age_code}|{gender_code}"] = _("Il numero di persone è troppo alto.")
            continue
        rows.append(PopulationCell(municipality_id=survey.municipality_id, survey=survey,
                                   age_band=age_code, gender=gender_code, count=count))
    if errors:
        raise ValidationError(errors)
    PopulationCell.objects.filter(survey=survey).delete()
    PopulationCell.objects.bulk_create(rows)
    return len(rows)


# --- moderation --------------------------------------------------------------

APPROVE, HIDE = "approve", "hide"


@transaction.atomic
def moderate_comment(
    *, survey: Survey, answer_id, decision: str, seen: str, shown_text: str | None = None,
    acting_user=None,
) -> Answer:
    """Approve (publishable, with its moderated text) or hide one comment.

    `answer_id` is the answer's public id; `seen` the moderation state the
    moderator saw (another moderator's decision in between is refused, not
    overwritten). Approving copies the moderated text, and nothing else, to
    `PublishedComment`, the only table readers beyond the comune's staff read
    comments from; hiding removes the copy."""
    answer = (
        Answer.objects.select_for_update()
        .filter(survey=survey, public_id=answer_id)
        .exclude(moderation="")
        .first()
    )
    if answer is None:
        raise ValidationError(_("Commento non trovato."))
    if answer.moderation != seen:
        raise ValidationError(
            _("Il commento è stato moderato da un'altra persona nel frattempo: ricaricare la pagina.")
        )
    if decision == APPROVE:
        text = (shown_text if shown_text is not None else answer.shown_text or screen(answer.text).text).strip()
        if not text:
            raise ValidationError({"shown_text": _("Il testo da pubblicare è vuoto: nascondere il commento.")})
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError({"shown_text": _("Il testo supera i %(max)s caratteri ammessi.") % {"max": MAX_TEXT_LENGTH}})
        answer.shown_text = text
        answer.moderation = Answer.Moderation.APPROVED
        answer.save(update_fields=["shown_text", "moderation"])
        PublishedComment.objects.update_or_create(
            answer=answer,
            defaults={"survey": survey, "question_id": answer.question_id,
                      "local_question_id": answer.local_question_id, "text": text},
        )
    elif decision == HIDE:
        answer.moderation = Answer.Moderation.HIDDEN
        answer.save(update_fields=["moderation"])
        PublishedComment.objects.filter(answer=answer).delete()
    else:
        raise ValidationError(_("Decisione sconosciuta."))
    return answer
