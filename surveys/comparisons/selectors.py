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
from django.db import connection
from django.db.models import Count
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qclub.models import Municipality, PeerGroup
from qclub.selectors import peer_group_get, peer_groups  # noqa: F401 - the comparisons' names
from surveys.comparisons import statistics
from surveys.comparisons.statistics import Limits, Point
from surveys.models import ItemResult, Question, QuestionKind, QuestionnaireVersion, Survey
from surveys.models.questionnaires import localized
from surveys.results.selectors import SAMPLE_ROWS_SQL, SAMPLE_SQL

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
    order: int = 0  # 1 for the highest mean: where the survey stands in the table

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


@dataclass(frozen=True)
class FunnelCell:
    """Surveys close together on the funnel plot, drawn as one point: their
    count, the geometric mean of their answers and the mean of their means;
    the survey's name when the cell holds one survey."""

    answers: float
    mean: float
    surveys: int
    name: str | None


@dataclass
class Comparison:
    version: QuestionnaireVersion
    year: int
    measure: Measure
    measures: list[Measure]
    rows: list[Row]  # the page asked, best mean first
    insufficient: list[Insufficient]  # the first INSUFFICIENT_LISTED by comune, or all for the export
    theta: float | None
    sigma: float | None
    curve: list[Limits] = field(default_factory=list)
    group: PeerGroup | None = None
    min_sample: int = 0
    total: int = 0  # surveys compared (every page)
    insufficient_total: int = 0
    offset: int = 0
    limit: int = 0
    own: list[Row] = field(default_factory=list)  # the viewer's surveys not on the page
    best: Row | None = None  # the best performer, wherever its page
    positions: dict[str, int] = field(default_factory=dict)  # surveys per funnel position
    funnel_cells: list[FunnelCell] = field(default_factory=list)

    @property
    def viewer_rows(self) -> list[Row]:
        """The viewer's surveys, on the page or not, in table order."""
        return sorted([row for row in self.rows if row.is_viewer] + self.own, key=lambda row: row.order)


def version_get(version_id: int) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_related("questionnaire").filter(pk=version_id).first()
    if version is None:
        raise Http404(_("Questionario non trovato."))
    return version


