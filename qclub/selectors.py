"""Reads of the core: memberships, comuni, areas. (What modules show on core
pages comes through their hooks: qclub/modules.py.)"""

from collections.abc import Collection

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from qclub.models import AreaCoordinator, Membership, Municipality, PeerGroup, Service, ThematicArea


def memberships_of(user) -> list[Membership]:
    """The user's comuni and roles, member comuni first, by name."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def coordinated_areas_of(user) -> QuerySet[ThematicArea]:
    return (
        ThematicArea.objects.filter(pk__in=AreaCoordinator.objects.filter(user=user).values("area"))
        .select_related("coordinating_municipality")
        .order_by("position", "name")
    )


def municipality_list(*, status: str | None = None, search: str = "") -> QuerySet[Municipality]:
    queryset = Municipality.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(name__icontains=search) | queryset.filter(istat_code=search)
    return queryset.order_by("name")


def member_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name")


def area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.select_related("coordinating_municipality").order_by(
        "position", "name"
    )


def public_municipality_get(slug: str) -> Municipality:
    """A comune for its public page, else 404 (every comune has one: citizens of
    a non-member comune still find its published material, if any)."""
    return get_object_or_404(Municipality, slug=slug)


def service_get(code: str) -> Service:
    """A service of the shared taxonomy by its code, else 404."""
    return get_object_or_404(Service.objects.select_related("area"), code=code)


def service_list(*, codes: Collection[str] | None = None) -> QuerySet[Service]:
    """The taxonomy's services by area (only those of `codes` when given)."""
    queryset = Service.objects.select_related("area").order_by("area__position", "area__name", "name")
    return queryset if codes is None else queryset.filter(code__in=codes)


def member_municipality_get(slug: str) -> Municipality:
    """A member comune, for the members' pages that look at any of them, else 404."""
    return get_object_or_404(Municipality, slug=slug, status=Municipality.Status.MEMBER)


def looked_at_municipality(viewer: Municipality | None, slug: str | None) -> Municipality:
    """The comune a members' page looks at: `slug` (any member comune, else 404),
    by default the viewer's own; for someone acting for no comune (a club
    coordinator), the first member comune by name, the page offering the others
    (404 while the club has no member)."""
    if slug:
        return member_municipality_get(slug)
    if viewer is not None:
        return viewer
    first = member_municipalities().first()
    if first is None:
        raise Http404
    return first


def peer_groups() -> list[PeerGroup]:
    return list(PeerGroup.objects.order_by("name"))


def peer_group_get(raw: str | None) -> PeerGroup | None:
    """The peer group a comparison's `?gruppo=<id>` names: none for empty,
    404 for anything that is not an existing group's id."""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise Http404(_("Gruppo di confronto non trovato."))
    group = PeerGroup.objects.filter(pk=int(raw)).first()
    if group is None:
        raise Http404(_("Gruppo di confronto non trovato."))
    return group
