"""A small registry-office catalogue and a 2025 campaign, shared by the suites."""

from decimal import Decimal

import pytest

from benchmarking.models import DataElement
from benchmarking.tests.factories import DataElementFactory, campaign_for, indicator_with
from qclub.models import Role
from tests.factories import AreaCoordinatorFactory, ThematicAreaFactory, officer_of


@pytest.fixture
def area(db):
    return ThematicAreaFactory(code="servizi-demografici", name="Servizi demografici")


@pytest.fixture
def elements(area):
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


@pytest.fixture
def indicators(area, elements):
    return [
        indicator_with(area, "certificati / sportello_fte", code="certificati_per_fte"),
        indicator_with(area, "certificati_online / certificati * 100", code="quota_online", unit="%"),
    ]


@pytest.fixture
def campaign(area, indicators):
    return campaign_for(area, indicators, year=2025)


@pytest.fixture
def manager_a(comune_a):  # noqa: F811
    return officer_of(comune_a, role=Role.MANAGER)


@pytest.fixture
def coordinator(area):
    return AreaCoordinatorFactory(area=area).user
