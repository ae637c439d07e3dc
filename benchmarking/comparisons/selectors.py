"""The members area's arithmetic: approved figures ranked, summarised and
compared, kept ready on approval so that pages read one indexed table.

Maintenance (`publish`, `withdraw`) runs inside the coordinator's review
scope when a submission is approved or reopened. Reads (`ranking`,
`scorecard`, `trend`) run inside the club scope, where the database shows
approved figures of other comuni except those a comune keeps to itself, or
the public scope for open data.
"""

from __future__ import annotations

import bisect
import functools
import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.comparisons import standing
from benchmarking.comparisons.standing import score_of
from benchmarking.formula import ratio_parts
from benchmarking.models import (
    ApprovedResult,
    BestPractice,
    ContextValue,
    Indicator,
    IndicatorVersion,
    ResultSummary,
    Visibility,
)
from benchmarking.periods import Period
from qclub import selectors as core_selectors
from qclub.models import Municipality, PeerGroup, ThematicArea
from qclub.planner import whole_sets

# ISTAT's demographic classes of comuni (upper bounds, inclusive).
POPULATION_CLASSES = [
    (1_000, "fino a 1.000"), (5_000, "1.001–5.000"), (10_000, "5.001–10.000"),
    (20_000, "10.001–20.000"), (50_000, "20.001–50.000"), (100_000, "50.001–100.000"),
    (250_000, "100.001–250.000"), (None, "oltre 250.000"),
]


def min_reporters() -> int:
    """Below this many comuni no rank and no best performer is shown."""
    return getattr(settings, "BENCHMARK_MIN_REPORTERS", 4)


def population_class(population: int | None) -> int | None:
    if population is None:
        return None
    for index, (upper, _label) in enumerate(POPULATION_CLASSES):
        if upper is None or population <= upper:
            return index
    return None  # pragma: no cover


@dataclass
class Stats:
    reported: int = 0
    minimum: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None
    maximum: Decimal | None = None
    mean: Decimal | None = None
    best: Decimal | None = None
    best_score: Decimal | None = None
    median_score: Decimal | None = None
    best_municipalities: list[int] = field(default_factory=list)


def quantile(ordered: list[Decimal], p: float) -> Decimal | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    if not ordered:
        return None
    position = Decimal(str(p)) * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(rows: list[tuple[int, Decimal, Decimal]], *, in_range: bool = False) -> Stats:
    """(municipality, value, score) rows -> the summary; the best is by score,
    so "lower is better" is respected; ties share the best. For a range
    indicator (`in_range`, see `standing`) there is no best value: the comuni
    in range (score 0) share "best"."""
    if not rows:
        return Stats()
    values = sorted(value for _m, value, _s in rows)
    scores = sorted(score for _m, _v, score in rows)
    best_score = Decimal(0) if in_range else scores[-1]
    best_rows = [(m, v) for m, v, s in rows if s == best_score]
    return Stats(
        reported=len(rows), minimum=values[0], q1=quantile(values, 0.25), median=quantile(values, 0.5),
        q3=quantile(values, 0.75), maximum=values[-1], mean=sum(values) / len(values),
        best=None if in_range or not best_rows else best_rows[0][1], best_score=best_score,
        median_score=quantile(scores, 0.5), best_municipalities=sorted(m for m, _v in best_rows),
    )


def competition_ranks(scores: list[Decimal]) -> list[int]:
    """Standard competition ranking ("1224") of scores, best first, in input order."""
    ordered = sorted(scores, reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return [first[score] for score in scores]


def quartile_of(score: Decimal, stats_scores: list[Decimal]) -> int:
    """1 = the best quarter … 4 = the worst, on direction-adjusted scores
    (`stats_scores` sorted ascending)."""
    share = bisect.bisect_right(stats_scores, score) / len(stats_scores)
    return 1 if share > 0.75 else 2 if share > 0.5 else 3 if share > 0.25 else 4


ALL, REGION, CLASS, SIMILAR, GROUP = "all", "region", "class", "similar", "group"


GROUP_KINDS = (ALL, REGION, CLASS, SIMILAR, GROUP)


SIMILAR_SIZE = 10


@dataclass(frozen=True)
class Group:
    kind: str = ALL
    group_id: int | None = None
    context_keys: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str | None, context_keys=()) -> Group:
        """`all`, `region`, `class`, `similar` or `group:<id>` (from the URL)."""
        text = (text or ALL).strip()
        if text.startswith("group:") and text[6:].isdigit():
            return cls(GROUP, int(text[6:]))
        return cls(text if text in GROUP_KINDS[:-1] else ALL, None, tuple(context_keys))

    @property
    def code(self) -> str:
        return f"group:{self.group_id}" if self.kind == GROUP else self.kind


