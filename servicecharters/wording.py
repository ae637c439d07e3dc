"""A standard's promise and its actual value in words, the one wording of
every page, the PDF, the API's readers and the comparison: «entro 20 giorni
lavorativi nel 95 % dei casi», «almeno 80 %», «garantito»; numbers written the
Italian way. Pure: a standard's terms in, a string out."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from qclub.numbers import format_number
from servicecharters.models.terms import DEFAULT_COMPLIANCE, StandardTerms

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind

# Units of time: an upper limit on them is a deadline («entro»), not a maximum.
TIME_UNITS = {
    "secondo", "secondi", "minuto", "minuti", "ora", "ore", "giorno", "giorni", "settimana", "settimane",
    "mese", "mesi", "anno", "anni",
}


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
        share = terms.compliance_pct if terms.compliance_pct is not None else DEFAULT_COMPLIANCE
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
