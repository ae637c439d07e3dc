"""Reads of the catalogue: campaigns, the indicators a campaign collects with their
current versions, and the data elements they need."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from benchmarking.models import (
    Campaign,
    CampaignEvent,
    DataElement,
    Indicator,
    IndicatorVersion,
    Submission,
)
from benchmarking.periods import YEAR, Period
from qclub.models import Municipality
from qclub.tenancy import SCOPE_REVIEW, cross_tenant


def current_versions(indicators: Iterable[Indicator]) -> dict[int, IndicatorVersion]:
    """The newest version of each indicator, by indicator id."""
    ids = [indicator.pk for indicator in indicators]
    newest: dict[int, IndicatorVersion] = {}
    for version in IndicatorVersion.objects.filter(indicator_id__in=ids).order_by("number"):
        newest[version.indicator_id] = version
    return newest


def campaign_indicators(campaign: Campaign) -> list[tuple[Indicator, IndicatorVersion]]:
    indicators = list(campaign.indicators.select_related("service").order_by("position", "code"))
    versions = current_versions(indicators)
    return [(indicator, versions[indicator.pk]) for indicator in indicators if indicator.pk in versions]


def campaign_elements(campaign: Campaign) -> list[DataElement]:
    """The data elements the campaign's indicators need, in catalogue order."""
    codes: set[str] = set()
    for _indicator, version in campaign_indicators(campaign):
        codes |= version.parsed.codes
    return list(
        DataElement.objects.filter(code__in=codes)
        .select_related("part_of")
        .order_by("group", "position", "code")
    )


def campaign_get(public_id) -> Campaign:
    """The campaign with this public id (campaigns are club-wide), else 404."""
    return get_object_or_404(Campaign.objects.select_related("area"), public_id=public_id)


def indicator_get(code: str) -> Indicator:
    """The indicator with this code (the catalogue is club-wide), else 404."""
    return get_object_or_404(Indicator.objects.select_related("area"), code=code)


@dataclass(frozen=True)
class OpenForms:
    """Where the member comuni stand on a campaign, for the coordinator closing it."""

    members: int
    done: int  # submitted or approved (`Submission.DONE`)
    started: int  # saved at least once, not yet submitted

    @property
    def still_open(self) -> int:
        """Forms not submitted nor approved, including comuni that never started."""
        return self.members - self.done


def campaign_open_forms(campaign: Campaign, user) -> OpenForms:
    """How many member comuni have not yet submitted (two aggregate queries; the
    comuni's forms are read in the audited review scope of the campaign's area)."""
    members = Municipality.objects.filter(status=Municipality.Status.MEMBER)
    with cross_tenant(scope=SCOPE_REVIEW, reason=f"chiusura campagna {campaign.public_id}", acting_user=user):
        counts = Submission.objects.filter(campaign=campaign, municipality__in=members).aggregate(
            done=Count("id", filter=Q(status__in=Submission.DONE)),
            started=Count("id", filter=~Q(status__in=Submission.DONE) & ~Q(status=Submission.Status.NOT_STARTED)),
        )
    return OpenForms(members=members.count(), done=counts["done"], started=counts["started"])


def campaign_history(campaign: Campaign) -> list[CampaignEvent]:
    """Who opened, closed and reopened the campaign, when and why (newest first)."""
    return list(campaign.events.select_related("user"))


def default_period(area, today: date | None = None) -> Period:
    """The year a new campaign of `area` most likely collects: last year, or the
    first year after it without a campaign of the area (never one that exists)."""
    today = today or timezone.localdate()
    taken = set(
        Campaign.objects.filter(area=area, period_kind=YEAR)
        .values_list("period_year", flat=True)
    )
    year = today.year - 1
    while year in taken:
        year += 1
    return Period(year, YEAR, 1)