def members_of(group: Group, viewer: Municipality | None, candidates: dict[int, Municipality], year: int) -> set[int]:
    """Which of `candidates` (the comuni that reported) belong to the group."""
    if group.kind == ALL or viewer is None and group.kind != GROUP:
        return set(candidates)
    if group.kind == REGION:
        return {pk for pk, m in candidates.items() if m.region == viewer.region}
    if group.kind == CLASS:
        mine = population_class(viewer.population)
        return {pk for pk, m in candidates.items() if population_class(m.population) == mine}
    if group.kind == GROUP:
        members = set(
            PeerGroup.members.through.objects.filter(peergroup_id=group.group_id).values_list("municipality_id", flat=True)
        )
        return members & set(candidates)
    return _most_similar(viewer, candidates, group.context_keys, year)


def _most_similar(viewer, candidates, context_keys, year) -> set[int]:
    """The ids of `neighbours`' choice, the viewer included when it reported."""
    chosen = {n.municipality.pk for n in neighbours(viewer, candidates, context_keys, year).chosen}
    if viewer.pk in candidates:
        chosen.add(viewer.pk)
    return chosen


@dataclass
class Neighbour:
    municipality: Comune | Municipality
    distance: float  # over the descriptors both comuni have, each scaled by its spread
    values: list[str]  # the comune's value of each descriptor, as shown ("" when it has none)


@dataclass
class Neighbours:
    """Why the "most similar" comuni are these: the descriptors compared, the
    viewer's values, each neighbour's values and distance, nearest first."""

    descriptors: list[str]
    own_values: list[str]
    chosen: list[Neighbour]
    pool: int  # the other comuni with a figure, among which the neighbours are chosen
    size: int = SIMILAR_SIZE
    unknown_keys: list[str] = field(default_factory=list)  # asked for, but no comune has them

    @property
    def too_small(self) -> bool:
        """Fewer than twice the neighbours to choose from: the "most similar"
        would be most of the club, so the set says little about similarity."""
        return self.pool < 2 * self.size


def neighbours(viewer, candidates, context_keys, year) -> Neighbours:
    """Nearest neighbours on log population and the chosen numeric context
    descriptors (each scaled by its spread, so no descriptor outweighs the
    others by its unit), the viewer excluded; ties by name."""
    comuni = {**candidates, viewer.pk: viewer}
    features: dict[int, list[float]] = {
        pk: [math.log(m.population) if m.population else math.nan] for pk, m in comuni.items()
    }
    shown: dict[int, list[str]] = {
        pk: [f"{m.population:,}".replace(",", ".") if m.population else ""] for pk, m in comuni.items()
    }
    table: dict[tuple[int, str], float] = {}
    texts: dict[tuple[int, str], str] = {}
    if context_keys:
        described = ContextValue.objects.filter(year=year, key__in=context_keys).values_list("municipality_id", "key", "value")
        for municipality_id, key, value in described:
            try:
                table[(municipality_id, key)] = float(str(value).replace(",", "."))
            except ValueError:
                continue
            texts[(municipality_id, key)] = str(value)
    keys = [key for key in context_keys if any(k == key for _pk, k in table)]
    for key in keys:
        known = [x for (_pk, k), x in table.items() if k == key]
        spread = (max(known) - min(known)) or 1.0
        for pk in features:
            x = table.get((pk, key))
            features[pk].append(x / spread if x is not None else math.nan)
            shown[pk].append(texts.get((pk, key), ""))
    mine = features[viewer.pk]

    def distance(pk: int) -> float:
        pairs = [(a, b) for a, b in zip(mine, features[pk], strict=True) if not (math.isnan(a) or math.isnan(b))]
        return math.dist([a for a, _b in pairs], [b for _a, b in pairs]) if pairs else math.inf

    others = [pk for pk in candidates if pk != viewer.pk]
    ordered = sorted(others, key=lambda pk: (distance(pk), comuni[pk].name))
    chosen = [
        Neighbour(comuni[pk], distance(pk), shown[pk]) for pk in ordered[:SIMILAR_SIZE] if distance(pk) != math.inf
    ]
    return Neighbours(
        descriptors=[_("popolazione"), *keys], own_values=shown[viewer.pk], chosen=chosen, pool=len(others),
        size=SIMILAR_SIZE, unknown_keys=[key for key in context_keys if key not in keys],
    )


