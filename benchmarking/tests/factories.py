"""Catalogue and campaign factories for the benchmarking suites."""

import datetime

import factory

from benchmarking.models import Campaign, DataElement, Indicator, IndicatorVersion
from tests.factories import ThematicAreaFactory


class DataElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataElement
        django_get_or_create = ("code",)

    area = factory.SubFactory(ThematicAreaFactory)
    code = factory.Sequence(lambda n: f"element_{n}")
    name = factory.Sequence(lambda n: f"Dato {n}")
    unit = "n."
    kind = DataElement.Kind.COUNT


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    area = factory.SubFactory(ThematicAreaFactory)
    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"Indicatore {n}")
    dimension = "efficiency"


def indicator_with(area, formula, *, code=None, better="higher", unit="n.", decimals=1):
    """An indicator of `area` computing `formula`, with version 1."""
    indicator = IndicatorFactory(area=area, **({"code": code} if code else {}))
    IndicatorVersion.objects.create(
        indicator=indicator, number=1, formula=formula, unit=unit, decimals=decimals, better=better
    )
    return indicator


def campaign_for(area, indicators, year=2025, **kwargs):
    campaign = Campaign.objects.create(
        area=area, period_year=year, opens_on=datetime.date(year + 1, 1, 15),
        due_on=datetime.date(year + 1, 3, 31), **kwargs,
    )
    campaign.indicators.set(indicators)
    return campaign
