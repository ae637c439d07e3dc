"""Reads for the benchmarking pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from benchmarking.collection.validation import previous_values
from benchmarking.models import Campaign, DataValue, Submission


def recent_campaigns(limit: int = 30) -> QuerySet[Campaign]:
    return Campaign.objects.select_related("area").order_by("-period_year", "-period_index", "area__position")[:limit]


def own_submissions(campaigns) -> dict[int, Submission]:
    """The active comune's submissions for these campaigns, by campaign id."""
    return {s.campaign_id: s for s in Submission.objects.filter(campaign__in=list(campaigns))}


def is_overdue(campaign: Campaign, submission: Submission | None, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    done = submission is not None and submission.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
    return campaign.status == Campaign.Status.OPEN and campaign.due_on < today and not done


@dataclass
class Row:
    """One data element of a submission, as the entry form shows it."""

    value: DataValue
    previous: object = None
    comments: list = field(default_factory=list)


def entry_rows(submission: Submission) -> list[tuple[str, list[Row]]]:
    """The submission's values grouped as the catalogue groups them."""
    previous = previous_values(submission)
    values = (
        submission.values.select_related("element", "element__part_of")
        .prefetch_related("comments")
        .order_by("element__group", "element__position", "element__code")
    )
    groups: dict[str, list[Row]] = {}
    for value in values:
        groups.setdefault(value.element.group or "", []).append(
            Row(value=value, previous=previous.get(value.element_id), comments=list(value.comments.all()))
        )
    return list(groups.items())
