"""The module contract: how a module (benchmarking, surveys, complaints,
servicecharters, …) plugs into the core without the core importing it.

A module's AppConfig names its hooks class by dotted path:

    class BenchmarkingConfig(AppConfig):
        name = "benchmarking"
        hooks = "benchmarking.hooks.BenchmarkingHooks"

The class subclasses `ModuleHooks` and overrides only what the module offers;
every hook of the base class offers nothing, and an app with no `hooks`
attribute is simply not a module. The core finds the hooks by iterating
`django.apps.apps.get_app_configs()` (as django-oscar's dashboard finds its
apps), so `qclub` never imports a module: import-linter checks it.

Hooks return plain, frozen dataclasses defined here. They must do bounded
work — counts by aggregate, never one query per row — because the dashboard
and the header call every module's hooks on each request. Tenancy: a hook
reads the viewer's own comune through the request's tenancy context (the
`TenantModel` manager and row-level security already hold it), and another
comune's rows only inside `qclub.tenancy.cross_tenant(...)`. Public sections
run with no comune active, so only a `cross_tenant(scope="public")` read shows
anything of a comune's tenant data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import import_string

from qclub.permissions import PERMISSIONS, Action, roles_for
from qclub.tenancy import acting_for

if TYPE_CHECKING:
    from qclub.models import Municipality


# --- What the hooks are given ---------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and for which comune: the request's context for hooks."""

    user: Any  # a user or AnonymousUser
    municipality: Municipality | None
    roles: frozenset[str]

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def can(self, action: Action) -> bool:
        """The same answer as `permissions.can(user, action, municipality=...)`,
        from the roles already computed for this request."""
        return bool(self.roles & PERMISSIONS[action])


def viewer_for(request) -> Viewer:
    """The request's viewer, computed once per request (the header and the
    page both ask)."""
    viewer = getattr(request, "_qclub_viewer", None)
    if viewer is None:
        user = getattr(request, "user", None)
        municipality = getattr(request, "municipality", None)
        viewer = Viewer(user=user, municipality=municipality, roles=roles_for(user, municipality))
        request._qclub_viewer = viewer
    return viewer


# --- What the hooks return ---------------------------------------------------------


class Audience(StrEnum):
    """Who sees a navigation entry when no single action decides it."""

    EVERYONE = "everyone"  # citizens too
    SIGNED_IN = "signed_in"


# The members area is a section of its own, whichever module's URLs a page of
# it lives under (benchmarking's comparisons are under /benchmarking/): the
# core's members area page and every module page inside the members area set
# `nav_section` to it, and a module's entry into the members area declares it,
# so the header never marks the module's own entry there.
MEMBERS_SECTION = "members"


@dataclass(frozen=True)
class NavEntry:
    """A link in the header's main navigation."""

    label: str  # translatable (gettext_lazy), Italian source
    url_name: str  # reversed by the template, e.g. "benchmarking:index"
    # The value of `nav_section` (the URL namespace, or the page's name) that
    # marks this entry as the current one; "" marks it never.
    section: str = ""
    # An action from qclub.permissions (checked against the active comune's
    # roles) or an Audience.
    visible_to: Action | Audience = Audience.SIGNED_IN
    position: int = 50


@dataclass(frozen=True)
class WorkLink:
    """One thing to work on (a form, a complaint…), linked where it is done."""

    label: str
    url: str


@dataclass(frozen=True)
class WorkItem:
    """One line of a dashboard card: the user's work, counted, with where to do it.

    `url` leads straight to the thing when there is one (the form, not the list);
    `targets` names each thing when there are a few, each with its own link, so
    the user goes to the right one in one step (a module lists at most a handful
    and lets `url` lead to the rest)."""

    label: str
    count: int
    url: str
    targets: Sequence[WorkLink] = ()


@dataclass(frozen=True)
class DashboardCard:
    """A module's card on the dashboard. The hook returns it only for the roles
    it serves (looking at `viewer.roles`); items with a count of 0 are not shown."""

    title: str
    items: Sequence[WorkItem] = ()
    link_url: str = ""  # the module's page, e.g. "Vai al benchmarking"
    link_label: str = ""
    empty_text: str = ""  # shown when no item has anything to do
    position: int = 50

    @property
    def open_items(self) -> list[WorkItem]:
        return [item for item in self.items if item.count]