# One statement per comparison; the club scope's policies in force on every table.
# `surveys`: the compared surveys, by version and year (no list of ids). `figures`:
# each one's stored row for the measure, all respondents, unweighted — one index-only
# probe of `surveys_itemresult_overall` (comune, survey, measure, question; partial,
# the figures included) per survey, the club policy's check on the survey beside it —
# and its sample (`ItemResult.responses`, the same on
# every row of one computation; for rows stored before that column, or a survey
# without a row for the measure, the most answers any all-respondents row got, as
# `results.selectors.SAMPLE_SQL` says, as `stored_samples` reads it). `compared` orders them (best mean
# first); `club` is the funnel's θ and σ (statistics.club_mean, pooled_sd), the best
# performer's test (statistics.best_performer) and the bounds of the funnel's cells.
# Only the page, the viewer's and the best performer's rows, the funnel's cells and the
# first insufficient surveys leave the database.
_COMPARISON_SQL = """
WITH surveys AS (
    SELECT s.id, s.municipality_id, s.public_id, s.title, m.name, m.slug
    FROM surveys_survey s
    JOIN qclub_municipality m ON m.id = s.municipality_id
    WHERE s.version_id = %(version)s AND s.year = %(year)s AND s.status IN ('closed', 'published')
      {group}
), figures AS MATERIALIZED (
    -- x and sd: the mean and spread as float8 once (a numeric cast goes through text).
    SELECT s.*, r.answers, r.mean, r.ci_low, r.ci_high, r.std_dev, r.mean::float8 AS x, r.std_dev::float8 AS sd,
           COALESCE(r.responses, (
               SELECT {sample} FROM surveys_itemresult x
               WHERE x.municipality_id = s.municipality_id AND x.survey_id = s.id AND {sample_rows}), 0) AS sample
    FROM surveys s
    LEFT JOIN surveys_itemresult r
      ON r.municipality_id = s.municipality_id AND r.survey_id = s.id AND {question}
     AND r.measure = %(measure)s AND r.breakdown = '' AND NOT r.weighted AND r.mean IS NOT NULL
), compared AS MATERIALIZED (
    SELECT f.*, row_number() OVER (ORDER BY f.mean DESC, f.name, f.title, f.id) AS ord
    FROM figures f
    WHERE f.mean IS NOT NULL AND f.sample >= %(floor)s
), club AS MATERIALIZED (
    SELECT count(*) AS total,
           sum(x * answers) / NULLIF(sum(answers), 0) AS theta,
           sqrt(sum((answers - 1) * sd ^ 2) FILTER (WHERE std_dev IS NOT NULL AND answers > 1)
                / NULLIF(sum(answers - 1) FILTER (WHERE std_dev IS NOT NULL AND answers > 1), 0)) AS sigma,
           count(*) >= 2 AND count(*) FILTER (WHERE ci_low IS NULL OR ci_high IS NULL) = 0
               AND max(ci_low) FILTER (WHERE ord = 1) > max(ci_high) FILTER (WHERE ord > 1) AS has_best,
           min(answers) AS n_min, max(answers) AS n_max, min(x) AS mean_min, max(x) AS mean_max
    FROM compared
), placed AS (
    SELECT c.*, c.ord = 1 AND club.has_best AS best,
           CASE WHEN club.theta IS NULL OR club.sigma IS NULL OR c.answers < 1 THEN NULL
                WHEN c.x > club.theta + %(z998)s * (club.sigma / sqrt(c.answers)) THEN 'above_998'
                WHEN c.x > club.theta + %(z95)s * (club.sigma / sqrt(c.answers)) THEN 'above_95'
                WHEN c.x < club.theta - %(z998)s * (club.sigma / sqrt(c.answers)) THEN 'below_998'
                WHEN c.x < club.theta - %(z95)s * (club.sigma / sqrt(c.answers)) THEN 'below_95'
                ELSE 'within' END AS funnel
    FROM compared c CROSS JOIN club
), cells AS (
    -- The funnel plot: at most CELLS x CELLS cells, log(answers) by mean; the viewer
    -- and the best performer are drawn one by one, not here.
    SELECT count(*) AS surveys, exp(avg(ln(p.answers))) AS answers, avg(p.x) AS mean,
           CASE WHEN count(*) = 1 THEN min(p.name) END AS name
    FROM placed p CROSS JOIN club
    WHERE p.answers > 0 AND NOT p.best AND p.municipality_id <> %(viewer)s
    GROUP BY least(%(cells)s - 1, floor(%(cells)s * (ln(p.answers) - ln(club.n_min))
                                         / NULLIF(ln(club.n_max) - ln(club.n_min), 0))),
             least(%(cells)s - 1, floor(%(cells)s * (p.x - club.mean_min)
                                         / NULLIF(club.mean_max - club.mean_min, 0)))
), insufficient AS (
    SELECT f.public_id, f.name, f.slug, f.title, f.sample
    FROM figures f WHERE f.sample < %(floor)s
), summary AS (
    SELECT club.total, club.theta, club.sigma, club.n_min, club.n_max,
           (SELECT json_object_agg(funnel, n) FROM (
                SELECT funnel, count(*) AS n FROM placed WHERE funnel IS NOT NULL GROUP BY funnel) k) AS positions,
           CASE WHEN %(with_cells)s THEN (
               SELECT json_agg(json_build_array(answers, mean, surveys, name)) FROM cells) END AS cells,
           (SELECT count(*) FROM insufficient) AS insufficient_total,
           (SELECT json_agg(json_build_array(public_id, name, slug, title, sample) ORDER BY name, title) FROM (
                SELECT * FROM insufficient ORDER BY name, title LIMIT %(insufficient)s) i) AS insufficient
    FROM club
)
-- The summary's lists on the first row only (not copied onto every row of the page).
SELECT summary.total, summary.theta, summary.sigma, summary.n_min, summary.n_max, summary.insufficient_total,
       CASE WHEN row_number() OVER w = 1 THEN summary.positions END AS positions,
       CASE WHEN row_number() OVER w = 1 THEN summary.cells END AS cells,
       CASE WHEN row_number() OVER w = 1 THEN summary.insufficient END AS insufficient,
       p.public_id, p.title, p.municipality_id, p.name, p.slug, p.sample, p.answers, p.mean,
       p.ci_low, p.ci_high, p.std_dev, p.ord, p.best, p.funnel
FROM summary
LEFT JOIN placed p
  ON (p.ord > %(offset)s AND p.ord <= %(offset)s + %(limit)s) OR p.municipality_id = %(viewer)s OR p.best
WINDOW w AS (ORDER BY p.ord)
ORDER BY p.ord
"""

CELLS = 24  # the funnel plot's grid: at most CELLS² points, whatever the number of surveys
INSUFFICIENT_LISTED = 100  # on the page and in the API; the export lists them all
EXPORT_LIMIT = 20_000  # surveys a measure's export holds at most (Italy has 7,896 comuni)


