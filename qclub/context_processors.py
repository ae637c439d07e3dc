from django.utils.translation import gettext_lazy as _

from qclub.permissions import ADMINISTRATOR, COORDINATOR, MANAGER, MEMBER, OFFICER, roles_for

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
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    roles = roles_for(user, municipality) if user is not None else frozenset()
    return {
        "active_municipality": municipality,
        "user_memberships": getattr(request, "memberships", []),
        "active_roles": roles,
        "active_role_labels": role_labels(roles),
        "nav_section": nav_section(request),
    }


def nav_section(request) -> str:
    """The module (URL namespace) or page name the header marks as current."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # error pages
        return ""
    return match.namespace or match.url_name or ""
