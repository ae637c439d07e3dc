"""Writes of the catalogue (club-wide): indicators and their versions, campaigns
opened and closed by the coordinators of an area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from benchmarking.models import (
    Campaign,
    Indicator,
    IndicatorVersion,
    needs_new_version,
)
from qclub.permissions import Action, can


def open_campaign(*, area, period, indicators, opens_on, due_on, user) -> Campaign:
    """A coordinator opens the collection of an area's indicators for a period."""
    if not can(user, Action.OPEN_CAMPAIGNS, area=area):
        raise PermissionDenied(_("Solo chi coordina l'area può aprire una campagna."))
    errors: dict[str, list[str]] = {}
    indicators = list(indicators)
    if not indicators:
        errors["indicators"] = [_("Scegli almeno un indicatore.")]
    elif any(indicator.area_id != area.pk for indicator in indicators):
        errors["indicators"] = [_("Gli indicatori devono appartenere all'area della campagna.")]
    if due_on < opens_on:
        errors["due_on"] = [_("La scadenza non può precedere l'apertura.")]
    if Campaign.objects.filter(
        area=area, period_year=period.year, period_kind=period.kind, period_index=period.index
    ).exists():
        errors["period"] = [_("Per quest'area e questo periodo c'è già una campagna.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            area=area, period_year=period.year, period_kind=period.kind,
            period_index=period.index, opens_on=opens_on, due_on=due_on, created_by=user,
        )
        campaign.indicators.set(indicators)
    return campaign


@transaction.atomic
def indicator_create(*, indicator: Indicator, version_data: dict, user) -> Indicator:
    """A coordinator of the indicator's area adds it to the catalogue with version 1."""
    if not can(user, Action.MANAGE_CATALOGUE, area=indicator.area):
        raise PermissionDenied(_("Solo chi coordina l'area può modificare il catalogo."))
    indicator.save()
    IndicatorVersion.objects.create(indicator=indicator, number=1, created_by=user, **version_data)
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, version: IndicatorVersion, version_data: dict, user
) -> IndicatorVersion:
    """Name, dimension, position and use change in place; a change of a defining
    field (formula, unit, decimals, direction or band: `needs_new_version`) makes
    version n+1, so figures computed with an earlier version keep the definition
    they were computed with. Returns the current version after the save."""
    if not can(user, Action.MANAGE_CATALOGUE, area=indicator.area):
        raise PermissionDenied(_("Solo chi coordina l'area può modificare il catalogo."))
    indicator.save()
    if needs_new_version(version, version_data):
        return IndicatorVersion.objects.create(
            indicator=indicator, number=version.number + 1, created_by=user, **version_data
        )
    # The defining fields are unchanged: only the descriptive texts may differ.
    version.definition, version.notes = version_data["definition"], version_data["notes"]
    version.save(update_fields=["definition", "notes"])
    return version


@transaction.atomic
def campaign_close(*, campaign: Campaign, user) -> Campaign:
    """A coordinator of the campaign's area closes it; closing twice is refused."""
    if not can(user, Action.OPEN_CAMPAIGNS, area=campaign.area):
        raise PermissionDenied(_("Solo chi coordina l'area può chiudere la campagna."))
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("area").get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("La campagna è già chiusa."))
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    return campaign
