"""Template helpers of the online form."""

from django import template

register = template.Library()


@register.filter
def get_answer(mapping, code):
    """mapping[code], or "" when absent (answers as typed, errors by question)."""
    if not isinstance(mapping, dict):
        return ""
    return mapping.get(code, "")
