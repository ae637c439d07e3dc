"""Complaint-handling KPIs of one comune and period, computed in SQL (one
aggregate query and three grouped counts), from the aggregate-friendly
columns kept on each complaint (no text, no personal data): ready to be read
the same way across comuni in the members area later (counts and rates only).

Definitions (of complaints of kind "reclamo" received in the period unless said):
* per 10,000 inhabitants: complaints / population × 10,000;
* acknowledged within standard: acknowledged on time / acknowledged;
* answered within standard: answered on time / answered;
* median and 90th percentile of working days to answer (suspensions excluded);
* founded: founded / complaints with a decision on it;
* reopened: reopened at least once / answered;
* satisfaction: mean rating (1-5) and how many rated (all kinds);
* compliments and suggestions: counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Aggregate, Avg, Count, FloatField, Max, Min, Q

from complaints.models import Complaint

K = Complaint.Kind


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


@dataclass(frozen=True)
class Kpis:
    year: int
    complaints: int
    suggestions: int
    compliments: int
    per_10000: Decimal | None
    acknowledged: int
    acknowledged_on_time_share: float | None
    answered: int
    answered_on_time_share: float | None
    median_days: float | None
    p90_days: float | None
    founded_share: float | None
    reopened_share: float | None
    rated: int
    mean_rating: float | None


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def period_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def years_with_data() -> list[int]:
    bounds = Complaint.objects.aggregate(first=Min("received_on"), last=Max("received_on"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["last"].year, bounds["first"].year - 1, -1))


def kpis(*, municipality, year: int) -> Kpis:
    """The active comune's KPIs for a calendar year (one query)."""
    start, end = period_bounds(year)
    rows = Complaint.objects.filter(received_on__range=(start, end))
    is_complaint = Q(kind=K.COMPLAINT)
    answered = is_complaint & Q(answered_on__isnull=False)
    figures = rows.aggregate(
        complaints=Count("id", filter=is_complaint),
        suggestions=Count("id", filter=Q(kind=K.SUGGESTION)),
        compliments=Count("id", filter=Q(kind=K.COMPLIMENT)),
        acknowledged=Count("id", filter=is_complaint & Q(acknowledged_on__isnull=False)),
        acknowledged_on_time=Count("id", filter=is_complaint & Q(acknowledged_late=False)),
        answered=Count("id", filter=answered),
        answered_on_time=Count("id", filter=answered & Q(answered_late=False)),
        median_days=Percentile("answer_working_days", 0.5, filter=answered),
        p90_days=Percentile("answer_working_days", 0.9, filter=answered),
        decided=Count("id", filter=is_complaint & Q(founded__isnull=False)),
        founded=Count("id", filter=is_complaint & Q(founded=True)),
        reopened=Count("id", filter=answered & Q(reopen_count__gt=0)),
        rated=Count("id", filter=Q(rating__isnull=False)),
        mean_rating=Avg("rating"),
    )
    population = municipality.population
    return Kpis(
        year=year,
        complaints=figures["complaints"], suggestions=figures["suggestions"], compliments=figures["compliments"],
        per_10000=(Decimal(figures["complaints"] * 10000) / population).quantize(Decimal("0.01"))
        if population else None,
        acknowledged=figures["acknowledged"],
        acknowledged_on_time_share=_share(figures["acknowledged_on_time"], figures["acknowledged"]),
        answered=figures["answered"],
        answered_on_time_share=_share(figures["answered_on_time"], figures["answered"]),
        median_days=figures["median_days"], p90_days=figures["p90_days"],
        founded_share=_share(figures["founded"], figures["decided"]),
        reopened_share=_share(figures["reopened"], figures["answered"]),
        rated=figures["rated"],
        mean_rating=round(figures["mean_rating"], 2) if figures["mean_rating"] is not None else None,
    )


def breakdown(*, year: int, by: str) -> list[tuple[str, int]]:
    """Complaints of the year counted by "category", "service" or "channel", largest first."""
    start, end = period_bounds(year)
    rows = Complaint.objects.filter(received_on__range=(start, end), kind=K.COMPLAINT)
    if by == "channel":
        labels = dict(Complaint.Channel.choices)
        counted = rows.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
        return [(str(labels.get(r["channel"], r["channel"])), r["n"]) for r in counted]
    field = {"category": "category__name", "service": "service__name"}[by]
    counted = rows.values(field).annotate(n=Count("id")).order_by("-n", field)
    return [(r[field] or "—", r["n"]) for r in counted[:50]]
