"""Reads of the coordinators' review: the completeness board of a campaign,
the submissions of a campaign, one comune's submission under review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from benchmarking.collection.selectors import is_overdue
from benchmarking.collection.services import REVIEWABLE
from benchmarking.models import Campaign, DataValue, Submission
from qclub.models import Municipality
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


@dataclass
class BoardLine:
    municipality: Municipality
    submission: Submission | None
    overdue: bool


def board(campaign: Campaign, user, today: date | None = None) -> list[BoardLine]:
    """Every member comune and where its submission stands (overdue as of
    `today`, by default today), for the campaign's coordinator (read through
    the audited review scope)."""
    members = list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"))
    with cross_tenant(scope=SCOPE_REVIEW, reason=f"completeness board {campaign.public_id}", acting_user=user):
        submissions = {s.municipality_id: s for s in Submission.objects.filter(campaign=campaign)}
    return [
        BoardLine(m, submissions.get(m.pk), is_overdue(campaign, submissions.get(m.pk), today, municipality=m))
        for m in members
    ]


def reviewable(submission: Submission) -> bool:
    return submission.status in REVIEWABLE


OVERDUE = "overdue"


def board_lines_in(lines: list[BoardLine], status: str) -> list[BoardLine]:
    """The board's lines with `status` (a submission status, "not_started" for
    no submission, or "overdue"); every line for anything else."""
    if status == OVERDUE:
        return [line for line in lines if line.overdue]
    if status in Submission.Status.values:
        return [line for line in lines if (line.submission.status if line.submission else Submission.Status.NOT_STARTED) == status]
    return lines


def board_totals(lines: list[BoardLine]) -> dict[str, int]:
    return {
        "approved": sum(1 for line in lines if line.submission and line.submission.status == Submission.Status.APPROVED),
        "waiting": sum(1 for line in lines if line.submission and line.submission.status == Submission.Status.SUBMITTED),
        OVERDUE: sum(1 for line in lines if line.overdue),
    }


def submission_list(campaign: Campaign) -> list[Submission]:
    """The campaign's submissions with their comuni, by comune name (run it in
    the review scope: the database shows only the areas the user coordinates)."""
    return list(Submission.objects.filter(campaign=campaign).select_related("municipality").order_by("municipality__name"))


def reviewable_submission_get(campaign: Campaign, municipality) -> Submission:
    """The comune's submission once sent to review, else 404 (in the review scope)."""
    submission = Submission.objects.filter(campaign=campaign, municipality=municipality).first()
    if submission is None or not reviewable(submission):
        raise Http404(_("Questa scheda non è stata ancora inviata."))
    return submission


def submission_value_get(submission: Submission, code: str) -> DataValue:
    return get_object_or_404(DataValue, submission=submission, element__code=code)
