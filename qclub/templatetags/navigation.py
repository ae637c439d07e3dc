"""Navigation pieces shared by every page."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, here: str, *trail: str) -> dict:
    """Bootstrap Italia's breadcrumb with its separators: `trail` is label,
    url, label, url… from the top down; `here` is the current page.

        {% url 'opendata:index' as index %}{% translate "Dati aperti" as label %}
        {% breadcrumbs campaign.area.name label index %}
    """
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs: the trail is label, url pairs")
    return {
        "user": context.get("user"),
        "here": here,
        "crumbs": list(zip(trail[::2], trail[1::2], strict=True)),
    }