@dataclass(slots=True)  # a national ranking makes 7,896 of them
class RankingRow:
    municipality: Comune | Municipality
    value: Decimal | None
    reason: str
    rank: int | None
    quartile: int | None
    from_best: Decimal | None
    from_median: Decimal | None
    change: Decimal | None
    in_basis: bool
    is_viewer: bool
    # Range indicators only (see `standing`): in_range / below / above, and the
    # distance to the nearest bound (they have no best, quartile or percentile).
    position: str = ""
    from_range: Decimal | None = None

    @property
    def position_text(self) -> str:
        return standing.describe(self.position, self.from_range)


@dataclass
class Ranking:
    indicator: Indicator
    version: IndicatorVersion
    period: Period
    rows: list[RankingRow]
    stats: Stats
    club_ratio: Decimal | None
    suppressed: bool  # too few comuni reported: no ranks, no best performer
    shown: Group
    basis: Group
    not_reported: list[RankingRow] = field(default_factory=list)
    neighbours: Neighbours | None = None  # when "most similar" is shown or the basis
    # Keyset pages of the national ranking (`ranking(..., page=...)`): the slug
    # of the last comune shown when more follow, else None.
    next_after: str | None = None
    best: list[Comune] | None = None  # the best comuni when `rows` is one page

    @property
    def best_rows(self) -> list[RankingRow]:
        """The best performers; for a range indicator, every comune in range."""
        if self.suppressed:
            return []
        if self.best is not None:
            on_page = {r.municipality.pk: r for r in self.rows}
            return [on_page.get(m.pk) or RankingRow(m, self.stats.best, "", 1, 1, Decimal(0), None, None, True, False)
                    for m in self.best]
        return [r for r in self.rows if r.municipality.pk in self.stats.best_municipalities]

    @property
    def has_range(self) -> bool:
        return standing.has_range(self.version)

    @property
    def range_text(self) -> str:
        return standing.range_text(self.version) if self.has_range else ""


class Comune(NamedTuple):
    """What a comparison needs of a comune (light: a national ranking has 7,896)."""

    pk: int
    name: str
    slug: str
    istat_code: str
    region: str
    population: int | None


def _period_filter(period: Period) -> dict:
    return {"period_year": period.year, "period_kind": period.kind, "period_index": period.index}


_RANKING_ROWS_SQL = """
SELECT r.municipality_id, r.value, r.reason, r.score, r.visibility, r.numerator, r.denominator,
       m.name, m.slug, m.istat_code, m.region, m.population, p.value
FROM benchmarking_approvedresult r
JOIN qclub_municipality m ON m.id = r.municipality_id
LEFT JOIN benchmarking_approvedresult p ON p.municipality_id = r.municipality_id
     AND p.indicator_id = r.indicator_id AND p.period_year = %(p_year)s AND p.period_kind = %(p_kind)s
     AND p.period_index = %(p_index)s
WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = %(kind)s
  AND r.period_index = %(index)s
"""


def _results(indicator: Indicator, period: Period) -> tuple[list[tuple], dict[int, Comune], dict[int, Decimal]]:
    """One read for a ranking: every visible figure of the indicator-period with
    its comune and the comune's figure of the previous period (row-level
    security decides which rows the scope sees)."""
    previous = period.previous()
    # The first period kept has none before it: year 0 matches no row.
    p_year, p_kind, p_index = (previous.year, previous.kind, previous.index) if previous else (0, period.kind, period.index)
    with connection.cursor() as cursor:
        cursor.execute(_RANKING_ROWS_SQL, {
            "indicator": indicator.pk, "year": period.year, "kind": period.kind, "index": period.index,
            "p_year": p_year, "p_kind": p_kind, "p_index": p_index,
        })
        rows = cursor.fetchall()
    comuni = {row[0]: Comune(row[0], row[7], row[8], row[9], row[10], row[11]) for row in rows}
    before = {row[0]: row[12] for row in rows if row[12] is not None}
    return [row[:7] for row in rows], comuni, before


@dataclass(frozen=True)
class Page:
    """A keyset page of the national ranking: the comuni after the one whose
    slug is `after` (from the start when None), at most `size` of them."""

    after: str | None = None
    size: int = 50


def ranking(
    indicator: Indicator, period: Period, *, viewer: Municipality | None,
    shown: Group = Group(), basis: Group | None = None, page: Page | None = None,
) -> Ranking:
    """One indicator and period: the comuni of `shown`, ranked and placed
    against the statistics of `basis` (by default the same group). Run inside
    the club (or public) scope.

    A member's national view (every comune against every comune) reads the
    ranks and statistics stored on approval (`services.rerank`), one keyset
    `page` at a time if asked; a group is ranked here, among its own members,
    and so is the public view (it sees published figures only, the stored
    statistics are the club's).

    A `page` is taken only by the national view; a group is always whole."""
    basis = basis or shown
    if shown == basis == Group() and viewer is not None:
        return _stored_ranking(indicator, period, viewer=viewer, page=page)
    return _computed_ranking(indicator, period, viewer=viewer, shown=shown, basis=basis)


