"""The example catalogue: a data file, complete, consistent, idempotent and versioned."""

import dataclasses
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from benchmarking.catalogue.seed import (
    CATALOGUE_FILE,
    CatalogueError,
    load_catalogue,
    read_catalogue,
)
from benchmarking.formula import parse
from benchmarking.models import DataElement, Indicator, IndicatorVersion
from qclub.models import Service, ThematicArea

pytestmark = pytest.mark.django_db

# As documented in docs/architecture.md (Benchmarking, Catalogue).
SHIPPED_AREAS, SHIPPED_ELEMENTS, SHIPPED_INDICATORS = 6, 51, 43


def with_indicator(catalogue, code, **changes):
    """`catalogue` with the indicator `code` changed."""
    indicators = tuple(
        dataclasses.replace(spec, **changes) if spec.code == code else spec for spec in catalogue.indicators
    )
    return dataclasses.replace(catalogue, indicators=indicators)


def test_the_shipped_file_loads_the_documented_catalogue_all_examples():
    result = load_catalogue()
    assert ThematicArea.objects.count() == SHIPPED_AREAS
    assert DataElement.objects.count() == SHIPPED_ELEMENTS
    assert Indicator.objects.count() == SHIPPED_INDICATORS
    assert result.indicators_created == result.versions_created == SHIPPED_INDICATORS
    assert result.elements_created == SHIPPED_ELEMENTS
    assert not Indicator.objects.filter(is_example=False).exists()
    assert not DataElement.objects.filter(is_example=False).exists()
    codes = set(DataElement.objects.values_list("code", flat=True))
    for version in IndicatorVersion.objects.all():
        assert parse(version.formula).codes <= codes, version.indicator.code
    assert set(Indicator.objects.values_list("area__code", flat=True)) == set(
        ThematicArea.objects.values_list("code", flat=True)
    )
    element = DataElement.objects.get(code="certificati_online")
    assert element.part_of.code == "certificati_rilasciati" and element.service.code == "anagrafe"
    assert str(DataElement.objects.get(code="sportello_fte").plausible_min) == "0.5000"
    band = IndicatorVersion.objects.get(indicator__code="tasso_occupazione_posti")
    assert (band.better, band.band_low, band.band_high) == ("band", 90, 100)


def test_the_shipped_file_is_read_by_default():
    assert read_catalogue() == read_catalogue(CATALOGUE_FILE)
    assert CATALOGUE_FILE.name == "catalogue.yaml" and CATALOGUE_FILE.parent.name == "data"


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
    changed = with_indicator(
        read_catalogue(), "certificati_per_fte",
        formula="certificati_rilasciati / sportello_fte / 1000", unit="migliaia/FTE",
    )
    result = load_catalogue(changed)
    versions = list(IndicatorVersion.objects.filter(indicator__code="certificati_per_fte").order_by("number"))
    assert result.versions_created == 1
    assert [(v.number, v.formula) for v in versions] == [
        (1, "certificati_rilasciati / sportello_fte"),
        (2, "certificati_rilasciati / sportello_fte / 1000"),
    ]
    assert Indicator.objects.get(code="certificati_per_fte").current.unit == "migliaia/FTE"


def test_changing_only_the_wording_makes_no_new_version():
    load_catalogue()
    reworded = with_indicator(read_catalogue(), "tasso_assenza", definition="Nuova definizione")
    assert load_catalogue(reworded).versions_created == 0
    version = IndicatorVersion.objects.get(indicator__code="tasso_assenza")
    assert (version.number, version.definition) == (1, "Nuova definizione")


@pytest.mark.parametrize(
    ("formula", "message"),
    [("certificati_rilasciati / dato_che_non_esiste", "dato_che_non_esiste"), ("__import__('os')", "formula")],
)
def test_a_bad_catalogue_is_refused_before_writing(formula, message):
    broken = with_indicator(read_catalogue(), "certificati_per_fte", formula=formula)
    with pytest.raises(CatalogueError, match=f"indicator certificati_per_fte: .*{message}"):
        load_catalogue(broken)
    assert not DataElement.objects.exists()


# --- A coordinator's file ----------------------------------------------------------------

