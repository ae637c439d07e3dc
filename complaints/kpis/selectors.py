"""Reading a comune's complaint figures (the stored `ComplaintFigure` rows:
a fixed number of queries whatever the number of complaints), their labels,
and the published yearly reports (public scope)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from complaints.kpis.figures import Kpis, kpis_of
from complaints.models import Category, Complaint, ComplaintFigure, ComplaintReport
from qclub.models import Service
from qclub.tenancy import cross_tenant

D = ComplaintFigure.Dimension


def labels_for(rows: Iterable[ComplaintFigure]) -> dict[tuple[str, str], str]:
    """The words for each row's key (two queries at most)."""
    rows = list(rows)
    categories = {r.key for r in rows if r.dimension == D.CATEGORY and r.key}
    services = {r.key for r in rows if r.dimension == D.SERVICE and r.key}
    names = {
        D.CATEGORY: dict(Category.objects.filter(code__in=categories).values_list("code", "name")) if categories else {},
        D.SERVICE: dict(Service.objects.filter(code__in=services).values_list("code", "name")) if services else {},
        D.CHANNEL: {str(v): str(label) for v, label in Complaint.Channel.choices},
    }
    labels = {}
    for r in rows:
        if r.dimension == D.TOTAL:
            labels[(r.dimension, r.key)] = _("Totale")
        elif not r.key:
            labels[(r.dimension, r.key)] = {
                D.CATEGORY: _("Senza categoria"), D.SERVICE: _("Senza servizio"),
            }.get(r.dimension, _("Non indicato"))
        else:
            labels[(r.dimension, r.key)] = names.get(r.dimension, {}).get(r.key, r.key)
    return labels


@dataclass(frozen=True)
class ComuneKpis:
    years: list[Kpis]                 # the totals, oldest first (the trend)
    year: int | None                  # the year broken down
    breakdown: dict[str, list[Kpis]]  # category / service / channel rows of that year
    computed_at: object
    published_years: frozenset[int]


def comune_kpis(municipality, *, year: int | None = None) -> ComuneKpis:
    """The comune's KPIs: the yearly totals (trend) and one year broken down
    by category, service and channel (the latest when `year` is None). Three
    queries, reading only the comune's stored figures."""
    totals = list(
        ComplaintFigure.objects.filter(municipality=municipality, dimension=D.TOTAL).order_by("year")
    )
    years = [r.year for r in totals]
    chosen = year if year in years else (years[-1] if years else None)
    rows = list(
        ComplaintFigure.objects.filter(municipality=municipality, year=chosen)
        .exclude(dimension=D.TOTAL).order_by("dimension", "-complaints", "key")
    ) if chosen else []
    labels = labels_for(rows)
    breakdown = {dimension: [] for dimension in (D.CATEGORY, D.SERVICE, D.CHANNEL)}
    for r in rows:
        breakdown[r.dimension].append(kpis_of(r, label=labels[(r.dimension, r.key)]))
    published = frozenset(
        ComplaintReport.objects.filter(municipality=municipality, published_on__isnull=False)
        .values_list("year", flat=True)
    )
    return ComuneKpis(
        years=[kpis_of(r) for r in totals], year=chosen, breakdown=breakdown,
        computed_at=max((r.computed_at for r in totals), default=None), published_years=published,
    )


def published_reports(municipality, *, limit: int = 5) -> list[ComplaintReport]:
    """The comune's published yearly reports, newest first, read in the public
    scope (what any citizen may see)."""
    with cross_tenant(scope="public", reason=f"complaint reports of {municipality.slug}"):
        reports = list(
            ComplaintReport.objects.filter(municipality=municipality, published_on__isnull=False)
            .order_by("-year")[:limit]
        )
    for report in reports:  # figures back to numbers, so the page writes them the Italian way
        figures = report.figures or {}
        figures["total"] = _numbers(figures.get("total") or {})
        figures["by"] = {k: [_numbers(row) for row in rows] for k, rows in (figures.get("by") or {}).items()}
    return reports


def _numbers(row: dict) -> dict:
    out = {}
    for name, value in row.items():
        if isinstance(value, str) and name not in ("dimension", "key", "label"):
            with contextlib.suppress(ArithmeticError):
                value = Decimal(value)
        out[name] = value
    return out
