"""Writes of the catalogue (club-wide): data elements, indicators and their
versions, campaigns opened and closed by the coordinators of an area."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from benchmarking.catalogue.selectors import campaign_open_forms
from benchmarking.models import (
    Campaign,
    CampaignEvent,
    DataElement,
    Indicator,
    IndicatorVersion,
    needs_new_version,
)
from qclub.models import Service, ThematicArea
from qclub.permissions import Action, check


def element_rule_errors(
    *, area: ThematicArea | None, part_of: DataElement | None, service: Service | None,
    plausible_min: Decimal | None, plausible_max: Decimal | None, element: DataElement | None = None,
) -> dict[str, list[str]]:
    """The rules of a data element across its fields, by field: the plausible
    minimum is not above the maximum; the whole it is part of and its service
    are of its area; it is not, up the chain, a part of one of its own parts."""
    errors: dict[str, list[str]] = {}
    if plausible_min is not None and plausible_max is not None and plausible_min > plausible_max:
        errors["plausible_max"] = [_("Il massimo plausibile non può essere minore del minimo.")]
    if area is not None and part_of is not None and part_of.area_id != area.pk:
        errors["part_of"] = [_("Il dato di cui è parte deve essere della stessa area.")]
    elif part_of is not None and element is not None and element.pk and _is_part_of(element, part_of):
        errors["part_of"] = [_("Un dato non può essere parte di una sua parte.")]
    if area is not None and service is not None and service.area_id != area.pk:
        errors["service"] = [_("Il servizio deve essere della stessa area.")]
    return errors


def _is_part_of(element: DataElement, whole: DataElement | None) -> bool:
    """Whether `whole` is, up its chain of wholes, `element` itself."""
    seen: set[int] = set()
    while whole is not None and whole.pk not in seen:
        if whole.pk == element.pk:
            return True
        seen.add(whole.pk)
        whole = whole.part_of
    return False


@transaction.atomic
def element_create(
    *, area: ThematicArea, code: str, name: str, unit: str, kind: str, service: Service | None = None,
    group: str = "", position: int = 0, measurement: str = "", plausible_min: Decimal | None = None,
    plausible_max: Decimal | None = None, change_threshold_pct: Decimal = Decimal("30"),
    part_of: DataElement | None = None, acting_user,
) -> DataElement:
    """A coordinator of `area` adds a data element to it; its code is unique in
    the catalogue (formulas refer to it) and the cross-field rules hold."""
    check(acting_user, Action.MANAGE_CATALOGUE, area=area)
    errors = element_rule_errors(
        area=area, part_of=part_of, service=service, plausible_min=plausible_min, plausible_max=plausible_max,
    )
    if DataElement.objects.filter(code=code).exists():
        errors["code"] = [_("Esiste già un dato elementare con questo codice.")]
    if errors:
        raise ValidationError(errors)
    element = DataElement(
        area=area, code=code, name=name, unit=unit, kind=kind, service=service, group=group, position=position,
        measurement=measurement, plausible_min=plausible_min, plausible_max=plausible_max,
        change_threshold_pct=change_threshold_pct, part_of=part_of,
    )
    element.full_clean()
    element.save()
    return element


@transaction.atomic
def element_update(
    *, element: DataElement, name: str, unit: str, kind: str, service: Service | None, group: str,
    position: int, measurement: str, plausible_min: Decimal | None, plausible_max: Decimal | None,
    change_threshold_pct: Decimal, part_of: DataElement | None, acting_user,
) -> DataElement:
    """A coordinator of the element's area changes it. Area and code stay:
    formulas refer to the code and look it up in the area, so changing either
    would silently break indicators."""
    check(acting_user, Action.MANAGE_CATALOGUE, area=element.area)
    errors = element_rule_errors(
        area=element.area, part_of=part_of, service=service, plausible_min=plausible_min,
        plausible_max=plausible_max, element=element,
    )
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name, "unit": unit, "kind": kind, "service": service, "group": group, "position": position,
        "measurement": measurement, "plausible_min": plausible_min, "plausible_max": plausible_max,
        "change_threshold_pct": change_threshold_pct, "part_of": part_of,
    }
    for field, value in values.items():
        setattr(element, field, value)
    element.full_clean()
    element.save()
    return element


def open_campaign(*, area, period, indicators, opens_on, due_on, user) -> Campaign:
    """A coordinator opens the collection of an area's indicators for a period."""
    check(user, Action.OPEN_CAMPAIGNS, area=area, message=_("Solo chi coordina l'area può aprire una campagna."))
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
        errors["period"] = [duplicate_message(area, period)]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                area=area, period_year=period.year, period_kind=period.kind,
                period_index=period.index, opens_on=opens_on, due_on=due_on, created_by=user,
            )
            campaign.indicators.set(indicators)
            CampaignEvent.objects.create(campaign=campaign, kind=CampaignEvent.Kind.OPENED, user=user)
    except IntegrityError:
        # Someone opened the same area and period a moment earlier (the unique constraint).
        raise ValidationError({"period": [duplicate_message(area, period)]}) from None
    return campaign


def duplicate_message(area: ThematicArea, period) -> str:
    return _("C'è già una campagna «%(area)s» per il periodo %(period)s: scegli un altro periodo.") % {
        "area": area.name, "period": period.label,
    }


@transaction.atomic
def indicator_create(*, indicator: Indicator, version_data: dict, user) -> Indicator:
    """A coordinator of the indicator's area adds it to the catalogue with version 1."""
    check(user, Action.MANAGE_CATALOGUE, area=indicator.area,
          message=_("Solo chi coordina l'area può modificare il catalogo."))
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
    check(user, Action.MANAGE_CATALOGUE, area=indicator.area,
          message=_("Solo chi coordina l'area può modificare il catalogo."))
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
def campaign_close(*, campaign: Campaign, user, note: str = "") -> Campaign:
    """A coordinator of the campaign's area closes it; closing twice is refused.

    From then on the round is read-only for every way in (`Campaign.accepts_values`).
    The campaign row is locked FOR UPDATE: a save holding it FOR SHARE finishes
    first, and any later one finds the round closed. The event keeps how many
    member comuni had not yet submitted."""
    check(user, Action.OPEN_CAMPAIGNS, area=campaign.area, message=_("Solo chi coordina l'area può chiudere la campagna."))
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": [_("Il motivo supera 2000 caratteri.")]})
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("area").get(pk=campaign.pk)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("La campagna è già chiusa."))
    open_forms = campaign_open_forms(campaign, user).still_open
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    CampaignEvent.objects.create(
        campaign=campaign, kind=CampaignEvent.Kind.CLOSED, user=user, note=note, open_forms=open_forms,
    )
    return campaign


@transaction.atomic
def campaign_reopen(*, campaign: Campaign, user, reason: str) -> Campaign:
    """A coordinator of the campaign's area reopens a closed round, saying why
    (required, kept with who and when in the campaign's history): the comuni can
    write and submit again."""
    check(user, Action.OPEN_CAMPAIGNS, area=campaign.area, message=_("Solo chi coordina l'area può riaprire la campagna."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Scrivi perché riapri la campagna: resta nella sua storia.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Il motivo supera 2000 caratteri.")]})
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("area").get(pk=campaign.pk)
    if campaign.status != Campaign.Status.CLOSED:
        raise ValidationError(_("La campagna è già aperta."))
    campaign.status = Campaign.Status.OPEN
    campaign.closed_at = None
    campaign.save(update_fields=["status", "closed_at"])
    CampaignEvent.objects.create(campaign=campaign, kind=CampaignEvent.Kind.REOPENED, user=user, note=reason)
    return campaign
