"""A standard's promise and a yearly value in words, the same on every page
of the standards and the monitoring ("Al massimo 20 giorni lavorativi, nel
95 % dei casi"; "Sì"; "93 % dei casi")."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from qclub.numbers import format_number
from servicecharters.models import StandardTerms

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind


def _with_unit(value: Decimal | None, unit: str) -> str:
    text = format_number(value)
    return f"{text} {unit}".strip() if text else ""


def promise(terms: StandardTerms) -> str:
    if terms.comparator == Comparator.YES_NO:
        return _("Impegno (sì/no)")
    target = _with_unit(terms.target_value, terms.unit)
    text = (_("Al massimo %(target)s") if terms.comparator == Comparator.AT_MOST else _("Almeno %(target)s")) % {
        "target": target or "—"
    }
    if terms.kind == Kind.SPECIFIC:
        share = terms.compliance_pct if terms.compliance_pct is not None else Decimal(100)
        text = _("%(promise)s, nel %(share)s %% dei casi") % {"promise": text, "share": format_number(share)}
    return text


def actual(terms: StandardTerms, value: Decimal | None) -> str:
    """The yearly value as read: a yes/no, a share of cases, or the figure with its unit."""
    if value is None:
        return _("nessun valore")
    if terms.comparator == Comparator.YES_NO:
        return _("Sì") if value >= 1 else _("No")
    if terms.kind == Kind.SPECIFIC:
        return _("%(share)s %% dei casi") % {"share": format_number(value)}
    return _with_unit(value, terms.unit)


def verdict(met: bool | None) -> str:
    if met is None:
        return _("Da valutare")
    return _("Rispettato") if met else _("Non rispettato")
