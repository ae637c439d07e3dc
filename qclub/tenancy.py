"""Tenancy: which comune a request or a job acts for, enforced twice.

1. In PostgreSQL: every tenant table has forced row-level security whose policy
   reads the transaction-local setting `qclub.municipality_id`
   (qclub/migration_ops.py). No setting, no rows.
2. In the application: `TenantModel.objects` refuses to query without an
   active comune, and filters by it.

The setting is always made with `set_config(..., true)` (transaction-local),
never per session, so connection poolers in transaction mode stay safe. The
public API is two context managers: `acting_for(municipality)` — used by
`TenancyMiddleware` (one transaction per request), the API's authentication
(`qclub/api_auth.py`), jobs, commands and tests — and `cross_tenant()` (the one
named, audited way to read across comuni, limited by each table's read
policies). Everything named with a leading underscore here is private.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.http import HttpRequest, HttpResponse

MUNICIPALITY_SETTING = "qclub.municipality_id"
SCOPE_SETTING = "qclub.scope"
AREAS_SETTING = "qclub.areas"

# Named scopes for reading across comuni. Each tenant model declares, per scope,
# which of its rows the scope may read (TenantModel.tenancy_read_policies).
SCOPE_CLUB = "club"  # members area, coordinators' review: approved figures only
SCOPE_PUBLIC = "public"  # citizens: published material only
# coordinators: the submissions of the thematic areas they coordinate
# (the areas travel in AREAS_SETTING, computed here from AreaCoordinator rows)
SCOPE_REVIEW = "review"
# national data loads (benchmarking/bulk.py): many comuni's figures in one
# set-based write, only into submissions still open for editing
SCOPE_LOAD = "load"
SCOPES = (SCOPE_CLUB, SCOPE_PUBLIC, SCOPE_REVIEW, SCOPE_LOAD)


class NoActiveMunicipality(RuntimeError):
    """A tenant query ran with no comune to act for: refused rather than unscoped."""


@dataclass(frozen=True)
class _Context:
    municipality_id: int | None = None
    scope: str | None = None
    areas: tuple[int, ...] = ()
    # Who the request or API call is authenticated as: the access audit's user
    # when a cross_tenant() caller names none. Never sent to PostgreSQL.
    user: object | None = None


_context: ContextVar[_Context] = ContextVar("qclub_tenancy", default=_Context())  # noqa: B039


def active_municipality_id() -> int | None:
    return _context.get().municipality_id


def active_scope() -> str | None:
    return _context.get().scope


def _apply(context: _Context, using: str) -> None:
    """Tell PostgreSQL, for the current transaction only."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, %s, true), set_config(%s, %s, true), set_config(%s, %s, true)",
            [
                MUNICIPALITY_SETTING,
                "" if context.municipality_id is None else str(context.municipality_id),
                SCOPE_SETTING,
                context.scope or "",
                AREAS_SETTING,
                ",".join(str(area) for area in context.areas),
            ],
        )


@contextmanager
def _activated(context: _Context, using: str) -> Iterator[None]:
    with transaction.atomic(using=using):
        previous = _context.get()
        token = _context.set(context)
        _apply(context, using)
        try:
            yield
        finally:
            _context.reset(token)
            # A transaction-local setting made inside a savepoint outlives the
            # savepoint's release, so restore the outer value explicitly. After an
            # error the savepoint is rolled back, which undoes the setting anyway.
            if not connections[using].needs_rollback:
                _apply(previous, using)


@contextmanager
def acting_for(municipality, *, user=None, using: str = "default") -> Iterator[None]:
    """Run the block, in one transaction (a savepoint when nested), for one
    comune: a `Municipality`, its id, or None for no comune at all (tenant
    queries then refuse to run). Requests, API views, jobs, management
    commands and tests all enter tenancy this way; it nests and restores the
    outer comune when the block ends. `user` is who acts (the request's user):
    the access audit records it; a nested block keeps the outer one."""
    municipality_id = getattr(municipality, "pk", municipality)
    if user is None or not getattr(user, "is_authenticated", False):
        user = _context.get().user
    with _activated(_Context(municipality_id=municipality_id, user=user), using):
        yield


