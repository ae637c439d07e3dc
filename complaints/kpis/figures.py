"""What a row of complaint figures means, pure (no database): the rates and
shares every page, the API, the comparison and the yearly report derive from
the stored counts (`ComplaintFigure`), so each is defined once.

- complaints per 10,000 inhabitants: complaints (kind «reclamo», duplicates
  excluded) received in the year / the comune's population × 10,000;
- acknowledged within the standard: acknowledged on time / complaints whose
  acknowledgement is measured (acknowledged, or still not acknowledged past
  its due date);
- answered within the standard: the same for the answer (answered, or open
  past the answer's due date);
- median and 90th percentile of the working days to answer (stored on each
  complaint when answered: `Complaint.answer_working_days`, suspensions
  excluded, the province's calendar), PostgreSQL `percentile_cont`;
- founded: founded / complaints classified founded or not;
- reopened: complaints reopened at least once / complaints (a reopened
  complaint counts once, in the year it was received);
- satisfaction: mean rating (1–5) over the rated ones;
- compliments: a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def share(part: int, whole: int) -> Decimal | None:
    """Percentage with one decimal, None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def per_10000(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * 10000 / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpis:
    """The KPIs of one row of figures (a year, in total or for one key)."""

    year: int
    dimension: str
    key: str
    received: int
    complaints: int
    suggestions: int
    compliments: int
    per_10000: Decimal | None
    acknowledged_on_time: Decimal | None
    answered_on_time: Decimal | None
    median_days: Decimal | None
    p90_days: Decimal | None
    founded: Decimal | None
    reopened: Decimal | None
    satisfaction: Decimal | None
    rated: int
    label: str = ""

    def as_dict(self) -> dict:
        return {
            name: (str(value) if isinstance(value, Decimal) else value)
            for name, value in self.__dict__.items()
        }


def kpis_of(row, *, label: str = "") -> Kpis:
    """The KPIs of a `ComplaintFigure` (or anything with its counts)."""
    return Kpis(
        year=row.year, dimension=row.dimension, key=row.key, received=row.received,
        complaints=row.complaints, suggestions=row.suggestions, compliments=row.compliments,
        per_10000=per_10000(row.complaints, row.population),
        acknowledged_on_time=share(row.ack_on_time, row.ack_measured),
        answered_on_time=share(row.answer_on_time, row.answer_measured),
        median_days=row.median_days, p90_days=row.p90_days,
        founded=share(row.founded, row.classified),
        reopened=share(row.reopened, row.complaints),
        satisfaction=mean(row.rating_sum, row.rated), rated=row.rated, label=label,
    )
