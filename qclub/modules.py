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

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.module_loading import import_string

from qclub.permissions import PERMISSIONS, Action, roles_for
from qclub.tenancy import acting_for

if TYPE_CHECKING:
    from qclub.models import Municipality, Service


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


# --- Figures, service pages and commitments: what modules offer each other -------
#
# Modules never import each other. A service charter's standard links to a
# figure another module measures (an approved benchmarking indicator, a
# published survey item, a complaint KPI) by (module label, key); the core
# finds the module and asks it. The page of one service gathers every
# module's section for it the same way, and a charter's promise (the days to
# answer a complaint) reaches the module it binds through `commitments`.


@dataclass(frozen=True)
class Binding:
    """What a promise on a figure sets in the module that offers it (e.g. the
    working days complaints of the service get), and the values it accepts:
    a standard linked to such a figure is refused outside them, at save."""

    label: str  # translatable: "i giorni lavorativi per rispondere ai reclami"
    minimum: Decimal
    maximum: Decimal
    whole: bool = True  # whole numbers only (days)


@dataclass(frozen=True)
class Figure:
    """A figure a module measures per comune and year, that others may link to."""

    module: str  # the offering module's app label
    key: str  # stable within the module: "indicator:<code>", "item:<code>", "kpi:<name>"
    label: str  # translatable, Italian source
    unit: str  # "%", "giorni", "punti su 5"…
    # True: more is better; False: less is better; None: neither (a yes/no, a count).
    higher_is_better: bool | None = True
    kind: str = ""  # what sort of figure, for people: "Indicatore di benchmarking"
    service_code: str = ""  # the service of the shared taxonomy it measures, "" for none
    # A standard's target on this figure is also a rule of the offering module
    # (a `Commitment`): which values it accepts. None: the figure only measures.
    binds: Binding | None = None

    @property
    def ref(self) -> str:
        """The one string that names it across modules: "<module>/<key>"."""
        return f"{self.module}/{self.key}"


@dataclass(frozen=True)
class FigureValue:
    """One comune's value of a figure for one year, from what the module has
    approved or published (never a draft): the same numbers other comuni see."""

    municipality_id: int
    year: int
    value: Decimal
    note: str = ""  # where it comes from, for the reader: "Indicatore approvato (2025)"


@dataclass(frozen=True)
class ServiceSection:
    """A module's part of the page of one service for one comune: a template
    rendered with `context` (plus `municipality`, `service`, `audience`)."""

    title: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    position: int = 50


class Readers(StrEnum):
    """Who reads a service page: citizens (published material only, the public
    scope) or members of the club (the club scope)."""

    PUBLIC = "public"
    MEMBERS = "members"


@dataclass(frozen=True)
class Commitment:
    """A promise a comune made for a service (a charter standard in force) that
    binds a figure of another module: e.g. complaints answered within 20
    working days binds `complaints/kpi:answer_on_time` to 20."""

    module: str
    key: str
    value: Decimal
    unit: str = ""


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

    def figures(self, service: Service | None) -> Sequence[Figure]:
        """The figures the module measures for `service` (None: all of them),
        that a charter standard may link to. Catalogue data only: no tenant rows."""
        return ()

    def figure_values(
        self, key: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None
    ) -> Sequence[FigureValue]:
        """Values of the figure `key` for those years, for those comuni (None:
        every comune that has one, for the peers' distribution). Called inside
        `cross_tenant(scope="club")`: only approved or published figures are
        readable. At most one value per comune and year; bounded by the
        number of comuni, never by the rows behind a figure."""
        return ()

    def service_sections(
        self, municipality: Municipality, service: Service, audience: Readers
    ) -> Sequence[ServiceSection]:
        """The module's part of the page of one service for one comune, read in
        the public scope (citizens) or the club scope (members)."""
        return ()

    def service_codes(self, municipality: Municipality, audience: Readers) -> Collection[str]:
        """The codes of the services the module has a section for on the
        comune's service pages (read like `service_sections`): the lists of
        services link only to pages with something on them. Bounded: one
        query or a few, never one per service."""
        return ()

    def commitments(self, municipality: Municipality, service: Service) -> Sequence[Commitment]:
        """The comune's promises in force for the service that bind other
        modules' figures (read as the comune, or in the public scope)."""
        return ()

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



# --- Figures, service pages and commitments ---------------------------------------


def _module(label: str) -> Module | None:
    return next((m for m in installed_modules() if m.label == label), None)


def figures_for(service: Service | None) -> list[Figure]:
    """Every module's figures for a service (None: all), in module order."""
    return [figure for module in installed_modules() for figure in module.hooks.figures(service)]


def figure_get(ref: str) -> Figure | None:
    """The figure named "<module>/<key>", or None when no module offers it
    (an unknown module, a retired indicator)."""
    label, _, key = ref.partition("/")
    module = _module(label)
    if module is None or not key:
        return None
    return next((f for f in module.hooks.figures(None) if f.key == key), None)


def figure_values(
    ref: str, *, years: Sequence[int], municipality_ids: Sequence[int] | None = None, reason: str
) -> list[FigureValue]:
    """The approved or published values of a figure, read in the club scope
    (recorded in the access audit with `reason`). Unknown figure: none."""
    from qclub.tenancy import cross_tenant

    label, _, key = ref.partition("/")
    module = _module(label)
    if module is None or not key or not years:
        return []
    with cross_tenant(scope="club", reason=reason):
        return list(module.hooks.figure_values(key, years=years, municipality_ids=municipality_ids))


@contextmanager
def _service_page_scope(audience: Readers, reason: str) -> Iterator[None]:
    """How every module reads for a service page: citizens in the public
    scope, members in the club scope, both with no comune active. With no
    comune active a signed-in visitor's own drafts never show, and a member
    reads their own comune's page exactly as the other comuni read it (what
    the club shares), whichever comune they look at."""
    from qclub.tenancy import cross_tenant

    scope = "public" if audience == Readers.PUBLIC else "club"
    with acting_for(None), cross_tenant(scope=scope, reason=reason):
        yield


def service_sections(municipality: Municipality, service: Service, audience: Readers) -> list[ServiceSection]:
    """Every module's section of the service page, each read in the page's
    scope (`_service_page_scope`)."""
    sections = []
    with _service_page_scope(audience, f"service page {service.code}"):
        for module in installed_modules():
            sections.extend(module.hooks.service_sections(municipality, service, audience))
    return sorted(sections, key=lambda section: section.position)


def service_codes(municipality: Municipality, audience: Readers) -> set[str]:
    """The codes of the services some module has a section for, for this
    comune and these readers (one read per module)."""
    codes: set[str] = set()
    with _service_page_scope(audience, "service pages list"):
        for module in installed_modules():
            codes.update(module.hooks.service_codes(municipality, audience))
    return codes


def commitment(municipality: Municipality, service: Service | None, *, module: str, key: str) -> Commitment | None:
    """The comune's promise in force for the service that binds `<module>/<key>`,
    if some module (service charters) records one."""
    if service is None:
        return None
    for offering in installed_modules():
        for found in offering.hooks.commitments(municipality, service):
            if found.module == module and found.key == key:
                return found
    return None
