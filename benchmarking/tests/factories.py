"""Catalogue, campaign and approved-figure builders for the benchmarking suites."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from benchmarking.collection import services
from benchmarking.collection.services import Entry
from benchmarking.comparisons import services as comparisons
from benchmarking.models import (
    ApprovedResult,
    Campaign,
    DataElement,
    Indicator,
    IndicatorVersion,
    Visibility,
)
from benchmarking.opendata import services as opendata
from qclub.models import Role
from qclub.tenancy import SCOPE_REVIEW, acting_for, cross_tenant
from tests.factories import (
    MunicipalityFactory,
    ThematicAreaFactory,
    officer_of,
)

# What comune B of the club wrote but nobody else may read, each easy to spot in any output.
SECRET_NOTE = "NOTA-RISERVATA-B"
SECRET_JUSTIFICATION = "GIUSTIFICAZIONE-RISERVATA-B"
DRAFT_FIGURE = 987654


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


def registry_office_area():
    return ThematicAreaFactory(code="servizi-demografici", name="Servizi demografici")


def registry_office_elements(area):
    """Certificates (of which online) and counter staff, by code."""
    certificates = DataElementFactory(
        area=area, code="certificati", name="Certificati rilasciati", group="Sportello",
        plausible_min=Decimal(0), plausible_max=Decimal(1_000_000),
    )
    online = DataElementFactory(
        area=area, code="certificati_online", name="Certificati rilasciati online",
        group="Sportello", part_of=certificates,
    )
    fte = DataElementFactory(
        area=area, code="sportello_fte", name="Addetti allo sportello (FTE)", unit="FTE",
        kind=DataElement.Kind.QUANTITY, group="Personale",
    )
    return {"certificati": certificates, "certificati_online": online, "sportello_fte": fte}


def registry_office_indicators(area):
    """Certificates per FTE and the online share (needs the elements)."""
    return [
        indicator_with(area, "certificati / sportello_fte", code="certificati_per_fte"),
        indicator_with(area, "certificati_online / certificati * 100", code="quota_online", unit="%"),
    ]


def approve(campaign, comune, coordinator, *, note="", justification="verificato", **figures):
    """Fill, submit and approve one comune's figures through the services (the
    whole workflow: officer saves twice, manager submits, coordinator approves
    in the review scope); warnings justified, None figures not applicable."""
    officer, manager = officer_of(comune), officer_of(comune, role=Role.MANAGER)
    with acting_for(comune):
        submission = services.start_submission(campaign)
        entries = {
            code: Entry(state="value", value=Decimal(str(value)), note=note, justification=justification)
            if value is not None else Entry(state="not_applicable", note=note, justification=justification)
            for code, value in figures.items()
        }
        services.save_values(submission, entries, officer)
        services.save_values(submission, entries, officer)
        services.transition(submission, services.SUBMIT, manager)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=coordinator):
        services.transition(submission, services.APPROVE, coordinator)
    return submission


def build_club(area, campaign, coordinator, indicators):
    """Six member comuni A–F, approved through the whole workflow; certificates
    per FTE 100, 200, 200, 300, 400, F not applicable. Lombardia A–C, Veneto
    D–F. B's figures carry a secret note and justification, and B has a 2026
    draft with a figure nobody else may see."""
    comuni = []
    figures = [(100, 1), (200, 1), (400, 2), (300, 1), (400, 1), (None, None)]
    for index, (certificates, fte) in enumerate(figures):
        comune = MunicipalityFactory(
            name=f"Comune {chr(65 + index)}", slug=f"comune-{chr(97 + index)}",
            region="Lombardia" if index < 3 else "Veneto",
            population=[3_000, 40_000, 45_000, 60_000, 300_000, 8_000][index],
        )
        secret = {"note": SECRET_NOTE, "justification": SECRET_JUSTIFICATION} if index == 1 else {}
        approve(campaign, comune, coordinator, certificati=certificates,
                certificati_online=0 if certificates else None, sportello_fte=fte, **secret)
        comuni.append(comune)
    draft_campaign = campaign_for(area, indicators, year=2026)
    with acting_for(comuni[1]):
        submission = services.start_submission(draft_campaign)
        services.save_values(submission, {
            "certificati": Entry(state="value", value=Decimal(DRAFT_FIGURE), note=SECRET_NOTE),
            "sportello_fte": Entry(state="value", value=Decimal(1)),
        }, officer_of(comuni[1]))
    return comuni


def publish_datasets(club):
    """On top of the club: 2025 published, with one more comune ("Comune
    Riservato", 9876) keeping its figures to itself; 2024 approved (5555) but
    club-only; 2023 (6666) published under an embargo that has not ended."""
    private = MunicipalityFactory(name="Comune Riservato")
    approve(club.campaign, private, club.coordinator, certificati=9876, certificati_online=0, sportello_fte=1)
    with cross_tenant(scope=SCOPE_REVIEW, reason="test", acting_user=club.coordinator):
        ApprovedResult.objects.filter(municipality=private).update(visibility=Visibility.OWN)
        comparisons.rerank(club.campaign, [i.pk for i in club.indicators])
    club_only = campaign_for(club.area, club.indicators, year=2024)
    for comune in club[:4]:
        approve(club_only, comune, club.coordinator, certificati=5555, certificati_online=0, sportello_fte=1)
    embargoed = campaign_for(club.area, club.indicators, year=2023)
    for comune in club[:4]:
        approve(embargoed, comune, club.coordinator, certificati=6666, certificati_online=0, sportello_fte=1)
    opendata.publish_open_data(club.campaign, club.coordinator)
    opendata.publish_open_data(
        embargoed, club.coordinator, embargo_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    return {"campaign": club.campaign, "club_only": club_only, "embargoed": embargoed, "private": private}