def _computed_ranking(
    indicator: Indicator, period: Period, *, viewer: Municipality | None, shown: Group, basis: Group,
) -> Ranking:
    """Every visible figure read, the comuni of `shown` ranked here."""
    version = IndicatorVersion.objects.filter(indicator=indicator).order_by("-number").first()
    results, municipalities, previous = _results(indicator, period)
    reported = {
        m: (v, reason, s, vis, n, d) for m, v, reason, s, vis, n, d in results
    }
    ranked = {m: row for m, row in reported.items() if row[2] is not None and row[3] != Visibility.OWN}
    candidates = {pk: municipalities[pk] for pk in ranked}
    basis_ids = members_of(basis, viewer, candidates, period.year)
    shown_ids = members_of(shown, viewer, candidates, period.year) if shown != basis else basis_ids
    in_range = standing.has_range(version)
    stats = summarize([(m, ranked[m][0], ranked[m][2]) for m in basis_ids], in_range=in_range)
    basis_scores = sorted(ranked[m][2] for m in basis_ids)
    suppressed = stats.reported < min_reporters()
    order = sorted(shown_ids, key=lambda m: (-ranked[m][2], municipalities[m].name))
    ranks = competition_ranks([ranked[m][2] for m in order])
    rows = []
    for m, rank in zip(order, ranks, strict=True):
        value, _reason, score = ranked[m][0], ranked[m][1], ranked[m][2]
        in_basis = m in basis_ids
        rows.append(RankingRow(
            municipality=municipalities[m], value=value, reason="", is_viewer=viewer is not None and m == viewer.pk,
            rank=None if suppressed else rank if shown == basis else _rank_within(score, basis_scores),
            quartile=None if suppressed or in_range or not basis_scores else quartile_of(score, basis_scores),
            from_best=None if suppressed or stats.best is None else abs(stats.best - value),
            from_median=value - stats.median if stats.median is not None else None,
            change=value - previous[m] if m in previous else None, in_basis=in_basis,
            position=standing.position(value, version), from_range=standing.distance_to_range(value, version),
        ))
    not_reported = [
        RankingRow(municipalities[m], None, row[1] or "own", None, None, None, None, None, False,
                   viewer is not None and m == viewer.pk)
        for m, row in reported.items() if m not in ranked and (viewer is not None and m == viewer.pk or row[1])
    ]
    club_ratio = None
    parts = ratio_parts(version.parsed) if version else None
    if parts is not None and basis_ids and all(ranked[m][4] is not None and ranked[m][5] for m in basis_ids):
        total = sum(ranked[m][5] for m in basis_ids)
        club_ratio = sum(ranked[m][4] for m in basis_ids) / total * parts.factor if total else None
    similar = next((g for g in (shown, basis) if g.kind == SIMILAR), None)
    explained = neighbours(viewer, candidates, similar.context_keys, period.year) if similar and viewer else None
    return Ranking(indicator, version, period, rows, stats, club_ratio, suppressed, shown, basis, not_reported,
                   explained)


# The previous period's figure is joined to the rows chosen (a page: after its
# LIMIT), not to every row the choice reads.
_STORED_ROWS_SQL = """
SELECT x.municipality_id, x.name, x.slug, x.istat_code, x.region, x.population,
       x.value, x.reason, x.rank, x.rank = 1 AND x.score = %(best_score)s,
       CASE WHEN 4 * (x.reported - x.rank + 1) > 3 * x.reported THEN 1
            WHEN 2 * (x.reported - x.rank + 1) > x.reported THEN 2
            WHEN 4 * (x.reported - x.rank + 1) > x.reported THEN 3 ELSE 4 END,
       abs(%(best)s - x.value), x.value - %(median)s, x.value - p.value
FROM (
    SELECT r.municipality_id, m.name, m.slug, m.istat_code, m.region, m.population,
           r.value, r.reason, r.rank, r.score, r.reported, m.id
    FROM benchmarking_approvedresult r
    JOIN qclub_municipality m ON m.id = r.municipality_id
    WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = %(kind)s
      AND r.period_index = %(index)s AND {where}
    {limit}
) x
LEFT JOIN benchmarking_approvedresult p ON p.municipality_id = x.municipality_id
     AND p.indicator_id = %(indicator)s AND p.period_year = %(p_year)s AND p.period_kind = %(p_kind)s
     AND p.period_index = %(p_index)s
ORDER BY x.rank, x.name, x.id
"""
# Ranked rows come in the order of the stored ranks (the partial index
# `approved_rank_order`), ties by name; a page starts after the (rank, name, id)
# of the last comune of the page before. Integer and text comparisons only: they
# are leak-proof, so PostgreSQL may use them in the index scan under row-level
# security (numeric ones, as on the score, it may not). The whole ranking is one read: the comuni
# without a rank (a reason, or the viewer's own figure kept to itself) come last.
_RANKED = "r.rank IS NOT NULL"
_AFTER = (
    "r.rank IS NOT NULL AND r.rank >= %(a_rank)s"
    " AND (r.rank > %(a_rank)s OR m.name > %(a_name)s OR (m.name = %(a_name)s AND m.id > %(a_id)s))"
)
_NOT_RANKED = "r.rank IS NULL AND (r.reason <> '' OR r.municipality_id = %(viewer)s)"
_ALL = f"({_RANKED} OR {_NOT_RANKED.replace('r.rank IS NULL AND ', '')})"
_BEST = "r.rank = 1 AND r.score = %(best_score)s"


