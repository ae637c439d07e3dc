"""Who may do what: one table of role -> actions, read by views, API and
templates alike.

Three ways in, all reading `PERMISSIONS`:
* `can(user, action, municipality=..., area=...)` -> bool, for what a page shows;
* `check(user, action, municipality=..., area=...)` raises `PermissionDenied`
  with an Italian message: the one object-level check of pages and services;
* `@requires(action, ...)` for a page acting for the request's active comune,
  and `requires_action(action, ...)` as a DRF permission class for API views
  acting for `request.municipality` (set by `qclub.api_auth.TenantAPIMixin`
  before DRF checks permissions).

Roles:
* officer, manager  — held in one comune (Membership);
* coordinator       — coordinates a thematic area for the whole club;
* member            — any officer or manager whose active comune is a member of
                      the club, and every coordinator (reads the members area);
* administrator     — the platform operator (Django superuser).
"""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

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
    PUBLISH_SURVEYS = "publish_surveys"
    MANAGE_QUESTIONNAIRES = "manage_questionnaires"


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
    # Publishing a survey's results to citizens (and withdrawing them) is the
    # manager's decision, as sending the benchmarking figures is.
    Action.PUBLISH_SURVEYS: frozenset({MANAGER}),
    # The club's questionnaires (the locked core included): new versions, edits
    # of a draft, activation. Per area: the coordinators of the questionnaire's
    # service's area.
    Action.MANAGE_QUESTIONNAIRES: frozenset({COORDINATOR}),
}


# What a person refused an action reads (pages and API alike).
DENIED: dict[Action, Promise] = {
    Action.VIEW_DASHBOARD: _("Non hai un ruolo in questo comune."),
    Action.ENTER_DATA: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.SUBMIT_DATA: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.RUN_SURVEYS: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.HANDLE_COMPLAINTS: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.DRAFT_CHARTERS: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.APPROVE_CHARTERS: _("Non hai il ruolo per questa operazione in questo comune."),
    Action.VIEW_MEMBERS_AREA: _("L'area riservata è per i comuni aderenti al club."),
    Action.MANAGE_CATALOGUE: _("Solo chi coordina l'area può modificare il catalogo."),
    Action.OPEN_CAMPAIGNS: _("Solo chi coordina l'area può aprire o chiudere una campagna."),
    Action.REVIEW_SUBMISSIONS: _("Solo chi coordina l'area vede e rivede le schede dei comuni."),
    Action.PUBLISH_RANKINGS: _("Solo i coordinatori dell'area possono pubblicarne i dati."),
    Action.ADMIT_MUNICIPALITIES: _("Solo l'amministratore della piattaforma può farlo."),
    Action.MANAGE_USERS: _("Solo l'amministratore della piattaforma può farlo."),
    Action.PUBLISH_SURVEYS: _("Solo il responsabile del comune può pubblicare o ritirare i risultati di un'indagine."),
    Action.MANAGE_QUESTIONNAIRES: _("Solo chi coordina l'area può modificare i questionari condivisi del club."),
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
    # A coordinator works for the whole club: the members area is theirs with or
    # without a comune of their own (they read what every member reads).
    if COORDINATOR in roles or (
        municipality is not None and municipality.is_member and roles & {OFFICER, MANAGER}
    ):
        roles.add(MEMBER)
    return frozenset(roles)


def can(user, action: Action, *, municipality=None, area=None) -> bool:
    """Whether `user` holds `action` acting for `municipality` (and, for the
    coordinators' actions, for `area`; without it, any area counts)."""
    return bool(roles_for(user, municipality, area) & PERMISSIONS[action])


def check(user, action: Action, *, municipality=None, area=None, message: str | Promise | None = None) -> None:
    """The one permission check of pages and services: raises `PermissionDenied`
    (403) with `message`, or the action's message in `DENIED`, unless
    `can(user, action, ...)`."""
    if not can(user, action, municipality=municipality, area=area):
        raise PermissionDenied(str(message or DENIED[action]))


def permission_table() -> list[tuple[str, list[bool]]]:
    """The table as rows (action, [allowed per role]) for the docs and the admin page."""
    roles = [OFFICER, MANAGER, COORDINATOR, MEMBER, ADMINISTRATOR]
    return [(action.value, [role in allowed for role in roles]) for action, allowed in PERMISSIONS.items()]


def requires(*actions: Action):
    """Page decorator: the user must hold every one of `actions` for the
    request's active comune (403 otherwise). Put it under `@login_required`,
    so that an anonymous visitor is sent to log in rather than refused.
    Checks on one object (an area, another comune) call `check()` in the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            for action in actions:
                check(request.user, action, municipality=getattr(request, "municipality", None))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasAction(BasePermission):
    """DRF permission: the user holds every one of `actions` for the comune the
    API request acts for (`request.municipality`). Use `requires_action(...)`."""

    actions: tuple[Action, ...] = ()

    def has_permission(self, request, view) -> bool:
        municipality = getattr(request, "municipality", None)
        for action in self.actions:
            if not can(request.user, action, municipality=municipality):
                self.message = str(DENIED[action])
                return False
        return True


def requires_action(*actions: Action) -> type[HasAction]:
    """`permission_classes = [requires_action(Action.ENTER_DATA)]`: the DRF twin of `@requires`."""
    name = "Requires" + "".join(action.value.title().replace("_", "") for action in actions)
    return type(name, (HasAction,), {"actions": tuple(actions)})
