"""Template filters of the charter pages: a section's Markdown as sanitised
HTML (`servicecharters.text.render`, the one way), a standard's promise in
Italian number writing, and where its actual value comes from."""

from django import template
from django.utils.translation import gettext as _

from qclub import modules
from qclub.numbers import format_number
from servicecharters import text

register = template.Library()


@register.filter
def charter_markdown(value: str):
    return text.render(value or "")


@register.filter
def promise(standard) -> str:
    """«al massimo 15 minuti», «almeno 95 %», «sì»; with the share of cases for a specific standard."""
    if standard.comparator == standard.Comparator.YES_NO:
        said = _("sì")
    else:
        said = f"{standard.get_comparator_display()} {format_number(standard.target_value)} {standard.unit}".strip()
    if standard.kind == standard.Kind.SPECIFIC and standard.compliance_pct is not None:
        said = _("%(promise)s nel %(pct)s%% dei casi") % {"promise": said, "pct": format_number(standard.compliance_pct)}
    return said


@register.filter
def figure_source(ref: str) -> str:
    """The label of the figure a standard's actual value comes from."""
    if not ref:
        return _("inserito a mano")
    figure = modules.figure_get(ref)
    return str(figure.label) if figure is not None else _("fonte non più disponibile")