def _stored_rows(where: str, params: dict, limit: int | None = None, *, whole: bool = False) -> list[tuple]:
    # The whole ranking joins every comune to its previous figure: hash joins
    # (`whole_sets`), not a probe per comune; a page's few rows are probed.
    with whole_sets() if whole else nullcontext(), connection.cursor() as cursor:
        cursor.execute(
            _STORED_ROWS_SQL.format(
                where=where, limit=f"ORDER BY r.rank, m.name, m.id LIMIT {int(limit)}" if limit else "",
            ), params
        )
        return cursor.fetchall()


def _stored_ranking(indicator: Indicator, period: Period, *, viewer: Municipality | None, page: Page | None) -> Ranking:
    """The national ranking from the stored ranks and club summary: no sort and
    no statistics computed per request (quartile and distances in the read)."""
    version = IndicatorVersion.objects.filter(indicator=indicator).order_by("-number").first()
    summary = ResultSummary.objects.filter(indicator=indicator, **_period_filter(period)).first()
    previous = period.previous()
    in_range = standing.has_range(version)
    stats = Stats()
    if summary is not None and summary.reported:
        # A range indicator has no best value: the comuni in range (score 0) share "best".
        best_score = Decimal(0) if in_range else (score_of(summary.best, version) if version else summary.best)
        stats = Stats(
            reported=summary.reported, minimum=summary.minimum, q1=summary.q1, median=summary.median,
            q3=summary.q3, maximum=summary.maximum, mean=summary.mean,
            best=None if in_range else summary.best, best_score=best_score,
            median_score=score_of(summary.median, version) if version and not in_range else None,
        )
    suppressed = stats.reported < min_reporters()
    params = {
        "indicator": indicator.pk, "year": period.year, "kind": period.kind, "index": period.index,
        # The first period kept has no previous one (Period.previous() is None): no change then.
        "p_year": previous.year if previous else 0, "p_kind": previous.kind if previous else "",
        "p_index": previous.index if previous else 0,
        "viewer": viewer.pk if viewer is not None else None, "best": stats.best, "median": stats.median,
        "best_score": stats.best_score,
    }
    if page is None:
        found = _stored_rows(_ALL, params, whole=True)
        more = False
    else:
        where = _RANKED
        if page.after:
            last = _stored_rows(_RANKED + " AND m.slug = %(after)s", {**params, "after": page.after}, limit=1)
            if last:
                params.update(a_rank=last[0][8], a_name=last[0][1], a_id=last[0][0])
                where = _AFTER
        found = _stored_rows(where, params, page.size + 1)
        more = len(found) > page.size
        found = found[: page.size]
        if not page.after:
            found += _stored_rows(_NOT_RANKED, params)
    mine = viewer.pk if viewer is not None else None
    # What every row hides is decided once (a national ranking has 7,896 rows):
    # no rank with too few comuni, no quartile or distance to the best for a
    # range indicator, which has a position instead.
    show_rank, show_place = not suppressed, not (suppressed or in_range)
    rows = [
        RankingRow(
            Comune(m, name, slug, istat, region, population), value, "", rank if show_rank else None,
            quartile if show_place else None, from_best if show_place else None, from_median, change, True,
            m == mine, standing.position(value, version) if in_range else "",
            standing.distance_to_range(value, version) if in_range else None,
        )
        for m, name, slug, istat, region, population, value, _reason, rank, _best, quartile, from_best, from_median,
        change in found if rank is not None
    ]
    not_reported = [
        RankingRow(Comune(*row[:6]), None, row[7] or "own", None, None, None, None, None, False, row[0] == mine)
        for row in found if row[8] is None
    ]
    best = None
    if stats.best_score is not None:
        if page is None:
            best_found = [Comune(*row[:6]) for row in found if row[9]]
        else:
            best_found = [Comune(*row[:6]) for row in _stored_rows(_BEST, params)]
            best = best_found
        stats.best_municipalities = sorted(c.pk for c in best_found)
    return Ranking(
        indicator, version, period, rows, stats, summary.club_ratio if summary else None, suppressed,
        Group(), Group(), not_reported, next_after=rows[-1].municipality.slug if more else None, best=best,
    )


