"""One rule makes a new indicator version, whichever way the indicator is changed:
the catalogue page, the service the API and pages call, or the catalogue loader."""

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarking.catalogue import services
from benchmarking.catalogue.forms import indicator_fingerprint
from benchmarking.catalogue.seed import (
    AreaSpec,
    Catalogue,
    ElementSpec,
    IndicatorSpec,
    ServiceSpec,
    load_catalogue,
)
from benchmarking.models import Indicator, IndicatorVersion
from qclub.models import ThematicArea
from tests.factories import AreaCoordinatorFactory

pytestmark = pytest.mark.django_db

AREA = "servizi-demografici"


def catalogue(start: str = "higher", **changes) -> Catalogue:
    """A one-indicator catalogue whose indicator's direction is `start` (a band
    from 40 to 90 for "band"), with `changes` typed over it."""
    indicator = IndicatorSpec(
        AREA, "quota_online", "Quota di certificati online", "efficacy",
        "certificati_online / certificati * 100", "%", start, 1,
        band_low=Decimal(40) if start == "band" else None,
        band_high=Decimal(90) if start == "band" else None,
        definition="Certificati online sul totale.", service="anagrafe",
    )
    return Catalogue(
        areas=(AreaSpec(AREA, "Servizi demografici", (ServiceSpec("anagrafe", "Anagrafe"),)),),
        elements=(
            ElementSpec(AREA, "certificati", "Certificati", "n.", "count", "Sportello", ""),
            ElementSpec(AREA, "certificati_online", "Certificati online", "n.", "count", "Sportello", "",
                        part_of="certificati"),
        ),
        indicators=(dataclasses.replace(indicator, **changes),),
    )


def through_the_page(client, changes: dict) -> None:
    indicator = Indicator.objects.get(code="quota_online")
    version = indicator.current
    coordinator = AreaCoordinatorFactory(area=ThematicArea.objects.get(code=AREA)).user
    data = {
        "name": indicator.name, "dimension": indicator.dimension, "position": indicator.position,
        "is_active": "on", "loaded": indicator_fingerprint(indicator, version),
        **{name: getattr(version, name) for name in (*IndicatorVersion.DEFINING_FIELDS, "definition", "notes")},
        **changes,
    }
    client.force_login(coordinator)
    response = client.post(
        reverse("benchmarking:indicator_edit", args=[indicator.code]),
        {key: "" if value is None else value for key, value in data.items()},
    )
    assert response.status_code == 302, response.context["form"].errors


def through_the_service(client, changes: dict) -> None:
    indicator = Indicator.objects.get(code="quota_online")
    version = indicator.current
    coordinator = AreaCoordinatorFactory(area=indicator.area).user
    data = {name: getattr(version, name) for name in (*IndicatorVersion.DEFINING_FIELDS, "definition", "notes")}
    services.indicator_update(
        indicator=indicator, version=version, version_data={**data, **changes}, user=coordinator
    )


def through_the_loader(client, changes: dict, start: str) -> None:
    load_catalogue(catalogue(start, **changes))


# One change per defining field, from a version where the change is meaningful.
DEFINING_CHANGES = {
    "formula": ("higher", {"formula": "certificati_online / certificati * 1000"}),
    "unit": ("higher", {"unit": "‰"}),
    "decimals": ("higher", {"decimals": 2}),
    "better": ("higher", {"better": "lower"}),
    "band_low": ("band", {"band_low": Decimal(50)}),
    "band_high": ("band", {"band_high": Decimal(95)}),
}
PATHS = ["page", "service", "loader"]


def change(client, path: str, start: str, changes: dict) -> None:
    if path == "page":
        through_the_page(client, changes)
    elif path == "service":
        through_the_service(client, changes)
    else:
        through_the_loader(client, changes, start)


def test_every_defining_field_is_tried():
    assert set(DEFINING_CHANGES) == set(IndicatorVersion.DEFINING_FIELDS)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("name", list(DEFINING_CHANGES))
def test_changing_a_defining_field_makes_version_n_plus_1(client, path, name):
    start, changes = DEFINING_CHANGES[name]
    load_catalogue(catalogue(start))
    change(client, path, start, changes)
    versions = list(IndicatorVersion.objects.filter(indicator__code="quota_online").order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert getattr(versions[1], name) == changes[name]
    assert getattr(versions[0], name) != changes[name]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("start", ["higher", "band"])
def test_changing_only_the_texts_keeps_the_version(client, path, start):
    load_catalogue(catalogue(start))
    change(client, path, start, {"definition": "Certificati scaricati online sul totale.", "notes": "Nota."})
    version = IndicatorVersion.objects.get(indicator__code="quota_online")
    assert (version.number, version.definition, version.notes) == (
        1, "Certificati scaricati online sul totale.", "Nota."
    )


@pytest.mark.parametrize("path", PATHS)
def test_the_same_band_written_differently_keeps_the_version(client, path):
    load_catalogue(catalogue("band"))
    change(client, path, "band", {"band_low": Decimal("40.00"), "band_high": Decimal("9E+1")})
    assert IndicatorVersion.objects.filter(indicator__code="quota_online").count() == 1