SMALL = """\
areas:
  - code: biblioteche
    name: Biblioteche
    services:
      - {code: biblioteche, name: Biblioteche di pubblica lettura}
elements:
  - code: prestiti
    name: Prestiti nell'anno
    area: biblioteche
    service: biblioteche
    unit: prestiti
    kind: count
    group: Uso
    plausible_min: 0
    plausible_max: 10000000
    measurement: Prestiti registrati dal gestionale.
  - code: prestiti_interbibliotecari
    name: Prestiti interbibliotecari
    area: biblioteche
    unit: prestiti
    kind: count
    group: Uso
    part_of: prestiti
    measurement: Prestiti ricevuti da o inviati ad altre biblioteche.
indicators:
  - code: quota_interbibliotecari
    name: Quota di prestiti interbibliotecari
    area: biblioteche
    dimension: quality
    formula: prestiti_interbibliotecari / prestiti * 100
    unit: "%"
    decimals: 1
    better: band
    band_low: 2.5
    band_high: 10
"""


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "catalogo.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_prints_counts():
    out = io.StringIO()
    call_command("load_catalogue", stdout=out)
    assert f"Indicatori: {SHIPPED_INDICATORS} nuovi" in out.getvalue()


def test_the_command_loads_another_file(tmp_path):
    out = io.StringIO()
    call_command("load_catalogue", file=str(write(tmp_path, SMALL)), stdout=out)
    assert "Dati elementari: 2 nuovi, 0 aggiornati. Indicatori: 1 nuovi" in out.getvalue()
    version = IndicatorVersion.objects.get(indicator__code="quota_interbibliotecari")
    assert (version.number, version.band_low, version.band_high) == (1, 2.5, 10)
    assert Service.objects.get(code="biblioteche").area.code == "biblioteche"
    assert DataElement.objects.get(code="prestiti_interbibliotecari").part_of.code == "prestiti"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    unit: prestiti\n    kind: count\n    group: Uso\n    part_of", "    kind: count\n    group: Uso\n    part_of"),
         "element prestiti_interbibliotecari: missing key 'unit'"),
        (("plausible_max: 10000000", "plausible_max: dieci milioni"),
         "element prestiti: plausible_max must be a number, not 'dieci milioni'"),
        (("band_low: 2.5", "band_low: 2,5"), "indicator quota_interbibliotecari: band_low must be a number"),
        (("decimals: 1", "decimals: uno"), "indicator quota_interbibliotecari: decimals must be a whole number"),
        (("unit: \"%\"", "unit: 100"), "indicator quota_interbibliotecari: unit must be a text"),
        (("    group: Uso\n    plausible_min", "    grup: Uso\n    plausible_min"),
         "element prestiti: unknown key 'grup'"),
        (("  - code: prestiti_interbibliotecari", "  - code: prestiti"), "element prestiti: duplicate code"),
        (("    area: biblioteche\n    dimension", "    area: musei\n    dimension"),
         "indicator quota_interbibliotecari: unknown area musei"),
        (("    part_of: prestiti\n", "    part_of: prestiti_digitali\n"),
         "element prestiti_interbibliotecari: part_of prestiti_digitali must be listed before it"),
        (("band_high: 10", "band_high: 1"),
         "indicator quota_interbibliotecari: band_low must be less than band_high"),
        (("    band_low: 2.5\n", ""), "indicator quota_interbibliotecari: a band needs both bounds"),
        (("prestiti_interbibliotecari / prestiti * 100", "prestiti_digitali / prestiti"),
         "indicator quota_interbibliotecari: unknown data elements prestiti_digitali"),
        (("prestiti_interbibliotecari / prestiti * 100", "prestiti / (prestiti"),
         "indicator quota_interbibliotecari: Formula non valida"),
        (("elements:\n", "elementi:\n"), "unknown section 'elementi'"),
        (("  - code: biblioteche\n    name: Biblioteche\n", "  - code: biblioteche\n    name: [Biblioteche\n"),
         "is not valid YAML"),
    ],
)
def test_the_command_refuses_a_bad_file_naming_the_entry_and_writes_nothing(tmp_path, edit, message):
    old, new = edit
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new, 1))
    with pytest.raises(CommandError, match="nothing loaded") as refused:
        call_command("load_catalogue", file=str(path), stdout=io.StringIO())
    assert message in str(refused.value)
    assert refused.value.returncode == 1
    assert not ThematicArea.objects.exists() and not DataElement.objects.exists()


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read .*non_esiste.yaml"):
        call_command("load_catalogue", file=str(tmp_path / "non_esiste.yaml"))


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
