"""The SQL that turns a survey's answers into aggregates: a few set-based
queries per survey, never one per question. Every query reads `surveys_answer`
by (municipality, survey[, question]) — the indexes `surveys_answer_municipality_survey_question`
and `surveys_answer_local` — and returns sums from which `figures` derives
means, standard deviations and intervals.

Weights. Unweighted, every answer weighs 1. Weighted, each respondent weighs
their post-stratification weight (`WEIGHTS_CTE`), and respondents who cannot
be placed in a population cell (age band or gender missing, "don't know", a
gender the comune's cells do not list) are left out of the weighted figures.

Post-stratification (computed here, in SQL):
1. each respondent's cell is (age band, gender) from the survey's core
   profile questions;
2. an age band in which some gender cell has no respondent is **collapsed**:
   its gender cells become one cell (the band's whole population over the
   band's respondents);
3. an age band with no respondent at all is **dropped** and the remaining
   population shares are renormalised (the page says which);
4. weight of a respondent in cell c = (N_c / N) / (n_c / n), N the population
   of the usable cells, n the respondents placed in them: weights average 1
   and sum to n, and the weighted sample reproduces the population shares.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from qclub.planner import whole_sets

WEIGHTS_CTE = """
prof AS (
    SELECT response_id,
           max(choice) FILTER (WHERE question_id = %(age_q)s) AS age,
           max(choice) FILTER (WHERE question_id = %(gender_q)s) AS gender
      FROM surveys_answer
     WHERE municipality_id = %(m)s AND survey_id = %(s)s
       AND question_id IN (%(age_q)s, %(gender_q)s) AND choice <> ''
     GROUP BY response_id
),
pop AS (
    SELECT age_band AS age, gender, count::float8 AS people
      FROM surveys_populationcell
     WHERE municipality_id = %(m)s AND survey_id = %(s)s AND count > 0
),
placed AS (
    SELECT prof.response_id, prof.age, prof.gender
      FROM prof JOIN pop ON pop.age = prof.age AND pop.gender = prof.gender
),
cells AS (
    SELECT pop.age, pop.gender, pop.people, count(placed.response_id) AS n,
           bool_or(count(placed.response_id) = 0) OVER (PARTITION BY pop.age) AS collapsed
      FROM pop LEFT JOIN placed ON placed.age = pop.age AND placed.gender = pop.gender
     GROUP BY pop.age, pop.gender, pop.people
),
strata AS (
    SELECT age, CASE WHEN collapsed THEN NULL ELSE gender END AS gender,
           bool_or(collapsed) AS collapsed, sum(people) AS people, sum(n)::bigint AS n
      FROM cells GROUP BY 1, 2
),
usable AS (
    SELECT age, gender, collapsed, people, n,
           (people / sum(people) OVER ()) / (n::float8 / sum(n) OVER ()) AS weight
      FROM strata WHERE n > 0
),
weights AS (
    SELECT placed.response_id, usable.weight
      FROM placed JOIN usable
        ON usable.age = placed.age AND (usable.gender = placed.gender OR usable.gender IS NULL)
),"""


@dataclass
class Sums:
    """What the database adds up for one question (or the index) and one group."""

    answers: int = 0  # rows that are not "don't know" (unweighted count)
    dont_know: int = 0
    numeric: int = 0  # answers with a number (unweighted count)
    weight_answers: float = 0.0  # Σw over the answers (choices: the share's denominator)
    w: float = 0.0  # Σw over the numeric answers
    w2: float = 0.0  # Σw²
    wx: float = 0.0  # Σwx
    wx2: float = 0.0  # Σwx²
    median: float | None = None  # percentile_cont(0.5), unweighted only
    distribution: dict[str, float] = field(default_factory=dict)  # point/option → Σw


@dataclass(frozen=True)
class Weighting:
    """The survey's weighting inputs, or why there is none."""

    age_question_id: int | None
    gender_question_id: int | None
    has_cells: bool

    @property
    def possible(self) -> bool:
        return bool(self.age_question_id and self.gender_question_id and self.has_cells)


def _source(*, weighted: bool, by_group: bool, alias: str = "a") -> tuple[str, str, str]:
    """(joins, weight expression, group expression) for answers aliased `alias`."""
    joins = ""
    if weighted:
        joins += f" JOIN weights ON weights.response_id = {alias}.response_id"
    if by_group:
        joins += (
            " JOIN (SELECT response_id, question_id AS pq, choice FROM surveys_answer"
            " WHERE municipality_id = %(m)s AND survey_id = %(s)s"
            " AND question_id = ANY(%(profiles)s) AND choice <> '') g"
            f" ON g.response_id = {alias}.response_id"
        )
    weight = "weights.weight" if weighted else "1.0::float8"
    group = "g.pq::text || ':' || g.choice" if by_group else "''"
    return joins, weight, group


