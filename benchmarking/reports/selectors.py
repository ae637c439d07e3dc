"""Reads of the queued PDF reports: how many a comune has pending, and one
user's report job as its page shows it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from procrastinate.contrib.django.models import ProcrastinateJob

from benchmarking.reports.jobs import report_pdf
from benchmarking.reports.services import report_path
from qclub.jobs import job_state
from qclub.models import Municipality

PENDING = ("todo", "doing")
RUNNING, DONE, EXPIRED, FAILED = "running", "done", "expired", "failed"


@dataclass(frozen=True)
class ReportJob:
    """A report job as its page shows it."""

    job_id: int
    public_id: uuid.UUID
    status: str  # RUNNING, DONE, EXPIRED (the file was deleted) or FAILED
    attempts: int
    done: int
    total: int
    filename: str
    path: Path


def pending_report_count(*, municipality: Municipality) -> int:
    """The comune's reports waiting or running (a retry waiting counts too)."""
    return ProcrastinateJob.objects.filter(
        task_name=report_pdf.name, status__in=PENDING, args__municipality_id=municipality.pk
    ).count()


def report_job_get(*, municipality: Municipality | None, user, public_id: uuid.UUID) -> ReportJob | None:
    """The report job `user` asked for while acting for `municipality`, by the
    report's public id, or None for any other job, user or comune (pages answer 404)."""
    if municipality is None:
        return None
    job_id, args = (
        ProcrastinateJob.objects.filter(
            task_name=report_pdf.name, args__public_id=str(public_id),
            args__municipality_id=municipality.pk, args__user_id=user.pk,
        )
        .values_list("pk", "args")
        .first()
    ) or (None, None)
    state = job_state(municipality=municipality, job_id=job_id) if args is not None else None
    if state is None:
        return None
    path = report_path(job_id)
    if state.status in PENDING:
        status = RUNNING
    elif state.status == "succeeded":
        status = DONE if path.exists() else EXPIRED
    else:
        status = FAILED
    return ReportJob(
        job_id=job_id, public_id=public_id, status=status, attempts=state.attempts,
        done=state.done, total=max(state.total, 1), filename=args.get("filename") or path.name, path=path,
    )
