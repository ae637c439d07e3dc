"""The club's example catalogue, loaded from a data file.

`data/catalogue.yaml` holds the thematic areas with their services, the data elements
and the indicators of every area named in the seeds; coordinators can read it, and an
edited copy can be loaded with `manage.py load_catalogue --file PATH`. This module
reads a file into specs (`read_catalogue`), refuses a malformed or inconsistent one
with every problem named by the entry's code (`CatalogueError`), and writes the specs
(`load_catalogue`).

Everything loaded is marked `is_example`: coordinators refine it from the catalogue
pages. Loading is idempotent. An indicator gets version 1 the first time; a later load
makes a new version only under the catalogue's one rule (`needs_new_version`: a
change of formula, unit, decimals, direction or target band), so results computed
earlier keep the version they were computed with.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import yaml
from django.db import transaction

from benchmarking.formula import FormulaError, parse
from benchmarking.models import (
    DataElement,
    Dimension,
    Indicator,
    IndicatorVersion,
    code_validator,
    needs_new_version,
)
from qclub.models import QualityDimension, Service, ThematicArea

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.yaml"

Kind = DataElement.Kind
Better = IndicatorVersion.Better


class CatalogueError(ValueError):
    """The catalogue file is malformed or inconsistent; nothing was written."""


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str


@dataclass(frozen=True)
class AreaSpec:
    code: str
    name: str
    services: tuple[ServiceSpec, ...] = ()


@dataclass(frozen=True)
class ElementSpec:
    area: str
    code: str
    name: str
    unit: str
    kind: str
    group: str
    measurement: str
    plausible_min: Decimal | None = None
    plausible_max: Decimal | None = None
    part_of: str | None = None
    service: str | None = None
    shared: bool = False


@dataclass(frozen=True)
class IndicatorSpec:
    area: str
    code: str
    name: str
    dimension: str
    formula: str
    unit: str
    better: str
    decimals: int = 1
    band_low: Decimal | None = None
    band_high: Decimal | None = None
    definition: str = ""
    notes: str = ""
    service: str | None = None
    quality_dimension: str = ""


@dataclass(frozen=True)
class Catalogue:
    areas: tuple[AreaSpec, ...]
    elements: tuple[ElementSpec, ...]
    indicators: tuple[IndicatorSpec, ...]


@dataclass
class LoadResult:
    elements_created: int = 0
    elements_updated: int = 0
    indicators_created: int = 0
    indicators_updated: int = 0
    versions_created: int = 0
    areas_created: list[str] = field(default_factory=list)


# --- Reading the file -----------------------------------------------------------------


def read_catalogue(path: Path | str = CATALOGUE_FILE) -> Catalogue:
    """The catalogue in the YAML file at `path`, parsed and checked. Raises
    CatalogueError naming every problem found (with the entry's code)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{path} is not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path} is not valid YAML: {error}") from None
    catalogue = parse_catalogue(document)
    check(catalogue)
    return catalogue


def parse_catalogue(document: Any) -> Catalogue:
    """The specs of a loaded YAML document; raises CatalogueError on missing keys,
    unknown keys, wrong types and bad decimals."""
    sections = ("areas", "elements", "indicators")
    if not isinstance(document, dict):
        raise CatalogueError(f"the catalogue must be a mapping with {', '.join(sections)}")
    problems = [f"unknown section {key!r}" for key in document if key not in sections]
    entries: dict[str, list] = {}
    for name in sections:
        value = document.get(name)
        if not isinstance(value, list):
            problems.append(f"{name}: expected a list of entries")
            value = []
        entries[name] = value
    areas = [_spec(AreaSpec, "area", n, entry, problems) for n, entry in enumerate(entries["areas"], 1)]
    elements = [_spec(ElementSpec, "element", n, entry, problems)
                for n, entry in enumerate(entries["elements"], 1)]
    indicators = [_spec(IndicatorSpec, "indicator", n, entry, problems)
                  for n, entry in enumerate(entries["indicators"], 1)]
    if problems:
        raise CatalogueError(_report(problems))
    return Catalogue(tuple(areas), tuple(elements), tuple(indicators))


def _spec(cls: type, what: str, number: int, entry: Any, problems: list[str]):
    """One entry as a `cls` spec; what is wrong with it goes to `problems`."""
    code = entry.get("code") if isinstance(entry, dict) else None
    label = f"{what} {code}" if isinstance(code, str) else f"{what} #{number}"
    if not isinstance(entry, dict):
        problems.append(f"{label}: expected a mapping of keys to values")
        return None
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    before = len(problems)
    for key in entry:
        if key not in fields:
            problems.append(f"{label}: unknown key {key!r}")
    for name, spec_field in fields.items():
        if name not in entry:
            if spec_field.default is dataclasses.MISSING:
                problems.append(f"{label}: missing key {name!r}")
            continue
        try:
            values[name] = _value(hints[name], entry[name], label, name)
        except CatalogueError as error:
            problems.append(str(error))
    return cls(**values) if len(problems) == before else None


def _value(hint: Any, value: Any, label: str, name: str) -> Any:
    """`value` converted to the spec's type `hint`, or CatalogueError."""
    optional = get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)
    if optional:
        if value is None:
            return None
        hint = next(arg for arg in get_args(hint) if arg is not type(None))
    if hint is str:
        if not isinstance(value, str):
            raise CatalogueError(f"{label}: {name} must be a text, not {value!r} (quote it)")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise CatalogueError(f"{label}: {name} must be a whole number, not {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise CatalogueError(f"{label}: {name} must be true or false, not {value!r}")
        return value
    if hint is Decimal:
        return _decimal(value, label, name)
    if hint == tuple[ServiceSpec, ...]:
        if not isinstance(value, list):
            raise CatalogueError(f"{label}: {name} must be a list of entries with code and name")
        problems: list[str] = []
        specs = [_spec(ServiceSpec, f"{label}, service", n, entry, problems)
                 for n, entry in enumerate(value, 1)]
        if problems:
            raise CatalogueError("; ".join(problems))
        return tuple(specs)
    raise TypeError(f"no conversion for {hint!r}")  # a bug in the specs, not in the file


def _decimal(value: Any, label: str, name: str) -> Decimal:
    # YAML reads 0.5 as a float: going through its shortest text keeps what was typed.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CatalogueError(f"{label}: {name} must be a number, not {value!r}")
    try:
        number = Decimal(str(value).replace("_", "") if isinstance(value, str) else repr(value))
    except InvalidOperation:
        raise CatalogueError(f"{label}: {name} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise CatalogueError(f"{label}: {name} must be a finite number, not {value!r}")
    return number


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s) in the catalogue:\n  - " + "\n  - ".join(problems)


# --- Checking the catalogue -----------------------------------------------------------


def check(catalogue: Catalogue) -> None:
    """Refuse an inconsistent catalogue before anything is written."""
    problems: list[str] = []
    area_codes: set[str] = set()
    service_codes: set[str] = set()
    for area in catalogue.areas:
        if area.code in area_codes:
            problems.append(f"area {area.code}: duplicate code")
        area_codes.add(area.code)
        for service in area.services:
            if service.code in service_codes:
                problems.append(f"area {area.code}: duplicate service {service.code}")
            service_codes.add(service.code)

    def check_common(label: str, spec: ElementSpec | IndicatorSpec) -> None:
        if not code_validator.regex.match(spec.code):
            problems.append(f"{label}: the code must be lowercase letters, digits and _")
        if spec.area not in area_codes:
            problems.append(f"{label}: unknown area {spec.area}")
        if spec.service is not None and spec.service not in service_codes:
            problems.append(f"{label}: unknown service {spec.service}")

    seen: set[str] = set()
    for spec in catalogue.elements:
        label = f"element {spec.code}"
        if spec.code in seen:
            problems.append(f"{label}: duplicate code")
        check_common(label, spec)
        if spec.part_of and spec.part_of not in seen:
            problems.append(f"{label}: part_of {spec.part_of} must be listed before it")
        if spec.kind not in Kind.values:
            problems.append(f"{label}: unknown kind {spec.kind} ({', '.join(Kind.values)})")
        low, high = spec.plausible_min, spec.plausible_max
        if low is not None and high is not None and low > high:
            problems.append(f"{label}: plausible_min is greater than plausible_max")
        seen.add(spec.code)
    indicator_codes: set[str] = set()
    for spec in catalogue.indicators:
        label = f"indicator {spec.code}"
        if spec.code in indicator_codes:
            problems.append(f"{label}: duplicate code")
        indicator_codes.add(spec.code)
        check_common(label, spec)
        problems.extend(f"{label}: {problem}" for problem in _indicator_problems(spec, seen))
    if problems:
        raise CatalogueError(_report(problems))


def _indicator_problems(spec: IndicatorSpec, elements: set[str]) -> list[str]:
    problems = []
    if spec.dimension not in Dimension.values:
        problems.append(f"unknown dimension {spec.dimension} ({', '.join(Dimension.values)})")
    if spec.quality_dimension and spec.quality_dimension not in QualityDimension.values:
        problems.append(f"unknown quality_dimension {spec.quality_dimension} "
                        f"({', '.join(QualityDimension.values)})")
    if spec.better not in Better.values:
        problems.append(f"unknown better {spec.better} ({', '.join(Better.values)})")
    if not 0 <= spec.decimals <= 6:
        problems.append("decimals must be between 0 and 6")
    if spec.better == Better.BAND:
        if spec.band_low is None or spec.band_high is None:
            problems.append("a band needs both bounds")
        elif spec.band_low >= spec.band_high:
            problems.append("band_low must be less than band_high")
    elif spec.band_low is not None or spec.band_high is not None:
        problems.append("band_low and band_high are only for better: band")
    try:
        formula = parse(spec.formula)
    except FormulaError as error:
        problems.append(str(error))
        return problems
    unknown = sorted(formula.codes - elements)
    if unknown:
        problems.append(f"unknown data elements {', '.join(unknown)}")
    return problems


# --- Writing --------------------------------------------------------------------------


def _areas(specs: tuple[AreaSpec, ...]) -> tuple[dict[str, ThematicArea], dict[str, Service], list[str]]:
    areas: dict[str, ThematicArea] = {}
    services: dict[str, Service] = {}
    created_areas = []
    for position, spec in enumerate(specs, start=1):
        area, created = ThematicArea.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "position": position}
        )
        if created:
            created_areas.append(spec.code)
        areas[spec.code] = area
        for service in spec.services:
            services[service.code], _created = Service.objects.get_or_create(
                code=service.code, defaults={"area": area, "name": service.name}
            )
    return areas, services, created_areas


