"""What `make bench` times: each member read through `benchmarking.comparisons.selectors`
and the bulk import through `benchmarking.collection.bulk`, each beside the bare SQL
that reads (or writes) the same answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection, transaction

from bench.build import FIRST_YEAR, Params, conninfo
from benchmarking.collection import bulk
from benchmarking.comparisons import selectors as comparisons
from benchmarking.models import Indicator
from benchmarking.periods import Period
from qclub.models import Municipality, ThematicArea
from qclub.tenancy import SCOPE_CLUB, acting_for, cross_tenant


@contextmanager
def members_area(viewer: Municipality) -> Iterator[None]:
    """As a members-area page: one transaction, the viewer's comune active,
    the club scope open."""
    with transaction.atomic(), acting_for(viewer), cross_tenant(scope=SCOPE_CLUB, reason="bench"):
        yield


def _sql(statements: list[tuple[str, dict]]) -> list:
    with connection.cursor() as cursor:
        out = []
        for statement, params in statements:
            cursor.execute(statement, params)
            out.append(cursor.fetchall() if cursor.description else None)
        return out


# The floors are the fastest bare SQL for the same answer: the whole ranking with
# hash joins (planned for whole sets, as `qclub.planner.whole_sets`), a page joined
# to the previous period after its LIMIT.
RANKING_SQL = """
SELECT m.id, m.name, m.slug, r.value, r.reason, r.rank, r.percentile, r.numerator, r.denominator, p.value
FROM benchmarking_approvedresult r
JOIN qclub_municipality m ON m.id = r.municipality_id
LEFT JOIN benchmarking_approvedresult p ON p.municipality_id = r.municipality_id
     AND p.indicator_id = r.indicator_id AND p.period_year = %(year)s - 1 AND p.period_kind = 'Y'
     AND p.period_index = 1
WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = 'Y' AND r.period_index = 1
ORDER BY r.score DESC NULLS LAST, m.name
"""
WHOLE_SETS_SQL = "SET LOCAL enable_nestloop = off; SET LOCAL jit = off"
# One keyset page of 50 from the middle of the ranking, as the stored ranks give it.
RANKING_PAGE_SQL = """
SELECT x.*, p.value FROM (
    SELECT m.id, m.name, m.slug, r.value, r.reason, r.rank, r.percentile
    FROM benchmarking_approvedresult r
    JOIN qclub_municipality m ON m.id = r.municipality_id
    WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = 'Y' AND r.period_index = 1
      AND r.rank IS NOT NULL AND r.rank >= %(a_rank)s
      AND (r.rank > %(a_rank)s OR m.name > %(a_name)s OR (m.name = %(a_name)s AND m.id > %(a_id)s))
    ORDER BY r.rank, m.name, m.id
    LIMIT 50
) x
LEFT JOIN benchmarking_approvedresult p ON p.municipality_id = x.id
     AND p.indicator_id = %(indicator)s AND p.period_year = %(year)s - 1 AND p.period_kind = 'Y'
     AND p.period_index = 1
ORDER BY x.rank, x.name, x.id
"""
ANCHOR_SQL = """
SELECT r.rank, m.name, m.id FROM benchmarking_approvedresult r JOIN qclub_municipality m ON m.id = r.municipality_id
WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = 'Y' AND r.period_index = 1
  AND r.rank IS NOT NULL AND m.slug = %(slug)s
"""
BEST_SQL = """
SELECT m.id, m.name, m.slug FROM benchmarking_approvedresult r JOIN qclub_municipality m ON m.id = r.municipality_id
WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = 'Y' AND r.period_index = 1
  AND r.rank = 1
"""
SUMMARY_SQL = """
SELECT * FROM benchmarking_resultsummary
WHERE indicator_id = %(indicator)s AND period_year = %(year)s AND period_kind = 'Y' AND period_index = 1
"""
SCORECARD_SQL = """
SELECT i.id, i.code, i.name, v.better, r.value, r.reason, r.score, r.percentile, r.rank,
       s.reported, s.median, s.best
FROM benchmarking_indicator i
JOIN benchmarking_indicatorversion v ON v.indicator_id = i.id
LEFT JOIN benchmarking_approvedresult r ON r.municipality_id = %(m)s AND r.indicator_id = i.id
     AND r.period_year = %(year)s AND r.period_kind = 'Y' AND r.period_index = 1
LEFT JOIN benchmarking_resultsummary s ON s.indicator_id = i.id AND s.period_year = %(year)s
     AND s.period_kind = 'Y' AND s.period_index = 1
WHERE i.is_active
ORDER BY i.area_id, i.position, i.code
"""
HISTORY_SQL = """
SELECT indicator_id, period_year, value FROM benchmarking_approvedresult
WHERE municipality_id = %(m)s AND period_kind = 'Y' AND period_year <= %(year)s
ORDER BY indicator_id, period_year
"""
TREND_SQL = """
SELECT s.period_year, s.median, s.best, s.reported, r.value
FROM benchmarking_resultsummary s
LEFT JOIN benchmarking_approvedresult r ON r.municipality_id = %(m)s AND r.indicator_id = s.indicator_id
     AND r.period_year = s.period_year AND r.period_kind = s.period_kind AND r.period_index = s.period_index
