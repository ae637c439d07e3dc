"""What reads a comune's charters. Every lookup of one charter or version
goes through a `*_get` that 404s for anything not of the active comune (row
-level security already hides it; the 404 is the page's answer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from servicecharters.models import CharterEvent, CharterStandard, CharterVersion, ServiceCharter

Status = CharterVersion.Status


def charter_list() -> QuerySet[ServiceCharter]:
    return ServiceCharter.objects.select_related("service").order_by("service__name")


def charter_get(public_id) -> ServiceCharter:
    found = ServiceCharter.objects.select_related("service").filter(public_id=public_id).first()
    if found is None:
        raise Http404("charter")
    return found


def version_get(charter: ServiceCharter, number: int) -> CharterVersion:
    found = CharterVersion.objects.filter(charter=charter, number=number).first()
    if found is None:
        raise Http404("version")
    return found


def in_force(charter: ServiceCharter) -> CharterVersion | None:
    return CharterVersion.objects.filter(charter=charter, status=Status.PUBLISHED).first()


def open_version(charter: ServiceCharter) -> CharterVersion | None:
    return CharterVersion.objects.filter(charter=charter, status__in=CharterVersion.OPEN_STATUSES).first()


# --- chstaff: the staff pages' reads ------------------------------------------------------

# What a version's row compares with its predecessor (position is only the order).
COMPARED_TERMS = (
    "dimension", "kind", "title", "measure", "comparator", "target_value", "unit",
    "compliance_pct", "figure_ref", "remedy",
)


@dataclass(frozen=True)
class CharterRow:
    """A charter on the comune's list: the version in force, the one in the
    works (draft or in approval) and an approved one waiting to be published."""

    charter: ServiceCharter
    in_force: CharterVersion | None
    open: CharterVersion | None
    approved: CharterVersion | None
    returned: bool


def returned_versions() -> QuerySet[CharterVersion]:
    """Drafts sent back by the manager and not yet submitted again: the most
    recent of their «submitted» and «returned» events is a return."""
    last_step = CharterEvent.objects.filter(
        version=OuterRef("pk"), kind__in=[CharterEvent.Kind.SUBMITTED, CharterEvent.Kind.RETURNED],
    ).order_by("-at", "-id").values("kind")[:1]
    return CharterVersion.objects.filter(status=Status.DRAFT).annotate(
        last_step=Subquery(last_step)
    ).filter(last_step=CharterEvent.Kind.RETURNED)


def charter_rows(charters) -> list[CharterRow]:
    """The rows of one page of charters, their versions read in one query."""
    charters = list(charters)
    versions = CharterVersion.objects.filter(
        charter__in=charters, status__in=[Status.PUBLISHED, Status.APPROVED, *CharterVersion.OPEN_STATUSES],
    ).only("id", "charter_id", "number", "status", "valid_from", "title")
    by_charter: dict[int, dict[str, CharterVersion]] = {}
    for version in versions:
        by_charter.setdefault(version.charter_id, {})[version.status] = version
    returned = set(returned_versions().filter(charter__in=charters).values_list("pk", flat=True))
    rows = []
    for charter in charters:
        found = by_charter.get(charter.pk, {})
        open_ = found.get(Status.DRAFT) or found.get(Status.IN_APPROVAL)
        rows.append(CharterRow(
            charter=charter, in_force=found.get(Status.PUBLISHED), open=open_,
            approved=found.get(Status.APPROVED), returned=open_ is not None and open_.pk in returned,
        ))
    return rows


def versions_of(charter: ServiceCharter) -> QuerySet[CharterVersion]:
    return CharterVersion.objects.filter(charter=charter).select_related("approved_by").order_by("-number")


def events_of(charter: ServiceCharter) -> QuerySet[CharterEvent]:
    return CharterEvent.objects.filter(charter=charter).select_related("user", "version").order_by("-at", "-id")


def last_return(version: CharterVersion) -> CharterEvent | None:
    """The manager's reason, when the draft was sent back and not resubmitted."""
    if version.status != Status.DRAFT or not returned_versions().filter(pk=version.pk).exists():
        return None
    return CharterEvent.objects.filter(version=version, kind=CharterEvent.Kind.RETURNED).select_related("user").order_by("-at", "-id").first()


def standards_of(version: CharterVersion) -> list[CharterStandard]:
    return list(version.standards.order_by("position", "id"))


@dataclass(frozen=True)
class StandardChange:
    standard: CharterStandard
    fields: tuple[str, ...]  # verbose names of the terms that changed


@dataclass(frozen=True)
class VersionChanges:
    """What changed from the previous version: sections, and standards by lineage."""

    previous: CharterVersion
    sections: list[str] = field(default_factory=list)
    added: list[CharterStandard] = field(default_factory=list)
    removed: list[CharterStandard] = field(default_factory=list)
    changed: list[StandardChange] = field(default_factory=list)

    @property
    def nothing(self) -> bool:
        return not (self.sections or self.added or self.removed or self.changed)


def version_changes(version: CharterVersion) -> VersionChanges | None:
    """The comparison with the version before (None for the first one)."""
    previous = CharterVersion.objects.filter(charter_id=version.charter_id, number__lt=version.number).order_by("-number").first()
    if previous is None:
        return None
    sections = [
        str(CharterVersion._meta.get_field(name).verbose_name)
        for name in ("title", *CharterVersion.SECTIONS)
        if (getattr(previous, name) or "").strip() != (getattr(version, name) or "").strip()
    ]
    before = {s.lineage: s for s in previous.standards.all()}
    now = {s.lineage: s for s in version.standards.all()}
    changed = []
    for lineage, standard in now.items():
        old = before.get(lineage)
        if old is None:
            continue
        differing = tuple(
            str(CharterStandard._meta.get_field(name).verbose_name)
            for name in COMPARED_TERMS if getattr(old, name) != getattr(standard, name)
        )
        if differing:
            changed.append(StandardChange(standard, differing))
    return VersionChanges(
        previous=previous, sections=sections,
        added=[s for lineage, s in now.items() if lineage not in before],
        removed=[s for lineage, s in before.items() if lineage not in now],
        changed=changed,
    )


def work_counts() -> dict[str, int]:
    """The comune's charters waiting for someone (the dashboard card)."""
    return {
        "returned": returned_versions().count(),
        "in_approval": CharterVersion.objects.filter(status=Status.IN_APPROVAL).count(),
        "approved": CharterVersion.objects.filter(status=Status.APPROVED).count(),
    }


# The list's filters (the dashboard card's links): what a charter waits for.
WAITING = ("returned", "in_approval", "approved")


def charters_waiting(state: str) -> QuerySet[ServiceCharter]:
    if state == "returned":
        return charter_list().filter(pk__in=returned_versions().values("charter_id"))
    return charter_list().filter(pk__in=CharterVersion.objects.filter(status=state).values("charter_id"))
