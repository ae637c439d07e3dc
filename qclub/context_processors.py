from django.utils.translation import gettext_lazy as _

from qclub import modules
from qclub.permissions import ADMINISTRATOR, COORDINATOR, MANAGER, MEMBER, OFFICER

# Shown in the header and on the dashboard, in this order.
ROLE_LABELS = {
    ADMINISTRATOR: _("Amministratore"),
    MANAGER: _("Responsabile"),
    OFFICER: _("Operatore qualità"),
    COORDINATOR: _("Coordinatore di area"),
    MEMBER: _("Aderente al club"),
}


def role_labels(roles) -> list:
    return [label for role, label in ROLE_LABELS.items() if role in roles]


def tenancy(request):
    """The active comune, the user's comuni and roles, for the header."""
    viewer = modules.viewer_for(request)
    return {
        "active_municipality": viewer.municipality,
        "user_memberships": getattr(request, "memberships", []),
        "active_roles": viewer.roles,
        "active_role_labels": role_labels(viewer.roles),
    }


def navigation(request):
    """The header's navigation: the modules' entries this viewer may see, and
    the section to mark as current."""
    return {
        "nav_section": nav_section(request),
        "module_nav_entries": modules.nav_entries(modules.viewer_for(request)),
    }


def nav_section(request) -> str:
    """The module (URL namespace) or page name the header marks as current."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # error pages
        return ""
    return match.namespace or match.url_name or ""