def _rank_within(score: Decimal, basis_scores: list[Decimal]) -> int:
    """Where a score would stand among the basis group (1 + how many beat it;
    `basis_scores` sorted ascending)."""
    return 1 + len(basis_scores) - bisect.bisect_right(basis_scores, score)


@dataclass
class ScorecardLine:
    indicator: Indicator
    version: IndicatorVersion
    value: Decimal | None
    reason: str
    percentile: Decimal | None
    rank: int | None
    reported: int | None
    median: Decimal | None
    best: Decimal | None
    light: str  # "green", "amber", "red", "" (not enough comuni or no value)
    trend: list[tuple[Period, Decimal | None]]
    position: str = ""  # range indicators: in_range / below / above (see `standing`)
    from_range: Decimal | None = None

    @property
    def has_range(self) -> bool:
        return standing.has_range(self.version)

    @property
    def position_text(self) -> str:
        return standing.position_text(self.value, self.version, self.version.decimals)

    @property
    def range_text(self) -> str:
        return standing.range_text(self.version) if self.has_range else ""


def traffic_light(score: Decimal | None, median_score: Decimal | None, best_score: Decimal | None) -> str:
    """Green: closer to the best than to the median; amber: at least the
    median; red: below the median."""
    if score is None or median_score is None or best_score is None:
        return ""
    if score >= (median_score + best_score) / 2:
        return "green"
    return "amber" if score >= median_score else "red"


def _columns(model, alias: str) -> str:
    return ", ".join(f"{alias}.{f.column}" for f in model._meta.concrete_fields)


# One read for the scorecard of one comune, every area asked for at once: each
# active indicator with its newest version, the comune's figure of the period,
# the club summary, and the comune's figures of the same kind of period up to
# that year (its sparkline), in period order. Row-level security decides which
# figures the scope sees (a comune's own-only figures for that comune only).
_SCORECARD_SQL = """
WITH mine AS MATERIALIZED (
    SELECT a.indicator_id, a.area_id, a.period_year, a.period_index, a.value, a.reason, a.score, a.percentile,
           a.rank
    FROM benchmarking_approvedresult a
    WHERE a.municipality_id = %(m)s AND a.area_id = ANY(%(areas)s) AND a.period_kind = %(kind)s
      AND a.period_year <= %(year)s
), history AS (
    SELECT indicator_id, area_id,
           array_agg(period_year ORDER BY period_year, period_index) AS years,
           array_agg(period_index ORDER BY period_year, period_index) AS indexes,
           array_agg(value ORDER BY period_year, period_index) AS vals
    FROM mine GROUP BY indicator_id, area_id
)
SELECT {indicator}, {version},
       r.indicator_id IS NOT NULL, r.value, r.reason, r.score, r.percentile, r.rank, s.reported, s.median, s.best,
       h.years, h.indexes, h.vals
FROM benchmarking_indicator i
JOIN (
    SELECT DISTINCT ON (indicator_id) * FROM benchmarking_indicatorversion ORDER BY indicator_id, number DESC
) v ON v.indicator_id = i.id
LEFT JOIN mine r ON r.indicator_id = i.id AND r.area_id = i.area_id AND r.period_year = %(year)s
     AND r.period_index = %(index)s
LEFT JOIN history h ON h.indicator_id = i.id AND h.area_id = i.area_id
LEFT JOIN benchmarking_resultsummary s ON s.indicator_id = i.id AND s.period_year = %(year)s
     AND s.period_kind = %(kind)s AND s.period_index = %(index)s
WHERE i.area_id = ANY(%(areas)s) AND i.is_active
ORDER BY i.area_id, i.position, i.code
"""


def scorecard(municipality: Municipality, area, period: Period) -> list[ScorecardLine]:
    """Every indicator of the area for one comune and period (club scope)."""
    return scorecards(municipality, [area], period)[area.pk]


