"""Complaint handling compared across comuni (members area and API).

Reads ONLY the aggregate rows (`ComplaintFigure`: counts and working-day
statistics per comune, year and category), in the club scope; the complaint
tables declare no cross-tenant policy, so the club scope could not read a
complaint even by mistake (tests prove it with raw SQL). Member comuni only.

Rank: by the share answered within the standard (higher is better), ties
broken by the median working days to answer (lower is better); a comune with
fewer than `COMPLAINTS_MIN_FOR_RANK` complaints in the category and year
gets no rank (its figures are shown, marked «pochi reclami»).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Min
from django.utils.translation import gettext as _

from complaints import policy
from complaints.kpis.figures import Kpis, kpis_of
from complaints.models import Category, ComplaintFigure
from qclub.models import Municipality
from qclub.tenancy import cross_tenant

D = ComplaintFigure.Dimension
FIELDS = (
    "municipality_id", "municipality__name", "year", "dimension", "key", "received", "complaints",
    "suggestions", "compliments", "ack_measured", "ack_on_time", "answer_measured", "answer_on_time",
    "median_days", "p90_days", "classified", "founded", "reopened", "rated", "rating_sum", "population",
)


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


@dataclass(frozen=True)
class Comparison:
    year: int
    category: Category | None
    rows: list[ComparedComune]   # ranked first, in rank order; then the unranked, by name
    min_for_rank: int
    own: ComparedComune | None

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)


def years_available(*, user) -> list[int]:
    """From the first year any member comune has figures for to this year (newest first)."""
    with cross_tenant(scope="club", reason="complaints comparison: years", acting_user=user):
        first = ComplaintFigure.objects.filter(dimension=D.TOTAL, key="").aggregate(first=Min("year"))["first"]
    this_year = policy.today().year
    return list(range(this_year, (first or this_year) - 1, -1))


def _sort_key(row: ComparedComune):
    answered = row.kpis.answered_on_time
    median = row.kpis.median_days
    return (-(answered if answered is not None else Decimal(-1)), median if median is not None else Decimal(10**6))


def compare(*, year: int, category: Category | None, user, municipality=None) -> Comparison:
    """Every member comune's figures for one year, in total or for one
    category of the shared taxonomy: one query in the club scope."""
    dimension, key = (D.CATEGORY, category.code) if category else (D.TOTAL, "")
    with cross_tenant(scope="club", reason=f"complaints comparison {year} {key or 'total'}", acting_user=user):
        values = list(
            ComplaintFigure.objects.filter(
                year=year, dimension=dimension, key=key, municipality__status=Municipality.Status.MEMBER,
            ).values(*FIELDS)
        )
    minimum = settings.COMPLAINTS_MIN_FOR_RANK
    own_id = getattr(municipality, "pk", None)
    entries = [
        ComparedComune(
            municipality_id=v["municipality_id"], name=v["municipality__name"], kpis=kpis_of(_Row(v)),
            rank=None, too_few=v["complaints"] < minimum, own=v["municipality_id"] == own_id,
        )
        for v in values
    ]
    rankable = sorted((e for e in entries if not e.too_few and e.kpis.answered_on_time is not None), key=_sort_key)
    ranked, previous, rank = [], None, 0
    for position, entry in enumerate(rankable, start=1):
        current = _sort_key(entry)
        if current != previous:
            rank, previous = position, current
        ranked.append(ComparedComune(**{**entry.__dict__, "rank": rank}))
    ranked_ids = {e.municipality_id for e in ranked}
    rest = sorted((e for e in entries if e.municipality_id not in ranked_ids), key=lambda e: e.name)
    rows = ranked + rest
    return Comparison(
        year=year, category=category, rows=rows, min_for_rank=minimum,
        own=next((r for r in rows if r.own), None),
    )


def describe(comparison: Comparison) -> str:
    what = comparison.category.name if comparison.category else _("tutte le categorie")
    return _("%(what)s, %(year)s") % {"what": what, "year": comparison.year}
