"""The example catalogue: complete, consistent, idempotent and versioned."""

import dataclasses
import io

import pytest
from django.core.management import call_command

from benchmarking.catalogue import seed as catalogue
from benchmarking.catalogue.seed import CatalogueError, load_catalogue
from benchmarking.formula import parse
from benchmarking.models import DataElement, Indicator, IndicatorVersion
from qclub.models import ThematicArea

pytestmark = pytest.mark.django_db


def test_it_loads_every_area_with_30_to_50_indicators_all_examples():
    result = load_catalogue()
    assert 30 <= Indicator.objects.count() <= 50
    assert result.indicators_created == Indicator.objects.count()
    assert result.versions_created == Indicator.objects.count()
    assert not Indicator.objects.filter(is_example=False).exists()
    assert not DataElement.objects.filter(is_example=False).exists()
    codes = set(DataElement.objects.values_list("code", flat=True))
    for version in IndicatorVersion.objects.all():
        assert parse(version.formula).codes <= codes, version.indicator.code
    areas = set(Indicator.objects.values_list("area__code", flat=True))
    assert areas == {area.code for area in catalogue.AREAS}
    assert DataElement.objects.get(code="certificati_online").part_of.code == "certificati_rilasciati"


def test_it_uses_existing_areas_and_creates_missing_ones():
    existing = ThematicArea.objects.create(code="biblioteche", name="Le biblioteche del club")
    result = load_catalogue()
    assert "biblioteche" not in result.areas_created
    assert Indicator.objects.get(code="prestiti_per_abitante").area == existing
    assert ThematicArea.objects.get(code="asili-nido").name == "Servizio di nido d'infanzia"


def test_loading_twice_changes_nothing():
    load_catalogue()
    before = list(IndicatorVersion.objects.order_by("pk").values_list("pk", "number", "formula"))
    result = load_catalogue()
    assert (result.elements_created, result.indicators_created, result.versions_created) == (0, 0, 0)
    assert list(IndicatorVersion.objects.order_by("pk").values_list("pk", "number", "formula")) == before


def test_changing_a_formula_makes_version_2_and_keeps_version_1():
    load_catalogue()
    changed = [
        dataclasses.replace(spec, formula="certificati_rilasciati / sportello_fte / 1000", unit="migliaia/FTE")
        if spec.code == "certificati_per_fte" else spec
        for spec in catalogue.INDICATORS
    ]
    result = load_catalogue(indicators=changed)
    versions = list(IndicatorVersion.objects.filter(indicator__code="certificati_per_fte").order_by("number"))
    assert result.versions_created == 1
    assert [(v.number, v.formula) for v in versions] == [
        (1, "certificati_rilasciati / sportello_fte"),
        (2, "certificati_rilasciati / sportello_fte / 1000"),
    ]
    assert Indicator.objects.get(code="certificati_per_fte").current.unit == "migliaia/FTE"


def test_changing_only_the_wording_makes_no_new_version():
    load_catalogue()
    reworded = [
        dataclasses.replace(spec, definition="Nuova definizione") if spec.code == "tasso_assenza" else spec
        for spec in catalogue.INDICATORS
    ]
    assert load_catalogue(indicators=reworded).versions_created == 0
    version = IndicatorVersion.objects.get(indicator__code="tasso_assenza")
    assert (version.number, version.definition) == (1, "Nuova definizione")


@pytest.mark.parametrize(
    ("formula", "message"),
    [("certificati_rilasciati / dato_che_non_esiste", "dato_che_non_esiste"), ("__import__('os')", "formula")],
)
def test_a_bad_catalogue_is_refused_before_writing(formula, message):
    broken = [dataclasses.replace(catalogue.INDICATORS[0], formula=formula), *catalogue.INDICATORS[1:]]
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(indicators=broken)
    assert not DataElement.objects.exists()


def test_the_command_prints_counts():
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    count = len(catalogue.INDICATORS)
    assert f"Indicatori: {count} nuovi" in out.getvalue()


def test_the_admin_shows_the_catalogue_but_no_tenant_table(admin_client):
    from django.contrib import admin

    from benchmarking.models import Campaign, DataValue, Submission

    load_catalogue()
    indicator = Indicator.objects.get(code="tasso_assenza")
    for url in (
        f"/admin/benchmarking/dataelement/?area__id__exact={indicator.area_id}",
        "/admin/benchmarking/indicator/",
        f"/admin/benchmarking/indicator/{indicator.pk}/change/",
        "/admin/benchmarking/campaign/add/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert "giorni_assenza / giorni_lavorativi * 100" in admin_client.get(
        f"/admin/benchmarking/indicator/{indicator.pk}/change/"
    ).content.decode()
    assert Campaign in admin.site._registry
    assert Submission not in admin.site._registry and DataValue not in admin.site._registry