def _version_fields(spec: IndicatorSpec) -> dict:
    return {name: getattr(spec, name) for name in IndicatorVersion.DEFINING_FIELDS}


@transaction.atomic
def load_catalogue(catalogue: Catalogue | None = None) -> LoadResult:
    """Create or update the catalogue (idempotent), by default the shipped file's.
    Raises CatalogueError on a malformed or inconsistent one, before writing anything."""
    if catalogue is None:
        catalogue = read_catalogue()
    else:
        check(catalogue)
    result = LoadResult()
    areas, services, result.areas_created = _areas(catalogue.areas)
    saved: dict[str, DataElement] = {}
    for position, spec in enumerate(catalogue.elements, start=1):
        saved[spec.code], created = DataElement.objects.update_or_create(
            code=spec.code,
            defaults={
                "area": areas[spec.area], "service": services.get(spec.service),
                "name": spec.name, "unit": spec.unit, "kind": spec.kind, "group": spec.group,
                "position": position, "measurement": spec.measurement,
                "plausible_min": spec.plausible_min, "plausible_max": spec.plausible_max,
                "part_of": saved[spec.part_of] if spec.part_of else None, "is_example": True,
                "shared": spec.shared,
            },
        )
        if created:
            result.elements_created += 1
        else:
            result.elements_updated += 1
    newest: dict[int, IndicatorVersion] = {}
    for version in IndicatorVersion.objects.order_by("number"):
        newest[version.indicator_id] = version
    for position, spec in enumerate(catalogue.indicators, start=1):
        indicator, created = Indicator.objects.update_or_create(
            code=spec.code,
            defaults={
                "area": areas[spec.area], "service": services.get(spec.service), "name": spec.name,
                "dimension": spec.dimension, "quality_dimension": spec.quality_dimension,
                "position": position, "is_example": True,
            },
        )
        if created:
            result.indicators_created += 1
        else:
            result.indicators_updated += 1
        current = newest.get(indicator.pk)
        if current is not None and not needs_new_version(current, _version_fields(spec)):
            # Wording only: the meaning of computed results is unchanged.
            if (current.definition, current.notes) != (spec.definition, spec.notes):
                IndicatorVersion.objects.filter(pk=current.pk).update(
                    definition=spec.definition, notes=spec.notes
                )
            continue
        IndicatorVersion.objects.create(
            indicator=indicator, number=(current.number + 1) if current else 1,
            definition=spec.definition, notes=spec.notes, **_version_fields(spec),
        )
        result.versions_created += 1
    return result
