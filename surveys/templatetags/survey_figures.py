"""Figures of survey results written the Italian way in templates
(`qclub.numbers.format_number`: 1.234,56)."""

from decimal import Decimal

from django import template

from qclub.numbers import format_number

register = template.Library()


@register.filter
def italian(value, decimals=None):
    """`3.4567|italian:2` -> `3,46`; `1234|italian` -> `1.234`; nothing -> «—»."""
    if value is None or value == "":
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format_number(number, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value, decimals=1):
    """A stored share (0–1, as `ItemResult.top_two_share` keeps it) in percent:
    `0.82345|percent` -> `82,3 %`."""
    if value is None or value == "":
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{format_number(number * 100, int(decimals))} %"
