"""What a comune's charter in force binds in other modules (qclub/modules.py,
`Commitment`): a standard of the published version of the service's charter
linked to a complaint deadline KPI promises that deadline.

A standard linked to `complaints/kpi:answer_on_time:<service code>` (or
`kpi:acknowledge_on_time:<service code>`) whose target is N working days is
`Commitment(module="complaints", key="kpi:answer_on_time:<code>", value=N)`:
the complaints module then gives that service's complaints N working days
(`complaints.policy.charter_standard`). Only the version in force counts —
a draft, a version in approval, an approved one not yet published or a
published one whose date in force has not come bind nothing, and a
superseded one no longer does.

Read as the comune (the complaint intake runs inside `acting_for` it) or in
the public scope; the comune is filtered explicitly either way.
"""

from __future__ import annotations

from django.utils import timezone

from qclub.models import Municipality, Service
from qclub.modules import Commitment
from servicecharters.models import CharterStandard, CharterVersion

COMPLAINTS = "complaints"
# The complaint KPIs whose target is a deadline in working days.
DEADLINE_KPIS = ("answer_on_time", "acknowledge_on_time")


def commitments_of(municipality: Municipality, service: Service) -> list[Commitment]:
    """The complaint deadlines the comune's charter in force promises for the
    service. One query."""
    refs = {f"{COMPLAINTS}/kpi:{name}:{service.code}": f"kpi:{name}:{service.code}" for name in DEADLINE_KPIS}
    standards = (
        CharterStandard.objects.filter(
            municipality=municipality,
            version__charter__service=service,
            version__status=CharterVersion.Status.PUBLISHED,
            # Published ahead of its date, a charter does not bind yet.
            version__valid_from__lte=timezone.localdate(),
            figure_ref__in=list(refs),
            target_value__isnull=False,
        )
        .order_by("position", "id")
        .values_list("figure_ref", "target_value", "unit")
    )
    found: dict[str, Commitment] = {}
    for ref, target, unit in standards:
        # Two standards on one deadline: the first in the charter's order speaks.
        found.setdefault(refs[ref], Commitment(module=COMPLAINTS, key=refs[ref], value=target, unit=unit))
    return list(found.values())
