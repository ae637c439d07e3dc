"""The comune's complaint rules: its settings row (defaults when it has none),
the deadlines a complaint gets, and when it is overdue.

`charter_standard` is where a service charter's standard will override the
comune's defaults (the issue: "overridden by the standard of the service's
charter when one exists"). Modules never import each other, so when service
charters can offer it, it will come through the module contract or a core
lookup; until then it answers None.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from complaints import deadlines
from complaints.models import Complaint, ComplaintSettings


@dataclass(frozen=True)
class Standards:
    acknowledge_days: int
    answer_days: int


DEFAULTS = ComplaintSettings(acknowledge_days=5, answer_days=30, reopen_days=30, retention_months=60)


def settings_for(municipality) -> ComplaintSettings:
    """The comune's settings row (read as the comune), or the defaults."""
    found = ComplaintSettings.objects.filter(municipality=municipality).first()
    return found or ComplaintSettings(
        municipality=municipality,
        acknowledge_days=DEFAULTS.acknowledge_days, answer_days=DEFAULTS.answer_days,
        reopen_days=DEFAULTS.reopen_days, retention_months=DEFAULTS.retention_months,
    )


def charter_standard(*, municipality, service, kind: str) -> Standards | None:
    """The standard of the service's charter, when one exists: not yet wired
    (see the module docstring). Returns None: the comune's defaults apply."""
    return None


def standards_for(*, municipality, service, kind: str, settings: ComplaintSettings | None = None) -> Standards:
    """The working days to acknowledge and to answer this complaint."""
    override = charter_standard(municipality=municipality, service=service, kind=kind)
    if override is not None:
        return override
    settings = settings or settings_for(municipality)
    return Standards(acknowledge_days=settings.acknowledge_days, answer_days=settings.answer_days)


def refresh_due_dates(complaint: Complaint, *, standards: Standards, suspensions=None) -> None:
    """Set the complaint's due dates from its dates and suspensions (not saved)."""
    province = complaint.municipality.province_code
    complaint.acknowledge_due = deadlines.add_working_days(
        complaint.received_on, standards.acknowledge_days, province_code=province
    )
    if suspensions is None:
        suspensions = list(complaint.suspensions.values_list("started_on", "ended_on")) if complaint.pk else []
    start = complaint.clock_started_on or complaint.received_on
    complaint.answer_due = deadlines.add_working_days(
        start, standards.answer_days, province_code=province,
        suspensions=[(s, e) for s, e in suspensions if e is None or e > start],
    )


def today() -> datetime.date:
    return timezone.localdate()


def overdue_q(on: datetime.date) -> Q:
    """Open, not waiting for the citizen, and past a due date: not yet
    acknowledged past the acknowledgement's, or not answered past the answer's.
    `Complaint.due` (a generated column) holds that next deadline, NULL when
    the complaint is not open or is suspended. The status condition says
    nothing more, but lets PostgreSQL use the partial index `complaint_open_due`
    (open complaints only): the overdue list is a range of it in due-date order."""
    return Q(status__in=Complaint.OPEN_STATUSES, due__lt=on)


def to_acknowledge_q() -> Q:
    return Q(status=Complaint.Status.RECEIVED)
