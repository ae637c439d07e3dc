"""Reading the comune's improvement plan: the actions per service (the plan
view), one action with its linked complaints (reference codes only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from complaints import policy
from complaints.models import Complaint, ImprovementAction, ImprovementLink

S = ImprovementAction.Status
MAX_ACTIONS = 500  # the plan page's bound; the API paginates


@dataclass
class ServicePlan:
    service_id: int | None
    name: str
    actions: list[ImprovementAction] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(1 for a in self.actions if a.status in (S.PLANNED, S.IN_PROGRESS))


def _linked_count():
    # A subquery, not Count("links"): the table's key is (municipality_id, id),
    # so PostgreSQL will not group by id alone.
    counted = (ImprovementLink.objects.filter(action=OuterRef("pk")).order_by()
               .values("action").annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def actions(municipality, *, service_id: int | None = None, status: str = ""):
    queryset = (
        ImprovementAction.objects.filter(municipality=municipality)
        .select_related("service").annotate(linked=_linked_count())
        .order_by("service__name", "due_on", "id")
    )
    if service_id is not None:
        queryset = queryset.filter(service_id=service_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def plan_by_service(municipality, *, service_id: int | None = None, status: str = "") -> tuple[list[ServicePlan], bool]:
    """The actions grouped by service (those without one last), and whether
    the list was cut at MAX_ACTIONS. One query."""
    today = policy.today()
    rows = list(actions(municipality, service_id=service_id, status=status)[: MAX_ACTIONS + 1])
    cut = len(rows) > MAX_ACTIONS
    plans: dict[int | None, ServicePlan] = {}
    for action in rows[:MAX_ACTIONS]:
        action.is_late = action.status in (S.PLANNED, S.IN_PROGRESS) and action.due_on < today
        key = action.service_id
        if key not in plans:
            plans[key] = ServicePlan(key, action.service.name if action.service else _("Nessun servizio indicato"))
        plans[key].actions.append(action)
    ordered = sorted(plans.values(), key=lambda p: (p.service_id is None, p.name))
    return ordered, cut


def linked_references(action: ImprovementAction) -> list[str]:
    return list(
        Complaint.objects.filter(improvement_links__action=action).order_by("reference").values_list("reference", flat=True)
    )
