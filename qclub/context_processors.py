from qclub.permissions import roles_for


def tenancy(request):
    """The active comune, the user's comuni and roles, for the header."""
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    return {
        "active_municipality": municipality,
        "user_memberships": getattr(request, "memberships", []),
        "active_roles": roles_for(user, municipality) if user is not None else frozenset(),
    }