def _fetch(version, year, measure: Measure, group, viewer, *, offset: int, limit: int,
           insufficient: int, with_cells: bool) -> tuple[dict, list[dict]]:
    sql = _COMPARISON_SQL.format(
        group="AND s.municipality_id IN (SELECT g.municipality_id FROM benchmarking_peergroup_members g "
              "WHERE g.peergroup_id = %(group)s)" if group is not None else "",
        # Two spellings, so that either is a plain equality on the unique key.
        question="r.question_id IS NULL" if measure.is_index else "r.question_id = %(question)s",
        sample=SAMPLE_SQL, sample_rows=SAMPLE_ROWS_SQL,
    )
    params = {
        "version": version.pk, "year": year, "group": getattr(group, "pk", None),
        "question": None if measure.is_index else measure.question.pk,
        "measure": ItemResult.Measure.INDEX if measure.is_index else ItemResult.Measure.ITEM,
        "floor": min_sample(), "z95": statistics.Z95, "z998": statistics.Z998, "cells": CELLS, "with_cells": with_cells,
        "viewer": getattr(viewer, "pk", None) or 0, "offset": offset, "limit": limit,
        "insufficient": insufficient,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        records = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return records[0], [record for record in records if record["ord"] is not None]


def _municipality(pk: int, name: str, slug: str) -> Municipality:
    # What a row shows of its comune; built from the statement's columns, not fetched.
    return Municipality(pk=pk, name=name, slug=slug)


def _row(record: dict, viewer) -> Row:
    return Row(
        survey_public_id=record["public_id"], survey_title=record["title"],
        municipality=_municipality(record["municipality_id"], record["name"], record["slug"]),
        sample=record["sample"], answers=record["answers"], mean=record["mean"], ci_low=record["ci_low"],
        ci_high=record["ci_high"], std_dev=record["std_dev"],
        is_viewer=viewer is not None and record["municipality_id"] == viewer.pk,
        is_best=bool(record["best"]), position=record["funnel"], order=record["ord"],
    )


def _comparison(version, year, measure: Measure, measures: list[Measure], group, viewer, *, offset: int,
                limit: int, insufficient: int, with_cells: bool = True) -> Comparison:
    summary, records = _fetch(version, year, measure, group, viewer, offset=offset, limit=limit,
                              insufficient=insufficient, with_cells=with_cells)
    rows = [_row(record, viewer) for record in records]
    page = [row for row in rows if offset < row.order <= offset + limit]
    theta, sigma = summary["theta"], summary["sigma"]
    curve = []
    if theta is not None and sigma is not None and summary["total"]:
        curve = statistics.funnel_curve(theta, sigma, summary["n_min"] // 2 or 2, summary["n_max"] * 2)
    return Comparison(
        version=version, year=year, measure=measure, measures=measures, rows=page,
        insufficient=[
            Insufficient(public_id, _municipality(0, name, slug), title, sample)
            for public_id, name, slug, title, sample in summary["insufficient"] or []
        ],
        theta=theta, sigma=sigma, curve=curve, group=group, min_sample=min_sample(), total=summary["total"],
        insufficient_total=summary["insufficient_total"], offset=offset, limit=limit,
        own=[row for row in rows if row.is_viewer and not offset < row.order <= offset + limit],
        best=next((row for row in rows if row.is_best), None),
        positions=summary["positions"] or {},
        funnel_cells=[FunnelCell(*cell) for cell in summary["cells"] or []],
    )


def comparison(
    version: QuestionnaireVersion,
    year: int,
    *,
    measure_code: str = INDEX,
    group: PeerGroup | None = None,
    viewer: Municipality | None = None,
    offset: int = 0,
    limit: int = 50,
    with_cells: bool = True,
) -> Comparison:
    """The surveys of `version` and `year` (closed or published; in `group`'s
    comuni if given) side by side on one measure: those with at least
    `min_sample()` answers compared (club mean, funnel limits, best performer
    beyond the intervals, all over every compared survey), the others counted
    as insufficient. Only `limit` rows from `offset` (best mean first), the
    viewer's and the best performer's rows leave the database, with the funnel
    plot's points gathered in cells (`with_cells`: the page draws them, the API
    does not). Two queries: the measures, the comparison."""
    measures = measures_of(version)
    measure = next((m for m in measures if m.code == measure_code), None)
    if measure is None:
        raise Http404(_("Domanda non presente in questo questionario."))
    return _comparison(version, year, measure, measures, group, viewer, offset=max(offset, 0),
                       limit=max(min(limit, 1000), 1), insufficient=INSUFFICIENT_LISTED, with_cells=with_cells)


def all_measures(
    version: QuestionnaireVersion, year: int, *, group: PeerGroup | None = None
) -> list[Comparison]:
    """Every measure's comparison, every survey (the export): one statement per
    measure, each at most EXPORT_LIMIT surveys compared and as many insufficient."""
    measures = measures_of(version)
    return [
        _comparison(version, year, measure, measures, group, None, offset=0, limit=EXPORT_LIMIT,
                    insufficient=EXPORT_LIMIT, with_cells=False)
        for measure in measures
    ]



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