def scorecards(municipality: Municipality, areas, period: Period) -> dict[int, list[ScorecardLine]]:
    """The scorecard of each of `areas` (area id -> its lines), in one query
    whatever the number of areas and indicators (club scope)."""
    indicator_fields = [f.attname for f in Indicator._meta.concrete_fields]
    version_fields = [f.attname for f in IndicatorVersion._meta.concrete_fields]
    sql = _SCORECARD_SQL.format(indicator=_columns(Indicator, "i"), version=_columns(IndicatorVersion, "v"))
    with connection.cursor() as cursor:
        cursor.execute(sql, {
            "m": municipality.pk, "areas": [area.pk for area in areas],
            "year": period.year, "kind": period.kind, "index": period.index,
        })
        rows = cursor.fetchall()
    found: dict[int, list[ScorecardLine]] = {area.pk: [] for area in areas}
    enough_reporters, db = min_reporters(), connection.alias
    split = len(indicator_fields)
    after = split + len(version_fields)

    @functools.cache
    def periods(year: int, index: int) -> Period:  # one (frozen) Period per year, shared by every line
        return Period(year, period.kind, index)

    for row in rows:
        indicator = Indicator.from_db(db, indicator_fields, row[:split])
        version = IndicatorVersion.from_db(db, version_fields, row[split:after])
        version.indicator = indicator
        has_figure, value, reason, score, percentile, rank, reported, median, best, years, indexes, values = row[after:]
        if not has_figure:
            reason = ""
        enough = reported is not None and reported >= enough_reporters
        in_range = standing.has_range(version)
        light = ""
        if enough and score is not None:
            light = (
                standing.range_light(value, version) if in_range
                else traffic_light(score, score_of(median, version), score_of(best, version))
            )
        found[indicator.area_id].append(ScorecardLine(
            indicator=indicator, version=version, value=value, reason=reason,
            percentile=percentile if enough and not in_range else None, rank=rank if enough else None,
            reported=reported if reported is not None else 0,
            median=median, best=best if enough and not in_range else None, light=light,
            trend=[(periods(y, i), v) for y, i, v in zip(years or [], indexes or [], values or [], strict=True)],
            position=standing.position(value, version), from_range=standing.distance_to_range(value, version),
        ))
    return found


@dataclass
class TrendPoint:
    period: Period
    values: dict[int, Decimal | None]
    median: Decimal | None
    best: Decimal | None


def trend(indicator: Indicator, municipalities: list[Municipality], kind: str = "Y") -> list[TrendPoint]:
    """Chosen comuni over every period, against the club median and the best."""
    ids = [m.pk for m in municipalities]
    points: dict[Period, TrendPoint] = {}
    # A range indicator has no best value (see `standing`), whatever a summary kept.
    single_best = not standing.has_range(indicator.versions.order_by("-number").first())
    for s in ResultSummary.objects.filter(indicator=indicator, period_kind=kind).order_by("period_year", "period_index"):
        period = Period(s.period_year, s.period_kind, s.period_index)
        enough = s.reported >= min_reporters()
        points[period] = TrendPoint(period, {}, s.median, s.best if enough and single_best else None)
    for m, year, k, index, value in ApprovedResult.objects.filter(
        indicator=indicator, municipality_id__in=ids, period_kind=kind
    ).values_list("municipality_id", "period_year", "period_kind", "period_index", "value"):
        period = Period(year, k, index)
        points.setdefault(period, TrendPoint(period, {}, None, None)).values[m] = value
    return [points[p] for p in sorted(points)]


def periods_with_results(indicator: Indicator) -> list[Period]:
    return [
        Period(y, k, i) for y, k, i in ResultSummary.objects.filter(indicator=indicator, reported__gt=0)
        .order_by("-period_year", "-period_index").values_list("period_year", "period_kind", "period_index")
    ]


# --- What the members pages and API read (inside the caller's club scope) --------------


# The club's member comuni are the core's (`qclub.selectors`).
member_comune_get = core_selectors.member_municipality_get
member_comuni = core_selectors.member_municipalities


def latest_periods() -> dict[int, tuple[int, str, int, int]]:
    """indicator id -> (year, kind, index, reported) of its latest period with results."""
    rows = (
        ResultSummary.objects.filter(reported__gt=0)
        .order_by("indicator_id", "-period_year", "-period_kind", "-period_index")
        .distinct("indicator_id")
        .values_list("indicator_id", "period_year", "period_kind", "period_index", "reported")
    )
    return {pk: (year, kind, index, reported) for pk, year, kind, index, reported in rows}


