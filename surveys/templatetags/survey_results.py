"""Figures of the survey results in Italian writing."""

from decimal import Decimal

from django import template

from qclub.numbers import format_number

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


@register.filter
def fig(value, decimals=2) -> str:
    """A figure with `decimals` decimals (1.234,56); "—" for none."""
    number = _decimal(value)
    return "—" if number is None else format_number(number, int(decimals))


@register.filter
def pct(value, decimals=1) -> str:
    """A share 0–1 as a percentage ("45,2%"); "—" for none."""
    number = _decimal(value)
    return "—" if number is None else format_number(number * 100, int(decimals)) + "%"


@register.filter
def points(value, decimals=1) -> str:
    """A difference in points with its sign ("+3,5")."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = format_number(number, int(decimals))
    return text if number < 0 else "+" + text


@register.filter
def pvalue(test) -> str:
    if test is None:
        return "—"
    if test.p_value < 0.001:
        return "< 0,001"
    return format_number(_decimal(test.p_value), 3)
