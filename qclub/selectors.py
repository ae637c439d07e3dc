"""Reads of the core: memberships, comuni, areas."""

from django.db.models import QuerySet

from qclub.models import AreaCoordinator, Membership, Municipality, ThematicArea


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


def dashboard_summary(municipality: Municipality) -> dict:
    """What the active comune has so far, module by module (acting for it)."""
    from benchmarking.models import ContextValue
    from complaints.models import Complaint
    from servicecharters.models import ServiceCharter
    from surveys.models import Survey

    open_statuses = [Complaint.Status.RECEIVED, Complaint.Status.IN_PROGRESS]
    return {
        "context_values": ContextValue.objects.count(),
        "surveys": Survey.objects.count(),
        "open_complaints": Complaint.objects.filter(status__in=open_statuses).count(),
        "charters": ServiceCharter.objects.count(),
    }