WHERE s.indicator_id = %(indicator)s AND s.period_kind = 'Y'
ORDER BY s.period_year, s.period_index
"""


def reads(params: Params, runs: int) -> Iterator[tuple[str, Callable, Callable, int]]:
    viewer = Municipality.objects.get(pk=1)
    # A ratio indicator, "higher is better": the ranking computes the club ratio too.
    indicator = Indicator.objects.get(pk=3 if params.indicators >= 3 else 1)
    period = Period(params.last_year)
    areas = list(ThematicArea.objects.order_by("position"))
    values = {"m": viewer.pk, "indicator": indicator.pk, "year": period.year}

    def ranking():
        with members_area(viewer):
            return comparisons.ranking(indicator, period, viewer=viewer)

    def ranking_sql():
        with members_area(viewer):
            return _sql([(WHOLE_SETS_SQL, {}), (RANKING_SQL, values), (SUMMARY_SQL, values)])

    # The page after the comune ranked in the middle (keyset: its score, name and id).
    with members_area(viewer), connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.slug, r.rank, m.name, m.id FROM benchmarking_approvedresult r "
            "JOIN qclub_municipality m ON m.id = r.municipality_id "
            "WHERE r.indicator_id = %(indicator)s AND r.period_year = %(year)s AND r.period_kind = 'Y' "
            "AND r.period_index = 1 AND r.rank IS NOT NULL ORDER BY r.rank, m.name, m.id "
            "OFFSET (SELECT count(*) / 2 FROM benchmarking_approvedresult WHERE indicator_id = %(indicator)s "
            "AND period_year = %(year)s AND rank IS NOT NULL) LIMIT 1", values)
        middle, a_rank, a_name, a_id = cursor.fetchone()
    page_values = {**values, "a_rank": a_rank, "a_name": a_name, "a_id": a_id}

    def ranking_page():
        with members_area(viewer):
            return comparisons.ranking(indicator, period, viewer=viewer, page=comparisons.Page(after=middle, size=50))

    def ranking_page_sql():
        # The page's answer as the app gives it: from the slug of the comune it
        # follows, with the club's best comuni beside it.
        with members_area(viewer):
            return _sql([(ANCHOR_SQL, {**values, "slug": middle}), (RANKING_PAGE_SQL, page_values),
                         (SUMMARY_SQL, values), (BEST_SQL, values)])

    def scorecard():
        # Every area of the year in one read, as the comune's whole scorecard is read
        # (a page of one area is the same read for one area).
        with members_area(viewer):
            return comparisons.scorecards(viewer, areas, period)

    def scorecard_sql():
        with members_area(viewer):
            return _sql([(SCORECARD_SQL, values), (HISTORY_SQL, values)])

    def trend():
        with members_area(viewer):
            return comparisons.trend(indicator, [viewer])

    def trend_sql():
        with members_area(viewer):
            return _sql([(TREND_SQL, values)])

    yield f"ranking ({params.comuni:,} comuni)", ranking, ranking_sql, runs
    yield "ranking, a keyset page of 50", ranking_page, ranking_page_sql, runs
    yield f"scorecard ({params.indicators} indicators, {len(areas)} areas)", scorecard, scorecard_sql, runs
    yield f"trend ({params.years} years)", trend, trend_sql, runs


# --- Bulk import -----------------------------------------------------------------


def write_import_file(params: Params, database: str, path: Path) -> None:
    """The import year's figures of the first comuni, every element (CSV)."""
    query = f"""
        COPY (
            SELECT lpad(m::text, 6, '0') AS istat_code, e.code AS element, 'value' AS state,
                   CASE WHEN e.kind = 'count' THEN round(r * 100)::text ELSE round(r * 100, 2)::text END AS value,
                   '' AS note
            FROM generate_series(1, {params.import_comuni}) m
            CROSS JOIN benchmarking_dataelement e
            CROSS JOIN LATERAL (SELECT (('x' || substr(md5('import:' || m || ':' || e.id), 1, 8))::bit(32)::bigint
                                        / 4294967296.0)::numeric AS r) x
            ORDER BY m, e.id
        ) TO STDOUT WITH (FORMAT csv, HEADER true)"""
    with psycopg.connect(**conninfo(database, owner=True)) as conn, path.open("wb") as out:
        with conn.cursor().copy(query) as copy:
            for chunk in copy:
                out.write(chunk)


def bulk_import(params: Params, database: str, path: Path) -> tuple[Callable, Callable]:
    """The app's bulk load, and COPY of the same file into a plain table
    with the file's columns (figures typed), as the same runtime role."""
    owner = psycopg.connect(**conninfo(database, owner=True), autocommit=True)
    runtime_role = connection.settings_dict["USER"]
    owner.execute(
        "CREATE TABLE IF NOT EXISTS bench_copy_floor "
        "(istat_code text, element text, state text, value numeric, note text)"
    )
    owner.execute(f'GRANT SELECT, INSERT ON bench_copy_floor TO "{runtime_role}"')
    period = Period(FIRST_YEAR + params.years)

    def app():
        with path.open("rb") as source:
            outcome = bulk.load_values(source=source, period=period)
        assert outcome.rows == params.import_comuni * params.indicators, outcome

    def empty_the_values():
        # Each run starts from empty submissions (TRUNCATE: the owner's way past
        # RLS, bench only), outside the time measured.
        owner.execute(
            "TRUNCATE benchmarking_loadedvalues, benchmarking_datavaluechange, benchmarking_datavalue CASCADE"
        )

    def floor():
        with transaction.atomic(), connection.cursor() as cursor, path.open("rb") as source:
            with cursor.copy("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)

    def empty_the_floor():
        owner.execute("TRUNCATE bench_copy_floor")

    app.reset, floor.reset = empty_the_values, empty_the_floor
    return app, floor