@contextmanager
def cross_tenant(
    *, scope: str, reason: str, acting_user=None, areas: tuple[int, ...] | None = None,
    using: str = "default",
) -> Iterator[None]:
    """The one way to read across comuni, recorded in the access audit.

    The database lets the scope read only the rows each table's read policy
    for that scope allows (e.g. approved figures), and write only where a
    table declares a write policy for it (a coordinator returning or approving
    a submission of an area they coordinate); everything else of another
    comune stays out of reach.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown cross-tenant scope {scope!r}")
    from qclub.audit import record_access
    from qclub.models import AreaCoordinator

    outer = _context.get()
    if not getattr(acting_user, "is_authenticated", False):
        acting_user = outer.user
    if areas is not None:
        # A maintenance step names the areas itself (a command, or a service
        # re-ranking on behalf of `acting_user`); still audited, with the user.
        areas = tuple(areas)
    elif scope == SCOPE_REVIEW:
        areas = tuple(
            AreaCoordinator.objects.filter(user=acting_user).values_list("area_id", flat=True)
        ) if getattr(acting_user, "is_authenticated", False) else ()
    else:
        areas = ()
    # Before the read, on a connection of its own: the row stays even if the
    # request then fails or is rolled back (qclub/audit.py).
    record_access(scope=scope, reason=reason, user=acting_user, municipality_id=outer.municipality_id)
    with _activated(
        _Context(municipality_id=outer.municipality_id, scope=scope, areas=areas, user=outer.user), using
    ):
        yield


class TenancyMiddleware:
    """Pick the active comune and run the rest of the request in one transaction
    that carries it.

    The active comune is the one chosen in the header switcher (kept in the
    session) if the user belongs to it, else the user's first comune.
    """

    SESSION_KEY = "active_municipality"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from qclub.selectors import memberships_of

        request.memberships = []
        request.municipality = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.memberships = memberships_of(user)
            comuni = {m.municipality.slug: m.municipality for m in request.memberships}
            chosen = request.session.get(self.SESSION_KEY)
            if chosen in comuni:
                request.municipality = comuni[chosen]
            elif comuni:
                request.municipality = next(iter(comuni.values()))
        # Always set, even to "none": inside a test's outer transaction the
        # previous request's setting would otherwise still be there.
        with acting_for(request.municipality, user=user):
            return self.get_response(request)


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Rows of the active comune only; refuses to run with no comune.

    Inside `cross_tenant()` it does not filter: the database's read policy for
    the scope decides what is visible.
    """

    def get_queryset(self) -> TenantQuerySet:
        context = _context.get()
        queryset = super().get_queryset()
        if context.scope is not None:
            return queryset
        if context.municipality_id is None:
            raise NoActiveMunicipality(
                f"{self.model.__name__}: no active comune; use acting_for() or cross_tenant()"
            )
        return queryset.filter(municipality_id=context.municipality_id)


class TenantModel(models.Model):
    """Base of every model whose rows belong to one comune.

    In PostgreSQL the primary key is (municipality_id, id), unique constraints
    include the municipality, foreign keys between tenant tables are composite,
    and forced row-level security keeps each comune to its rows. The migration
    operation `qclub.migration_ops.EnforceTenancy` makes it so; `makemigrations`
    adds it for every tenant model it touches.

    `tenancy_read_policies` maps a cross-tenant scope ("club", "public",
    "review") to an SQL condition on the row that the scope may read; no entry,
    no access. `tenancy_write_policies` maps a scope to {"UPDATE"|"INSERT":
    condition} for the few writes a scope may make in another comune's rows.
    `tenancy_statement_keys` (for the tables national loads write a million
    rows of): foreign keys checked once per statement, not per row
    (`qclub.statement_keys`); declare the model's foreign keys with
    `db_constraint=False` so that Django adds no per-row constraint.
    Public identifiers are `public_id` (a UUID), never `id`; a model whose rows
    are never addressed on their own may drop it (`public_id = None`, and Meta
    constraints without TenantModel's: `DataValue`, a submission's figure for
    an element).
    """

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(
        "qclub.Municipality", on_delete=models.PROTECT, related_name="+", editable=False
    )
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = TenantManager()

    tenancy_read_policies: dict[str, str] = {}
    tenancy_write_policies: dict[str, dict[str, str]] = {}
    tenancy_statement_keys: bool = False

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "public_id"], name="%(app_label)s_%(class)s_public_id"
            )
        ]

    def save(self, *args, **kwargs):
        if self.municipality_id is None:
            active = active_municipality_id()
            if active is None:
                raise NoActiveMunicipality(f"{type(self).__name__}: no active comune to save for")
            self.municipality_id = active
        super().save(*args, **kwargs)
