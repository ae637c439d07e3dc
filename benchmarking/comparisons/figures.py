"""Benchmarking's figures for other modules (qclub/modules.py, "Figures,
service pages and commitments"): every active indicator is a figure
`indicator:<code>`, and its value for a comune and year is the comune's
approved yearly result, the same number the members' ranking shows.

Values are read in the club scope the core opens (`qclub.modules.figure_values`):
the database shows approved results other comuni may see; the filters here
say the same for the viewer's own comune, whose rows the scope also shows
(a figure the comune keeps to itself, `Visibility.OWN`, is nobody's
benchmark, not even its own charter's).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from benchmarking.models import ApprovedResult, Indicator, IndicatorVersion, Visibility
from qclub.models import Service
from qclub.modules import Figure, FigureValue

PREFIX = "indicator:"
MODULE = "benchmarking"
YEARLY = "Y"


def _higher_is_better(version: IndicatorVersion) -> bool | None:
    # A target range is neither: the value is judged by its distance from the band.
    return {IndicatorVersion.Better.HIGHER: True, IndicatorVersion.Better.LOWER: False}.get(version.better)


def indicator_figures(service: Service | None) -> list[Figure]:
    """The active indicators of `service` (None: every active one), each with
    the unit and direction of its current version. Two queries."""
    indicators = Indicator.objects.filter(is_active=True).select_related("service").prefetch_related("versions")
    if service is not None:
        indicators = indicators.filter(service=service)
    figures = []
    for indicator in indicators.order_by("area__position", "position", "code"):
        if not indicator.versions.all():
            continue
        version = indicator.current
        figures.append(Figure(
            module=MODULE, key=f"{PREFIX}{indicator.code}", label=indicator.name, unit=version.unit,
            higher_is_better=_higher_is_better(version), kind=_("Indicatore di benchmarking"),
            service_code=indicator.service.code if indicator.service else "",
        ))
    return figures


def indicator_values(
    key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
) -> list[FigureValue]:
    """The approved yearly results of the indicator named by `key`, one per
    comune and year, for those comuni (None: every comune with one). A
    result with no value (not applicable, not reported) is no figure. One
    query, at most comuni × years rows (the latest approval should a comune
    have two results of the same year)."""
    code = key.removeprefix(PREFIX)
    if not key.startswith(PREFIX) or not code or not years:
        return []
    results = ApprovedResult.objects.filter(
        indicator__code=code, period_kind=YEARLY, period_year__in=list(years), value__isnull=False,
    ).exclude(visibility=Visibility.OWN)
    if municipality_ids is not None:
        results = results.filter(municipality_id__in=list(municipality_ids))
    rows = (
        results.order_by("municipality_id", "period_year", "-approved_at")
        .distinct("municipality_id", "period_year")
        .values_list("municipality_id", "period_year", "value")
    )
    return [
        FigureValue(municipality_id=m, year=year, value=value,
                    note=_("Indicatore approvato (%(year)s)") % {"year": year})
        for m, year, value in rows
    ]
