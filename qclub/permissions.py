"""Who may do what: one table of role -> actions, read by views, API and
templates alike (`can(user, action, municipality=...)`, `{% if perms_qclub... %}`).

Roles:
* officer, manager  — held in one comune (Membership);
* coordinator       — coordinates a thematic area for the whole club;
* member            — any officer, manager or coordinator whose active comune is
                      a member of the club (reads the members area);
* administrator     — the platform operator (Django superuser).
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied

OFFICER = "officer"
MANAGER = "manager"
COORDINATOR = "coordinator"
MEMBER = "member"
ADMINISTRATOR = "administrator"


class Action(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    ENTER_DATA = "enter_data"
    SUBMIT_DATA = "submit_data"
    RUN_SURVEYS = "run_surveys"
    HANDLE_COMPLAINTS = "handle_complaints"
    DRAFT_CHARTERS = "draft_charters"
    APPROVE_CHARTERS = "approve_charters"
    VIEW_MEMBERS_AREA = "view_members_area"
    MANAGE_CATALOGUE = "manage_catalogue"
    OPEN_CAMPAIGNS = "open_campaigns"
    REVIEW_SUBMISSIONS = "review_submissions"
    PUBLISH_RANKINGS = "publish_rankings"
    ADMIT_MUNICIPALITIES = "admit_municipalities"
    MANAGE_USERS = "manage_users"


PERMISSIONS: dict[Action, frozenset[str]] = {
    Action.VIEW_DASHBOARD: frozenset({OFFICER, MANAGER, COORDINATOR, ADMINISTRATOR}),
    Action.ENTER_DATA: frozenset({OFFICER, MANAGER}),
    Action.SUBMIT_DATA: frozenset({MANAGER}),
    Action.RUN_SURVEYS: frozenset({OFFICER, MANAGER}),
    Action.HANDLE_COMPLAINTS: frozenset({OFFICER, MANAGER}),
    Action.DRAFT_CHARTERS: frozenset({OFFICER, MANAGER}),
    Action.APPROVE_CHARTERS: frozenset({MANAGER}),
    Action.VIEW_MEMBERS_AREA: frozenset({MEMBER}),
    Action.MANAGE_CATALOGUE: frozenset({COORDINATOR}),
    Action.OPEN_CAMPAIGNS: frozenset({COORDINATOR}),
    Action.REVIEW_SUBMISSIONS: frozenset({COORDINATOR}),
    Action.PUBLISH_RANKINGS: frozenset({COORDINATOR}),
    Action.ADMIT_MUNICIPALITIES: frozenset({ADMINISTRATOR}),
    Action.MANAGE_USERS: frozenset({ADMINISTRATOR}),
}


def roles_for(user, municipality=None, area=None) -> frozenset[str]:
    """The roles `user` holds when acting for `municipality` (and `area`, for
    coordination of one area; without it, coordinating any area counts)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    roles: set[str] = set()
    if user.is_superuser:
        roles.add(ADMINISTRATOR)
    if municipality is not None:
        role = (
            user.memberships.filter(municipality=municipality).values_list("role", flat=True).first()
        )
        if role:
            roles.add(role)
    coordination = user.coordinated_areas.all()
    if area is not None:
        coordination = coordination.filter(area=area)
    if coordination.exists():
        roles.add(COORDINATOR)
    if (
        municipality is not None
        and municipality.is_member
        and roles & {OFFICER, MANAGER, COORDINATOR}
    ):
        roles.add(MEMBER)
    return frozenset(roles)


def can(user, action: Action, *, municipality=None, area=None) -> bool:
    return bool(roles_for(user, municipality, area) & PERMISSIONS[action])


def permission_table() -> list[tuple[str, list[bool]]]:
    """The table as rows (action, [allowed per role]) for the docs and the admin page."""
    roles = [OFFICER, MANAGER, COORDINATOR, MEMBER, ADMINISTRATOR]
    return [(action.value, [role in allowed for role in roles]) for action, allowed in PERMISSIONS.items()]


def requires(action: Action):
    """View decorator: the user must hold `action` for the request's active comune."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.user, action, municipality=getattr(request, "municipality", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
