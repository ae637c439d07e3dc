"""Reads of a comune's data collection: its campaigns and submissions, the
entry form's rows, and when a comune is overdue.

Reading never writes: before a comune's first save a campaign's submission
is not in the database, and these reads answer with an unsaved "not started"
submission whose values are the catalogue's elements, empty
(`submission_or_blank`). The first write creates it (`services.save_values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from benchmarking.catalogue.selectors import campaign_elements
from benchmarking.collection.validation import previous_values, value_warnings
from benchmarking.models import (
    Campaign,
    DataValue,
    DataValueChange,
    IndicatorResult,
    LoadedValues,
    SharedValue,
    Submission,
    SubmissionEvent,
)
from qclub.models import Membership, Municipality, Role


def recent_campaigns(limit: int = 30) -> QuerySet[Campaign]:
    return Campaign.objects.select_related("area").order_by("-period_year", "-period_index", "area__position")[:limit]


def own_submissions(campaigns) -> dict[int, Submission]:
    """The active comune's submissions for these campaigns, by campaign id."""
    return {s.campaign_id: s for s in Submission.objects.filter(campaign__in=list(campaigns))}


def is_overdue(
    campaign: Campaign, submission: Submission | None, today: date | None = None,
    municipality: Municipality | None = None,
) -> bool:
    """A comune is overdue on a campaign past due (still open after its due date,
    `Campaign.objects.past_due` in SQL) while its submission is missing or
    neither submitted nor approved (`Submission.DONE`) — never on a round that
    was due before it joined the club (`municipality`, its `member_since`)."""
    today = today or timezone.localdate()
    return campaign.is_past_due(today, municipality) and not (submission is not None and submission.is_done)


# --- The active comune's submission ---------------------------------------------------


def submission_or_blank(campaign: Campaign, municipality: Municipality) -> Submission:
    """The active comune's submission for the campaign or, before its first
    write, an unsaved one (not started, nothing filled in), counted as a fresh
    submission would be."""
    submission = Submission.objects.filter(campaign=campaign).select_related("campaign").first()
    if submission is not None:
        return submission
    blank = Submission(campaign=campaign, municipality=municipality)
    values = submission_values(blank)
    blank.expected_count = len(values)
    blank.warning_count = blank.unjustified_count = sum(1 for value in values if value.warnings)
    return blank


def period_of(campaign: Campaign) -> dict:
    return {"period_year": campaign.period_year, "period_kind": campaign.period_kind,
            "period_index": campaign.period_index}


def shared_values(campaign: Campaign, elements) -> dict[int, SharedValue]:
    """The active comune's shared figures (`DataElement.shared`) of the campaign's
    period, by element id: the one value every area's submission shows."""
    ids = [element.pk for element in elements]
    if not ids:
        return {}
    return {v.element_id: v for v in SharedValue.objects.filter(element_id__in=ids, **period_of(campaign))}


def shared_copy(shared: SharedValue | None) -> dict:
    """The fields a submission's copy of a shared figure takes from it."""
    if shared is None:
        return {}
    return {"state": shared.state, "value": shared.value, "note": shared.note,
            "estimated": shared.estimated, "version": shared.version}


def shared_holders(submission: Submission, element_ids) -> list[DataValue]:
    """The copies of these shared figures in the comune's other submissions of
    the same period (with their submission and area)."""
    period = submission.campaign.period
    return list(
        DataValue.objects.filter(
            element_id__in=list(element_ids),
            submission__campaign__period_year=period.year,
            submission__campaign__period_kind=period.kind,
            submission__campaign__period_index=period.index,
        )
        .exclude(submission_id=submission.pk)
        .select_related("submission__campaign__area", "element")
    )


def shared_elsewhere(submission: Submission, elements) -> dict[str, list[DataValue]]:
    """For the entry form: by element code, the other areas' submissions that
    hold each shared figure (a change here changes them too)."""
    shared = [element.pk for element in elements if element.shared]
    found: dict[str, list[DataValue]] = {}
    if shared:
        for copy in shared_holders(submission, shared):
            found.setdefault(copy.element.code, []).append(copy)
    return found


def submission_values(submission: Submission) -> list[DataValue]:
    """The submission's values in catalogue order with their elements; for an
    unsaved submission, one empty ("missing") value per element of the
    campaign, with the warnings a saved one would carry."""
    if submission.pk is not None:
        return list(
            submission.values.select_related("element", "element__part_of")
            .order_by("element__group", "element__position", "element__code")
        )
    previous = previous_values(submission)
    elements = campaign_elements(submission.campaign)
    # A shared figure (the population...) entered in another area's form is already there.
    shared = shared_values(submission.campaign, [element for element in elements if element.shared])
    blanks = []
    for element in elements:
        value = DataValue(municipality_id=submission.municipality_id, element=element,
                          **shared_copy(shared.get(element.pk)))
        value.warnings = value_warnings(element, value.state, value.value, previous.get(element.pk), [])
        blanks.append(value)
    return blanks


def submission_events(submission: Submission, limit: int = 20) -> list[SubmissionEvent]:
    return list(submission.events.all()[:limit]) if submission.pk else []


def stored_results(submission: Submission) -> list[IndicatorResult]:
    """The indicator results saved with the submission (what the manager shares)."""
    if submission.pk is None:
        return []
    return list(submission.results.select_related("indicator").order_by("indicator__position", "indicator__code"))


def value_history(campaign: Campaign, code: str) -> tuple[DataValue, list[DataValueChange]]:
    """The active comune's value of element `code` in the campaign and every
    change to it; an element of the campaign not yet saved has no history.
    404 for a code the campaign does not collect."""
    value = DataValue.objects.select_related("element").filter(submission__campaign=campaign, element__code=code).first()
    if value is None:
        element = next((e for e in campaign_elements(campaign) if e.code == code), None)
        if element is None:
            raise Http404
        return DataValue(element=element), []
    return value, value_changes(value)


def value_changes(value: DataValue) -> list[DataValueChange]:
    """Every change of one stored value, newest first: those recorded one by one
    (form, API, file import) and those a national load recorded set-based for
    its submission (`LoadedValues`), as one history."""
    changes = list(value.changes.select_related("user"))
    loads = LoadedValues.objects.filter(submission_id=value.submission_id, elements__contains=[value.element_id])
    changes += [load.change_of(value.element_id) for load in loads.select_related("user")]
    return sorted(changes, key=lambda change: change.at, reverse=True)


@dataclass
class Row:
    """One data element of a submission, as the entry form shows it."""

    value: DataValue
    previous: object = None
    comments: list = field(default_factory=list)


def entry_rows(submission: Submission) -> list[tuple[str, list[Row]]]:
    """The submission's values grouped as the catalogue groups them (an
    unsaved submission: the campaign's elements, empty)."""
    previous = previous_values(submission)
    if submission.pk is None:
        values = submission_values(submission)
    else:
        values = (
            submission.values.select_related("element", "element__part_of")
            .prefetch_related("comments")
            .order_by("element__group", "element__position", "element__code")
        )
    groups: dict[str, list[Row]] = {}
    for value in values:
        groups.setdefault(value.element.group or "", []).append(Row(
            value=value, previous=previous.get(value.element_id),
            comments=list(value.comments.all()) if value.pk else [],
        ))
    return list(groups.items())


def manager_names(municipality: Municipality | None) -> list[str]:
    """Who submits the comune's forms: its active managers' names (club-wide table)."""
    if municipality is None:
        return []
    users = (
        Membership.objects.filter(municipality=municipality, role=Role.MANAGER, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return [membership.user.get_full_name() or membership.user.get_username() for membership in users]
