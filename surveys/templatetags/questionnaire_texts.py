"""Texts kept per language (questionnaires, sections, questions, options) in templates."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from qclub.numbers import format_number
from surveys.models.questionnaires import localized
from surveys.questionnaires.selectors import texts_in as _texts_in

register = template.Library()


@register.simple_tag
def localized_text(texts, language=None) -> str:
    """The text in `language` (default: the page's language), else Italian."""
    return localized(texts, language or get_language())


@register.simple_tag
def texts_in(texts, languages):
    """[(language, text)] in the languages' order, for a list of translations."""
    return _texts_in(texts, languages)


@register.filter
def figure(value) -> str:
    """A whole number or a decimal written the Italian way (70.000; 3,1)."""
    if value is None or value == "":
        return ""
    try:
        return format_number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)
