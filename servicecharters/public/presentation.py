"""How a charter reads for citizens, on the page and in the PDF alike: each
section rendered (`servicecharters.text.render`) with its anchor, and each
standard's promise in words («entro 20 giorni lavorativi nel 95 % dei
casi», numbers written the Italian way) beside its published results (the
actual value, met or not in words, the trend). Pure: rows in, plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from servicecharters.models import CharterStandard, CharterVersion, StandardResult
from servicecharters.monitoring import rules
from servicecharters.text import render
from servicecharters.wording import actual, figure, promise  # noqa: F401 - the page's and the PDF's words

Comparator = CharterStandard.Comparator
Kind = CharterStandard.Kind

# A section's anchor on the page (Italian, stable: the index and other pages link to them).
ANCHORS = {
    "presentation": "il-servizio",
    "access": "come-accedere",
    "hours_places": "orari-e-sedi",
    "costs": "costi",
    "rights_duties": "diritti-e-doveri",
    "complaints": "reclami",
    "satisfaction": "soddisfazione",
}

@dataclass(frozen=True)
class Section:
    name: str
    anchor: str
    heading: str
    html: SafeString


def sections(version: CharterVersion) -> list[Section]:
    """The version's non-empty sections, in order, rendered and sanitised."""
    return [
        Section(name=name, anchor=ANCHORS[name], heading=heading, html=render(text))
        for name, heading, text in version.sections()
        if (text or "").strip()
    ]


class Trend:
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


def _trend(terms, previous: StandardResult | None, current: StandardResult) -> str:
    """Against the previous published year: better, worse or the same (""
    when there is nothing to compare)."""
    if previous is None or previous.actual_value is None or current.actual_value is None:
        return ""
    higher = rules.better_is_higher(terms)
    if higher is None:  # a yes/no commitment: kept or not
        if previous.met == current.met:
            return Trend.SAME
        return Trend.BETTER if current.met else Trend.WORSE
    if current.actual_value == previous.actual_value:
        return Trend.SAME
    up = current.actual_value > previous.actual_value
    return Trend.BETTER if up == higher else Trend.WORSE


def trend_label(trend: str) -> str:
    return {
        Trend.BETTER: _("in miglioramento"),
        Trend.WORSE: _("in peggioramento"),
        Trend.SAME: _("invariato"),
    }.get(trend, "")


def met_label(met: bool | None) -> str:
    if met is None:
        return _("non valutabile")
    return _("rispettato") if met else _("non rispettato")


@dataclass(frozen=True)
class YearResult:
    year: int
    actual: str
    met: bool | None
    met_label: str
    trend: str
    trend_label: str


@dataclass(frozen=True)
class StandardLine:
    standard: CharterStandard
    dimension: str
    kind: str
    promise: str
    results: list[YearResult] = field(default_factory=list)  # newest year first

    @property
    def latest(self) -> YearResult | None:
        return self.results[0] if self.results else None


def standard_lines(standards, results_of) -> list[StandardLine]:
    """Each standard with its promise and its published results (`results_of(standard)`
    gives them, oldest year first), newest first on the page."""
    lines = []
    for standard in standards:
        years = []
        previous = None
        for result in results_of(standard):
            trend = _trend(standard, previous, result)
            years.append(YearResult(
                year=result.year, actual=actual(standard, result.actual_value), met=result.met,
                met_label=met_label(result.met), trend=trend, trend_label=trend_label(trend),
            ))
            previous = result
        lines.append(StandardLine(
            standard=standard, dimension=standard.get_dimension_display(), kind=standard.get_kind_display(),
            promise=promise(standard), results=list(reversed(years)),
        ))
    return lines