def _run(sql: str, params: dict) -> list[tuple]:
    """Run one aggregate planned for whole sets (`qclub.planner.whole_sets`):
    under row-level security the planner estimates about one row for any
    filtered scan of `surveys_answer` and joined the answers to the profile
    answers or the weights by a nested loop, quadratic: 11 s for 300 responses.
    Every join here is between whole sets, so hash joins are always right."""
    with whole_sets(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def item_sums(
    *,
    survey,
    local: bool = False,
    weighted: bool = False,
    by_group: bool = False,
    profiles: list[int] = (),
    no_distribution: tuple[list[int], list[int]] = ((), ()),
    weighting: Weighting | None = None,
) -> dict[tuple[int | None, int | None, str], Sums]:
    """Sums per (question id, local question id, group) for the survey's core
    questions (or its local ones): two queries, one for the moments and the
    median, one for the distribution (scale points, options; multiple choice
    counted once per option chosen). `no_distribution`: (core, local) question
    ids whose values are not counted point by point (numbers)."""
    joins, weight, group = _source(weighted=weighted, by_group=by_group)
    which = "a.local_question_id IS NOT NULL" if local else "a.question_id IS NOT NULL"
    params = {
        "m": survey.municipality_id,
        "s": survey.pk,
        "profiles": list(profiles),
        "nq": list(no_distribution[0]),
        "nl": list(no_distribution[1]),
    }
    with_clause = ""
    if weighted:
        params.update(age_q=weighting.age_question_id, gender_q=weighting.gender_question_id)
        with_clause = WEIGHTS_CTE
    source = f"""
        src AS (
            SELECT a.question_id, a.local_question_id, a.number, a.number::float8 AS x,
                   a.choice, a.choices, a.dont_know, {weight} AS w, {group} AS grp
              FROM surveys_answer a {joins}
             WHERE a.municipality_id = %(m)s AND a.survey_id = %(s)s AND {which}
        )"""
    median = (
        "NULL::float8" if weighted else "percentile_cont(0.5) WITHIN GROUP (ORDER BY x)"
    )
    moments = f"""
        WITH {with_clause} {source}
        SELECT question_id, local_question_id, grp,
               count(*) FILTER (WHERE NOT dont_know),
               count(*) FILTER (WHERE dont_know),
               count(x),
               coalesce(sum(w) FILTER (WHERE NOT dont_know), 0),
               coalesce(sum(w) FILTER (WHERE x IS NOT NULL), 0),
               coalesce(sum(w * w) FILTER (WHERE x IS NOT NULL), 0),
               coalesce(sum(w * x), 0),
               coalesce(sum(w * x * x), 0),
               {median}
          FROM src GROUP BY question_id, local_question_id, grp"""
    result: dict[tuple, Sums] = {}
    for row in _run(moments, params):
        result[(row[0], row[1], row[2])] = Sums(*row[3:12])
    distribution = f"""
        WITH {with_clause} {source}
        SELECT question_id, local_question_id, grp, k, sum(w)
          FROM src, LATERAL unnest(
                   CASE WHEN cardinality(src.choices) > 0 THEN src.choices
                        ELSE ARRAY[coalesce(nullif(src.choice, ''), trim_scale(src.number)::text)]
                   END) AS k
         WHERE NOT dont_know AND k IS NOT NULL
           AND (question_id IS NULL OR question_id <> ALL(%(nq)s))
           AND (local_question_id IS NULL OR local_question_id <> ALL(%(nl)s))
         GROUP BY 1, 2, 3, 4"""
    for question_id, local_id, grp, key, total in _run(distribution, params):
        sums = result.get((question_id, local_id, grp))
        if sums is not None:
            sums.distribution[key] = total
    return result


def index_sums(
    *,
    survey,
    items: list[tuple[int, float, float, float]],
    weighted: bool = False,
    by_group: bool = False,
    profiles: list[int] = (),
    weighting: Weighting | None = None,
) -> dict[str, Sums]:
    """The satisfaction index per respondent (see `figures.index_items`) and its
    sums per group: `items` = (question id, scale min, scale max, weight)."""
    if not items:
        return {}
    joins, weight, group = _source(weighted=weighted, by_group=by_group, alias="per")
    params = {
        "m": survey.municipality_id,
        "s": survey.pk,
        "profiles": list(profiles),
        "ids": [item[0] for item in items],
        "lo": [item[1] for item in items],
        "hi": [item[2] for item in items],
        "iw": [item[3] for item in items],
    }
    with_clause = ""
    if weighted:
        params.update(age_q=weighting.age_question_id, gender_q=weighting.gender_question_id)
        with_clause = WEIGHTS_CTE
    median = (
        "NULL::float8" if weighted else "percentile_cont(0.5) WITHIN GROUP (ORDER BY x)"
    )
    sql = f"""
        WITH {with_clause}
        items AS (
            SELECT * FROM unnest(%(ids)s::bigint[], %(lo)s::float8[], %(hi)s::float8[],
                                 %(iw)s::float8[]) AS i(qid, lo, hi, iw)
        ),
        per AS (
            SELECT a.response_id,
                   100.0 * sum(items.iw * (a.number::float8 - items.lo) / (items.hi - items.lo))
                         / sum(items.iw) AS x
              FROM surveys_answer a JOIN items ON items.qid = a.question_id
             WHERE a.municipality_id = %(m)s AND a.survey_id = %(s)s
               AND a.question_id = ANY(%(ids)s) AND a.number IS NOT NULL AND NOT a.dont_know
             GROUP BY a.response_id
        ),
        src AS (SELECT per.x, {weight} AS w, {group} AS grp FROM per {joins})
        SELECT grp, count(*), count(*), coalesce(sum(w), 0), coalesce(sum(w), 0),
               coalesce(sum(w * w), 0), coalesce(sum(w * x), 0), coalesce(sum(w * x * x), 0),
               {median}
          FROM src GROUP BY grp"""
    result: dict[str, Sums] = {}
    for row in _run(sql, params):
        grp, answers, numeric, weight_answers, w, w2, wx, wx2, med = row
        result[grp] = Sums(
            answers=answers, numeric=numeric, weight_answers=weight_answers,
            w=w, w2=w2, wx=wx, wx2=wx2, median=med,
        )
    return result


def group_sizes(*, survey, profiles: list[int]) -> dict[str, int]:
    """Respondents per profile group ("<question id>:<option>")."""
    if not profiles:
        return {}
    rows = _run(
        "SELECT question_id::text || ':' || choice, count(*) FROM surveys_answer"
        " WHERE municipality_id = %(m)s AND survey_id = %(s)s"
        " AND question_id = ANY(%(profiles)s) AND choice <> '' GROUP BY 1",
        {"m": survey.municipality_id, "s": survey.pk, "profiles": list(profiles)},
    )
    return dict(rows)


@dataclass(frozen=True)
class Stratum:
    age: str
    gender: str | None  # None: the age band's gender cells collapsed into one
    collapsed: bool
    people: float
    respondents: int
    weight: float | None  # None: no respondent, the stratum is dropped


def strata(*, survey, weighting: Weighting) -> tuple[list[Stratum], int]:
    """The weighting's strata as computed by `WEIGHTS_CTE`, and how many
    respondents the weighted figures leave out (not placed in a cell)."""
    params = {
        "m": survey.municipality_id,
        "s": survey.pk,
        "age_q": weighting.age_question_id,
        "gender_q": weighting.gender_question_id,
    }
    rows = _run(
        f"""WITH {WEIGHTS_CTE} all_strata AS (
                SELECT strata.age, strata.gender, strata.collapsed, strata.people, strata.n,
                       usable.weight
                  FROM strata LEFT JOIN usable ON usable.age = strata.age
                   AND usable.gender IS NOT DISTINCT FROM strata.gender
            )
            SELECT age, gender, collapsed, people, n, weight,
                   (SELECT count(*) FROM surveys_response WHERE municipality_id = %(m)s
                       AND survey_id = %(s)s) - (SELECT count(*) FROM weights)
              FROM all_strata ORDER BY age, gender NULLS FIRST""",
        params,
    )
    left_out = rows[0][6] if rows else 0
    return [Stratum(*row[:6]) for row in rows], left_out


def response_count(*, survey) -> int:
    return _run(
        "SELECT count(*) FROM surveys_response WHERE municipality_id = %(m)s AND survey_id = %(s)s",
        {"m": survey.municipality_id, "s": survey.pk},
    )[0][0]


def grouped(sums: dict[tuple, Sums]) -> dict[str, dict[tuple, Sums]]:
    """{group: {(question id, local id): Sums}}."""
    out: dict[str, dict[tuple, Sums]] = defaultdict(dict)
    for (question_id, local_id, grp), value in sums.items():
        out[grp][(question_id, local_id)] = value
    return out
