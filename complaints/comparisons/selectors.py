"""Complaint handling compared across comuni (members area and API).

Reads ONLY the aggregate rows (`ComplaintFigure`: counts and working-day
statistics per comune, year and category), in the club scope; the complaint
tables declare no cross-tenant policy, so the club scope could not read a
complaint even by mistake (tests prove it with raw SQL). Member comuni only.

Rank: by the share answered within the standard (higher is better), ties
broken by the median working days to answer (lower is better), computed by
a window function over every member comune; only the page asked and the
viewer's own row leave the database. A comune with
fewer than `COMPLAINTS_MIN_FOR_RANK` complaints in the category and year
gets no rank (its figures are shown, marked «pochi reclami»).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from complaints import policy
from complaints.kpis.figures import Kpis, kpis_of
from complaints.models import Category, ComplaintFigure
from qclub.tenancy import cross_tenant

D = ComplaintFigure.Dimension
YEARS_OFFERED = 10
COUNTS = (
    "year", "dimension", "key", "received", "complaints", "suggestions", "compliments", "ack_measured",
    "ack_on_time", "answer_measured", "answer_on_time", "median_days", "p90_days", "classified", "founded",
    "reopened", "rated", "rating_sum", "population",
)
# One statement: every member comune's row for the year and key, ranked by window
# function (rankable: at least the minimum of complaints, and answers measured), then
# only the asked page and the viewer's own row leave the database.
_COMPARE_SQL = f"""
WITH f AS (
    SELECT f.municipality_id, m.name, {", ".join("f." + c for c in COUNTS)},
           f.answer_on_time::numeric / NULLIF(f.answer_measured, 0) AS share,
           f.complaints >= %(minimum)s AND f.answer_measured > 0 AS rankable
    FROM complaints_complaintfigure f
    JOIN qclub_municipality m ON m.id = f.municipality_id
    WHERE f.year = %(year)s AND f.dimension = %(dimension)s AND f.key = %(key)s AND m.status = 'member'
), r AS (
    SELECT f.*, CASE WHEN rankable THEN rank() OVER (
               PARTITION BY rankable ORDER BY share DESC, median_days ASC NULLS LAST) END AS rank
    FROM f
), o AS (
    SELECT r.*, row_number() OVER (ORDER BY rank NULLS LAST, name, municipality_id) AS position,
           count(*) OVER () AS total, count(rank) OVER () AS ranked
    FROM r
)
SELECT municipality_id, name, {", ".join(COUNTS)}, rank, position, total, ranked FROM o
WHERE (position > %(offset)s AND position <= %(offset)s + %(limit)s) OR municipality_id = %(own)s
ORDER BY position
"""


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)


@dataclass(frozen=True)
class ComparedComune:
    municipality_id: int
    name: str
    kpis: Kpis
    rank: int | None
    too_few: bool
    own: bool
    position: int = 0


@dataclass(frozen=True)
class Comparison:
    year: int
    category: Category | None
    rows: list[ComparedComune]   # the page asked: ranked first, in rank order; then the unranked, by name
    min_for_rank: int
    own: ComparedComune | None
    total: int = 0
    ranked: int = 0
    offset: int = 0


def years_available(*, user=None) -> list[int]:
    """The years one may compare: this one and the nine before (newest first).
    No query (and no audited club read) just to list them: a year without
    figures shows an empty table."""
    this_year = policy.today().year
    return list(range(this_year, this_year - YEARS_OFFERED, -1))


def compare(*, year: int, category: Category | None, user, municipality=None, offset: int = 0,
            limit: int = 50) -> Comparison:
    """The member comuni's figures for one year, in total or for one category
    of the shared taxonomy, one page of them (and the viewer's own row): one
    query in the club scope, ranks by window function."""
    dimension, key = (D.CATEGORY, category.code) if category else (D.TOTAL, "")
    minimum = settings.COMPLAINTS_MIN_FOR_RANK
    own_id = getattr(municipality, "pk", None)
    params = {"year": year, "dimension": dimension, "key": key, "minimum": minimum, "offset": max(offset, 0),
              "limit": max(min(limit, 1000), 1), "own": own_id or 0}
    with cross_tenant(scope="club", reason=f"complaints comparison {year} {key or 'total'}", acting_user=user), \
            connection.cursor() as cursor:
        cursor.execute(_COMPARE_SQL, params)
        names = [c.name for c in cursor.description]
        values = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    entries = [
        ComparedComune(
            municipality_id=v["municipality_id"], name=v["name"], kpis=kpis_of(_Row(v)), rank=v["rank"],
            too_few=v["complaints"] < minimum, own=v["municipality_id"] == own_id, position=v["position"],
        )
        for v in values
    ]
    page = [e for e in entries if offset < e.position <= offset + limit]
    return Comparison(
        year=year, category=category, rows=page, min_for_rank=minimum,
        own=next((e for e in entries if e.own), None),
        total=values[0]["total"] if values else 0, ranked=values[0]["ranked"] if values else 0, offset=offset,
    )


def describe(comparison: Comparison) -> str:
    what = comparison.category.name if comparison.category else _("tutte le categorie")
    return _("%(what)s, %(year)s") % {"what": what, "year": comparison.year}
