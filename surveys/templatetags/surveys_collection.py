"""Template helpers of the online form."""

from django import template

register = template.Library()


@register.filter
def get_answer(mapping, code):
    """mapping[code], or "" when absent (answers as typed, errors by question)."""
    if not isinstance(mapping, dict):
        return ""
    return mapping.get(code, "")


@register.simple_tag
def described_by(question, error) -> str:
    """The ids a question's field or fieldset is described by: its help, its
    scale's meaning, its error."""
    name = question.field_name
    ids = []
    if question.help_text:
        ids.append(f"{name}-help")
    if question.scale_hint:
        ids.append(f"{name}-scale")
    if error:
        ids.append(f"{name}-error")
    return " ".join(ids)