@dataclass(frozen=True)
class PublicSection:
    """A section of a comune's public page (`/comuni/<slug>/`): a template
    rendered with `context` (plus `municipality`). Published material only."""

    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    position: int = 50


@dataclass(frozen=True)
class MembersEntry:
    """A link in the members area (club members only)."""

    title: str
    description: str
    url: str
    position: int = 50


class ModuleHooks:
    """The contract. Subclass it, override what the module offers, and name
    the subclass in the AppConfig's `hooks`. Every default offers nothing."""

    def nav_entries(self) -> Sequence[NavEntry]:
        return ()

    def dashboard_cards(self, viewer: Viewer) -> Sequence[DashboardCard]:
        return ()

    def public_sections(self, municipality: Municipality) -> Sequence[PublicSection]:
        return ()

    def members_entries(self, viewer: Viewer) -> Sequence[MembersEntry]:
        return ()

    def seed_demo(self, stdout) -> None:
        """Idempotent demo data, called by `manage.py seed_demo` after the core's."""

    def sitemaps(self) -> Mapping[str, Any]:
        """`django.contrib.sitemaps.Sitemap`s of the module's public, published
        pages (and the comuni's pages they make worth reading), by section
        name: the core's `/sitemap.xml` lists them all. Only published
        material; read it in the public scope with no comune active."""
        return {}


# --- The registry ------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    label: str  # the app label
    name: str  # the app's verbose name
    hooks: ModuleHooks


class ImproperModule(TypeError):
    """An AppConfig names hooks that are not a ModuleHooks subclass."""


def installed_modules() -> list[Module]:
    """Every installed app that names hooks, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        path = getattr(config, "hooks", None)
        if not path:
            continue
        hooks_class = import_string(path)
        if not (isinstance(hooks_class, type) and issubclass(hooks_class, ModuleHooks)):
            raise ImproperModule(f"{config.label}.hooks = {path!r} is not a ModuleHooks subclass")
        modules.append(
            Module(label=config.label, name=str(config.verbose_name), hooks=hooks_class())
        )
    return modules


def _visible(entry: NavEntry, viewer: Viewer) -> bool:
    if entry.visible_to == Audience.EVERYONE:
        return True
    if entry.visible_to == Audience.SIGNED_IN:
        return viewer.is_authenticated
    return viewer.can(Action(entry.visible_to))


def nav_entries(viewer: Viewer) -> list[NavEntry]:
    entries = [entry for module in installed_modules() for entry in module.hooks.nav_entries()]
    return sorted((e for e in entries if _visible(e, viewer)), key=lambda e: e.position)


def dashboard_cards(viewer: Viewer) -> list[DashboardCard]:
    cards = [
        card for module in installed_modules() for card in module.hooks.dashboard_cards(viewer)
    ]
    return sorted(cards, key=lambda card: card.position)


def public_sections(municipality: Municipality) -> list[PublicSection]:
    """Each module's sections, read with no comune active: a signed-in
    visitor's own unpublished rows must not show on a public page."""
    sections = []
    for module in installed_modules():
        with acting_for(None):
            sections.extend(module.hooks.public_sections(municipality))
    return sorted(sections, key=lambda section: section.position)


def members_entries(viewer: Viewer) -> list[tuple[str, list[MembersEntry]]]:
    """(module name, its entries) for every module that offers some."""
    groups = []
    for module in installed_modules():
        entries = sorted(module.hooks.members_entries(viewer), key=lambda e: e.position)
        if entries:
            groups.append((module.name, entries))
    return groups


def sitemaps() -> dict[str, Any]:
    """Every module's sitemaps, by "<module label>-<section>"."""
    found = {}
    for module in installed_modules():
        for name, sitemap in module.hooks.sitemaps().items():
            found[f"{module.label}-{name}"] = sitemap
    return found


def seed_demo(stdout) -> list[str]:
    """Run every module's demo hook; returns the labels of the modules that have one."""
    seeded = []
    for module in installed_modules():
        if type(module.hooks).seed_demo is ModuleHooks.seed_demo:
            continue
        module.hooks.seed_demo(stdout)
        seeded.append(module.label)
    return seeded

