"""Showing figures the Italian way, and the entry form's small lookups."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from benchmarking.collection.validation import warning_message
from benchmarking.comparisons.svg import trend_sparkline
from qclub.numbers import format_number, input_text

register = template.Library()


@register.filter
def figure(value, decimals=None):
    """`1234.5` -> `1.234,5`; with `decimals`, rounded for display only."""
    if value is None or value == "":
        return "—"
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def entry_text(value):
    return input_text(value)


@register.filter
def warning_text(warning):
    return warning_message(warning)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def intersects(first, second) -> bool:
    """Whether two collections share an item (an indicator's codes and the refused ones)."""
    return bool(set(first or ()) & set(second or ()))


@register.simple_tag
def sparkline(trend, decimals=None, name=""):
    """A scorecard line's trend as an inline SVG whose text alternative is its figures."""
    return mark_safe(trend_sparkline(trend, None if decimals in (None, "") else int(decimals), name))  # noqa: S308 - escaped in svg.py


# Why a comune has no figure for an indicator (formula.Outcome.reason,
# "own" for a figure the comune keeps to itself), in words.
REASONS = {
    "missing": _("dato non disponibile"),
    "division_by_zero": _("non calcolabile (divisione per zero)"),
    "not_applicable": _("non applicabile"),
    "confidential": _("dato riservato"),
    "own": _("dato riservato al comune"),
}


@register.filter
def reason_text(reason: str) -> str:
    return str(REASONS.get(reason, "—"))