def home_lines(latest: dict[int, tuple[int, str, int, int]]) -> list[tuple[ThematicArea, list[tuple[Indicator, Period, int]]]]:
    """Per area, its active indicators with their latest period with results
    (`latest` from `latest_periods`, read in the club scope) and how many reported."""
    areas = []
    for area in ThematicArea.objects.prefetch_related("indicators").order_by("position", "name"):
        lines = [
            (indicator, Period(*latest[indicator.pk][:3]), latest[indicator.pk][3])
            for indicator in area.indicators.all() if indicator.is_active and indicator.pk in latest
        ]
        if lines:
            areas.append((area, lines))
    return areas


def context_of(municipality_ids, year: int) -> dict[int, list[ContextValue]]:
    """Each comune's shared context descriptors for the year (one query)."""
    found: dict[int, list[ContextValue]] = {}
    for value in ContextValue.objects.filter(municipality_id__in=list(municipality_ids), year=year).order_by("key"):
        found.setdefault(value.municipality_id, []).append(value)
    return found


def practices_of(indicator: Indicator, year: int) -> list[BestPractice]:
    return list(
        BestPractice.objects.filter(indicator=indicator, period_year=year)
        .select_related("municipality").order_by("-created_at")
    )


def read_ranking(
    indicator: Indicator, *, viewer: Municipality | None, period: Period | None, shown: Group, basis: Group,
    page: Page | None = None,
) -> tuple[Ranking, list[Period]]:
    """The ranking asked for (the latest period with results by default) and
    the periods that have results; one keyset `page` of the national view if asked."""
    periods = periods_with_results(indicator)
    period = period or (periods[0] if periods else Period(timezone.now().year - 1))
    return ranking(indicator, period, viewer=viewer, shown=shown, basis=basis, page=page), periods


def read_trend(
    indicator: Indicator, *, viewer: Municipality | None, slugs: tuple[str, ...], kind: str = "Y",
) -> tuple[list[Municipality], list[TrendPoint]]:
    """The member comuni named by `slugs` (404 for any other), else the viewer
    (`qclub.selectors.looked_at_municipality`), over every period."""
    comuni = [member_comune_get(slug) for slug in slugs] or [core_selectors.looked_at_municipality(viewer, None)]
    return comuni, trend(indicator, comuni, kind=kind)


class ScorecardRead(NamedTuple):
    comune: Municipality
    area: ThematicArea
    areas: list[ThematicArea]
    period: Period
    lines: list[ScorecardLine]


def read_scorecard(
    *, viewer: Municipality | None, area_code: str | None, slug: str | None, period: Period | None,
) -> ScorecardRead:
    """The scorecard of the member comune `slug` (default: the viewer's, or the
    first one for a coordinator acting for no comune) for the
    area `area_code` (default: the first) and `period` (default: the area's
    latest period with results). 404 for an unknown area or comune."""
    comune = core_selectors.looked_at_municipality(viewer, slug)
    areas = list(ThematicArea.objects.order_by("position", "name"))
    area = next((a for a in areas if a.code == area_code), None) if area_code else (areas[0] if areas else None)
    if area is None:
        raise Http404
    if period is None:
        indicator_ids = set(area.indicators.values_list("pk", flat=True))
        latest = [Period(*p[:3]) for pk, p in latest_periods().items() if pk in indicator_ids]
        period = max(latest) if latest else Period(timezone.now().year - 1)
    return ScorecardRead(comune, area, areas, period, scorecard(comune, area, period))


def strengths_and_gaps(lines: list[ScorecardLine]) -> tuple[list[ScorecardLine], list[ScorecardLine]]:
    """The three best and three worst indicators by percentile (no composite score)."""
    placed = sorted((line for line in lines if line.percentile is not None), key=lambda line: line.percentile)
    strengths = list(reversed(placed[-3:]))
    gaps = [line for line in placed[:3] if line not in strengths]
    return strengths, gaps


def peer_group_list() -> QuerySet[PeerGroup]:
    return PeerGroup.objects.prefetch_related("members").order_by("name")


def peer_group_get(pk: int) -> PeerGroup:
    return get_object_or_404(PeerGroup, pk=pk)


def context_values(year: int) -> QuerySet[ContextValue]:
    """The active comune's context descriptors of the year."""
    return ContextValue.objects.filter(year=year).order_by("key")


def context_value_find(*, year: int, key: str) -> ContextValue | None:
    """The active comune's descriptor of that year and key, if there is one."""
    return ContextValue.objects.filter(year=year, key=key).first()


def best_practice_get(public_id) -> BestPractice:
    """A best practice by public id (in the club scope: any comune's), else 404."""
    return get_object_or_404(BestPractice, public_id=public_id)
