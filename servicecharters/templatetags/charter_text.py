"""Template filters of the charter pages: a section's Markdown as sanitised
HTML (`servicecharters.text.render`, the one way), a standard's promise in
Italian number writing, and where its actual value comes from."""

from django import template
from django.utils.translation import gettext as _

from qclub import modules
from servicecharters import text, wording

register = template.Library()


@register.filter
def charter_markdown(value: str):
    return text.render(value or "")


@register.filter
def promise(standard) -> str:
    """The standard's promise in words (`servicecharters.wording`, the one wording)."""
    return wording.promise(standard)


@register.filter
def actual(value, standard) -> str:
    """`{{ result.actual_value|actual:standard }}`: the actual value in words."""
    return wording.actual(standard, value)


@register.filter
def figure_source(ref: str) -> str:
    """The label of the figure a standard's actual value comes from."""
    if not ref:
        return _("inserito a mano")
    figure = modules.figure_get(ref)
    return str(figure.label) if figure is not None else _("fonte non più disponibile")
