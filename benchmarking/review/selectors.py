"""Reads of the coordinators' review: the completeness board of a campaign."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarking.collection.selectors import is_overdue
from benchmarking.collection.services import REVIEWABLE
from benchmarking.models import Campaign, Submission
from qclub.models import Municipality
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


@dataclass
class BoardLine:
    municipality: Municipality
    submission: Submission | None
    overdue: bool


def board(campaign: Campaign, user) -> list[BoardLine]:
    """Every member comune and where its submission stands, for the campaign's
    coordinator (read through the audited review scope)."""
    members = list(Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"))
    with cross_tenant(scope=SCOPE_REVIEW, reason=f"completeness board {campaign.public_id}", acting_user=user):
        submissions = {s.municipality_id: s for s in Submission.objects.filter(campaign=campaign)}
    return [
        BoardLine(m, submissions.get(m.pk), is_overdue(campaign, submissions.get(m.pk)))
        for m in members
    ]


def reviewable(submission: Submission) -> bool:
    return submission.status in REVIEWABLE
