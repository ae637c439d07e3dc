"""How a charter reads for citizens, on the page and in the PDF alike: each
section rendered (`servicecharters.text.render`) with its anchor, and each
standard's promise in words («entro 20 giorni lavorativi nel 95 % dei
casi», numbers written the Italian way) beside its published results (the
actual value, met or not in words, the trend). Pure: rows in, plain data out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from qclub.numbers import format_number
from servicecharters.models import CharterStandard, CharterVersion, StandardResult
from servicecharters.monitoring import rules
from servicecharters.text import render

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

# Units of time: an upper limit on them is a deadline («entro»), not a maximum.
TIME_UNITS = {
    "secondo", "secondi", "minuto", "minuti", "ora", "ore", "giorno", "giorni", "settimana", "settimane",
    "mese", "mesi", "anno", "anni",
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


def figure(value: Decimal | None) -> str:
    """A kept figure for people: at most one decimal, Italian separators."""
    if value is None:
        return ""
    return format_number(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _with_unit(value: Decimal | None, unit: str) -> str:
    text = figure(value)
    return f"{text} {unit}".strip() if unit else text


def promise(terms) -> str:
    """What the standard promises, in words: «entro 20 giorni lavorativi»,
    «almeno 80 %», «nel 95 % dei casi» for a specific standard kept in
    fewer than every case; a yes/no commitment is «garantito»."""
    unit = (terms.unit or "").strip()
    if terms.comparator == Comparator.YES_NO:
        return _("garantito")
    amount = _with_unit(terms.target_value, unit)
    if terms.comparator == Comparator.AT_MOST:
        first = unit.split()[0].lower() if unit else ""
        text = (_("entro %(amount)s") if first in TIME_UNITS else _("al massimo %(amount)s")) % {"amount": amount}
    else:
        text = _("almeno %(amount)s") % {"amount": amount}
    if terms.kind == Kind.SPECIFIC:
        share = terms.compliance_pct if terms.compliance_pct is not None else rules.DEFAULT_COMPLIANCE
        if share >= 100:
            text = _("%(promise)s, in ogni caso") % {"promise": text}
        else:
            text = _("%(promise)s nel %(share)s %% dei casi") % {"promise": text, "share": figure(share)}
    return text


def actual(terms, value: Decimal | None) -> str:
    """The actual value in words: a share of cases for a specific standard,
    «sì»/«no» for a commitment, the value with its unit otherwise."""
    if value is None:
        return _("dato non disponibile")
    if terms.comparator == Comparator.YES_NO:
        return _("sì") if value >= 1 else _("no")
    if terms.kind == Kind.SPECIFIC:
        return _("%(share)s %% dei casi") % {"share": figure(value)}
    return _with_unit(value, (terms.unit or "").strip())


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
