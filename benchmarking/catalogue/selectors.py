"""Reads of the catalogue: campaigns, the indicators a campaign collects with their
current versions, and the data elements they need."""

from __future__ import annotations

from collections.abc import Iterable

from django.shortcuts import get_object_or_404

from benchmarking.models import (
    Campaign,
    DataElement,
    Indicator,
    IndicatorVersion,
)


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
