"""The comune's complaint rules: its settings row (defaults when it has none),
the deadlines a complaint gets, and when it is overdue.

A service's charter overrides the comune's deadlines for that service
(`charter_standard`): a standard of the charter in force linked to the
complaint KPI «answered within the deadline» (or «acknowledged within the
deadline») of the service promises its target in working days, and every
complaint about the service — whichever way it comes in: public form,
staff's page, API — gets that many days. Modules never import each other:
the promise comes through the module contract (`qclub.modules.commitment`,
offered by service charters' `commitments` hook), read as the comune. A
draft, or a charter not yet published, binds nothing; a deadline the
charter does not give stays the comune's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from complaints import deadlines
from complaints.models import Complaint, ComplaintSettings
from qclub import modules

# This module's app label: the module a charter's commitment names.
MODULE = "complaints"


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


def _charter_days(municipality, service, *, name: str, field: str) -> int | None:
    """The working days the charter in force promises for the KPI `name` of
    the service, when within what the comune's own setting may be (the same
    validators); a fraction of a day is dropped, so the promise is kept."""
    promise = modules.commitment(
        municipality, service, module=MODULE, key=f"kpi:{name}:{service.code}"
    )
    if promise is None:
        return None
    days = int(promise.value)
    try:
        ComplaintSettings._meta.get_field(field).run_validators(days)
    except ValidationError:
        return None
    return days


def charter_standard(*, municipality, service, kind: str, settings: ComplaintSettings | None = None) -> Standards | None:
    """The deadlines of the service's charter in force (see the module
    docstring), the comune's settings for the one it does not give; None
    when it gives neither, or there is no service. The same for every kind
    of report (complaint, suggestion, compliment), as the comune's settings are."""
    if service is None:
        return None
    answer = _charter_days(municipality, service, name="answer_on_time", field="answer_days")
    acknowledge = _charter_days(municipality, service, name="acknowledge_on_time", field="acknowledge_days")
    if answer is None and acknowledge is None:
        return None
    settings = settings or settings_for(municipality)
    return Standards(
        acknowledge_days=acknowledge if acknowledge is not None else settings.acknowledge_days,
        answer_days=answer if answer is not None else settings.answer_days,
    )


def standards_for(*, municipality, service, kind: str, settings: ComplaintSettings | None = None) -> Standards:
    """The working days to acknowledge and to answer this complaint: the
    service's charter where it promises them, else the comune's settings."""
    override = charter_standard(municipality=municipality, service=service, kind=kind, settings=settings)
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
