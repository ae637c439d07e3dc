"""Service charters compared across comuni (members area, export).

For one service: which standards each member comune promises (the version
in force, or the newest approved one when none is in force yet), grouped by
quality dimension and by the figure a standard is linked to (standards
linked to the same figure are directly comparable; unlinked ones are listed
by title); how ambitious each comparable target is against the peers'
targets and against the peers' actual figures; how often each standard was
met in the published monitoring of the last years.

Every read runs inside `cross_tenant(scope="club", ...)` (the caller's
`club_read`): the database then shows other comuni's approved, published and
superseded versions and their published monitoring only. The scope also
shows the viewer's own rows, drafts and unpublished reports included, so
the filters below name the statuses and the publication again.

Bounded: one page of comuni (and their standards and results) leaves the
database; the peers' targets arrive as quartiles computed in SQL, one row
per linked figure on the page; the peers' actual figures come from the
figures' modules, at most one value per comune (`qclub.modules`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.aggregates import Aggregate
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub import modules
from qclub.models import Municipality, PeerGroup, QualityDimension, Service
from qclub.numbers import format_number
from qclub.selectors import peer_group_get, peer_groups  # noqa: F401 - the comparisons' names
from qclub.tenancy import SCOPE_CLUB, cross_tenant
from servicecharters import wording
from servicecharters.models import CharterStandard, CharterVersion, StandardResult, StandardTerms
from servicecharters.monitoring import rules

Status = CharterVersion.Status
COMPARED = (Status.APPROVED, Status.PUBLISHED)
YEARS_SPAN = 3  # the years whose met / judged the page shows, ending with the year chosen
YEARS_OFFERED = 10
# Under this many values a median and quartiles say nothing: the place is not given.
MIN_PEERS = 3


@contextmanager
def club_read(reason: str, user) -> Iterator[None]:
    """The club scope, audited: other comuni's approved and published charters."""
    with cross_tenant(scope=SCOPE_CLUB, reason=reason[:200], acting_user=user):
        yield


def years_offered(today: datetime.date | None = None) -> list[int]:
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, this_year - YEARS_OFFERED, -1))


def default_year(today: datetime.date | None = None) -> int:
    """Last year: the latest a monitoring report can be complete."""
    return (today or timezone.localdate()).year - 1


# --- Which charters are compared ----------------------------------------------------------


def _member_ids(group: PeerGroup | None) -> QuerySet:
    comuni = Municipality.objects.filter(status=Municipality.Status.MEMBER)
    if group is not None:
        comuni = comuni.filter(
            pk__in=PeerGroup.members.through.objects.filter(peergroup_id=group.pk).values("municipality_id")
        )
    return comuni.values("pk")


def compared_versions(service: Service, group: PeerGroup | None = None) -> QuerySet[CharterVersion]:
    """One version per member comune's charter for `service`: the one in force,
    else the newest approved. Never a draft, a version in approval or a
    superseded one."""
    chosen = (
        CharterVersion.objects.filter(
            charter__service=service, status__in=COMPARED, municipality_id__in=_member_ids(group)
        )
        .order_by("charter_id", Case(When(status=Status.PUBLISHED, then=Value(0)), default=Value(1)), "-number")
        .distinct("charter_id")
        .values("pk")
    )
    return CharterVersion.objects.filter(pk__in=chosen)


def services_compared() -> list[tuple[Service, int]]:
    """The services with approved or published charters in some member comune,
    with how many comuni have one (one aggregate query)."""
    counts = dict(
        CharterVersion.objects.filter(
            status__in=COMPARED, municipality__status=Municipality.Status.MEMBER
        )
        .values("charter__service_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values_list("charter__service_id", "n")
    )
    services = Service.objects.filter(pk__in=list(counts)).select_related("area").order_by("area__name", "name")
    return [(service, counts[service.pk]) for service in services]


def service_get(code: str) -> Service:
    found = Service.objects.filter(code=(code or "")[:50]).first()
    if found is None:
        raise Http404(_("Servizio non trovato."))
    return found



# --- Ambition ----------------------------------------------------------------------------------


def comparable_target(terms: StandardTerms) -> Decimal | None:
    """The number of a standard that its linked figure is compared with, as
    `rules.is_met` compares it: the share of cases for a specific standard
    (100 % when not stated), the target itself for a general one; none for a
    yes/no commitment."""
    if terms.comparator == StandardTerms.Comparator.YES_NO:
        return None
    if terms.kind == StandardTerms.Kind.SPECIFIC:
        return terms.compliance_pct if terms.compliance_pct is not None else rules.DEFAULT_COMPLIANCE
    return terms.target_value


_TARGET_SQL = Case(
    When(comparator=StandardTerms.Comparator.YES_NO, then=Value(None)),
    When(kind=StandardTerms.Kind.SPECIFIC, then=Coalesce(F("compliance_pct"), Value(rules.DEFAULT_COMPLIANCE))),
    default=F("target_value"),
    output_field=DecimalField(max_digits=12, decimal_places=4),
)


class _Percentile(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


@dataclass(frozen=True)
class Spread:
    """Median and quartiles of some comuni's values (linear interpolation,
    as PostgreSQL's `percentile_cont`)."""

    count: int = 0
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.count >= MIN_PEERS and self.median is not None

    @property
    def text(self) -> str:
        if not self.count or self.median is None:
            return _("nessun dato")
        return _("mediana %(median)s (quartili %(q1)s – %(q3)s; %(n)s comuni)") % {
            "median": number(self.median), "q1": number(self.q1), "q3": number(self.q3), "n": self.count,
        }


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(float(value), 4))).normalize()


def spread_of(values: Sequence[Decimal]) -> Spread:
    ordered = sorted(values)
    if not ordered:
        return Spread()

    def at(fraction: float) -> Decimal:
        position = (len(ordered) - 1) * fraction
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        weight = position - low
        return float(ordered[low]) + (float(ordered[high]) - float(ordered[low])) * weight

    return Spread(len(ordered), _decimal(at(0.25)), _decimal(at(0.5)), _decimal(at(0.75)))


class Place:
    """Where a target stands against a spread, in words (never colour only)."""

    TOP = "top"
    ABOVE = "above"
    MEDIAN = "median"
    BELOW = "below"
    BOTTOM = "bottom"
    UNKNOWN = ""

    @staticmethod
    def label(code: str) -> str:
        return {
            Place.TOP: _("tra i più ambiziosi (quartile migliore)"),
            Place.ABOVE: _("più ambizioso della mediana"),
            Place.MEDIAN: _("pari alla mediana"),
            Place.BELOW: _("meno ambizioso della mediana"),
            Place.BOTTOM: _("tra i meno ambiziosi (quartile peggiore)"),
        }.get(code, _("non confrontabile"))


def place_of(target: Decimal | None, spread: Spread, higher: bool | None) -> str:
    """Where `target` stands among the peers' values, in the direction of
    `rules.better_is_higher` (a lower "at most", a higher "at least" is more
    ambitious). No place for a yes/no, no target, or too few peers."""
    if target is None or higher is None or not spread.enough:
        return Place.UNKNOWN
    sign = 1 if higher else -1
    value, q1, median, q3 = (sign * x for x in (target, spread.q1, spread.median, spread.q3))
    best, worst = (q3, q1) if higher else (q1, q3)
    if value == median:
        return Place.MEDIAN
    if value >= best:
        return Place.TOP
    if value <= worst:
        return Place.BOTTOM
    return Place.ABOVE if value > median else Place.BELOW


def number(value: Decimal | None) -> str:
    """A figure the Italian way, at most one decimal (1.234,5); «—» for none."""
    return "—" if value is None else wording.figure(Decimal(value))


# --- The comparison -----------------------------------------------------------------------------


@dataclass
class StandardRow:
    municipality_id: int
    comune: str
    own: bool
    standard: CharterStandard
    target: Decimal | None
    higher: bool | None
    vs_targets: str = Place.UNKNOWN
    vs_actuals: str = Place.UNKNOWN
    met_by_year: dict[int, bool | None] = field(default_factory=dict)

    @property
    def promise(self) -> str:
        return wording.promise(self.standard)

    @property
    def met(self) -> int:
        return sum(1 for met in self.met_by_year.values() if met is True)

    @property
    def judged(self) -> int:
        return sum(1 for met in self.met_by_year.values() if met is not None)

    @property
    def missed_twice(self) -> bool:
        return any(rules.missed_two_years_running(self.met_by_year, year) for year in self.met_by_year)

    @property
    def vs_targets_label(self) -> str:
        return Place.label(self.vs_targets)

    @property
    def vs_actuals_label(self) -> str:
        return Place.label(self.vs_actuals)


@dataclass
class FigureGroup:
    """Standards of several comuni linked to the same figure: comparable."""

    ref: str
    label: str
    unit: str
    targets: Spread
    actuals: Spread
    rows: list[StandardRow] = field(default_factory=list)


@dataclass
class DimensionBlock:
    dimension: str
    label: str
    figures: list[FigureGroup] = field(default_factory=list)
    unlinked: list[StandardRow] = field(default_factory=list)


@dataclass(frozen=True)
class YearTally:
    year: int
    met: int
    judged: int

    @property
    def text(self) -> str:
        if not self.judged:
            return "—"
        return _("%(met)s su %(judged)s") % {"met": self.met, "judged": self.judged}


@dataclass
class ComuneRow:
    municipality_id: int
    name: str
    own: bool
    version: CharterVersion
    standards: int
    years: list[YearTally]

    @property
    def met(self) -> int:
        return sum(t.met for t in self.years)

    @property
    def judged(self) -> int:
        return sum(t.judged for t in self.years)

    @property
    def rate_text(self) -> str:
        if not self.judged:
            return _("nessun monitoraggio pubblicato")
        pct = Decimal(100 * self.met) / Decimal(self.judged)
        return _("%(pct)s %% (%(met)s su %(judged)s)") % {
            "pct": format_number(pct, 0), "met": self.met, "judged": self.judged,
        }


@dataclass
class Comparison:
    service: Service
    year: int
    years: list[int]
    group: PeerGroup | None
    comuni: list[ComuneRow]
    dimensions: list[DimensionBlock]
    total: int
    offset: int
    limit: int


def _target_spreads(compared: QuerySet, refs: Sequence[str]) -> dict[str, Spread]:
    if not refs:
        return {}
    rows = (
        CharterStandard.objects.filter(version_id__in=compared.values("pk"), figure_ref__in=list(refs))
        .annotate(compared_target=_TARGET_SQL)
        .filter(compared_target__isnull=False)
        .values("figure_ref")
        .annotate(
            n=Count("municipality_id", distinct=True, output_field=IntegerField()),
            q1=_Percentile("compared_target", 0.25), med=_Percentile("compared_target", 0.5),
            q3=_Percentile("compared_target", 0.75),
        )
    )
    return {
        r["figure_ref"]: Spread(r["n"], _decimal(r["q1"]), _decimal(r["med"]), _decimal(r["q3"])) for r in rows
    }


def _actual_spreads(refs: Sequence[str], year: int, group: PeerGroup | None) -> dict[str, Spread]:
    if not refs:
        return {}
    peers = list(_member_ids(group).values_list("pk", flat=True))
    spreads = {}
    for ref in refs:
        values = modules.figure_values(
            ref, years=[year], municipality_ids=peers, reason=f"charters comparison {ref} {year}"[:200],
        )
        spreads[ref] = spread_of([v.value for v in values if v.year == year and v.value is not None])
    return spreads


def compare(
    *, service: Service, year: int, group: PeerGroup | None = None, viewer: Municipality | None = None,
    offset: int = 0, limit: int = 20,
) -> Comparison:
    """One page of comuni compared on `service` (the viewer's own comune
    first). Call inside `club_read`."""
    years = list(range(year - YEARS_SPAN + 1, year + 1))
    own_id = getattr(viewer, "pk", None) or 0
    compared = compared_versions(service, group)
    total = compared.count()
    limit = max(1, min(limit, 500))
    offset = max(0, offset)
    page = list(
        compared.select_related("municipality")
        .order_by(Case(When(municipality_id=own_id, then=Value(0)), default=Value(1)), "municipality__name", "pk")
        [offset:offset + limit]
    )
    by_version = {v.pk: v for v in page}
    standards = list(
        CharterStandard.objects.filter(version_id__in=list(by_version)).order_by("position", "id")
    )
    results = StandardResult.objects.filter(
        municipality_id__in=[v.municipality_id for v in page],
        report__charter_id__in=[v.charter_id for v in page],
        report__published_at__isnull=False, year__in=years,
    ).values_list("municipality_id", "lineage", "year", "met")
    met_by_lineage: dict[tuple[int, object], dict[int, bool | None]] = {}
    tallies: dict[tuple[int, int], list[int]] = {}
    for municipality_id, lineage, result_year, met in results:
        met_by_lineage.setdefault((municipality_id, lineage), {})[result_year] = met
        tally = tallies.setdefault((municipality_id, result_year), [0, 0])
        if met is not None:
            tally[1] += 1
            tally[0] += 1 if met else 0

    refs = sorted({s.figure_ref for s in standards if s.figure_ref})
    target_spreads = _target_spreads(compared, refs)
    actual_spreads = _actual_spreads(refs, year, group)
    figures = {f.ref: f for f in modules.figures_for(None)} if refs else {}

    blocks = {value: DimensionBlock(value, str(label)) for value, label in QualityDimension.choices}
    groups: dict[tuple[str, str], FigureGroup] = {}
    for standard in standards:
        version = by_version[standard.version_id]
        higher = rules.better_is_higher(standard)
        target = comparable_target(standard)
        row = StandardRow(
            municipality_id=version.municipality_id, comune=version.municipality.name,
            own=version.municipality_id == own_id, standard=standard, target=target, higher=higher,
            met_by_year={y: met_by_lineage.get((version.municipality_id, standard.lineage), {}).get(y) for y in years},
        )
        block = blocks.setdefault(standard.dimension, DimensionBlock(standard.dimension, standard.dimension))
        if not standard.figure_ref:
            block.unlinked.append(row)
            continue
        ref = standard.figure_ref
        row.vs_targets = place_of(target, target_spreads.get(ref, Spread()), higher)
        row.vs_actuals = place_of(target, actual_spreads.get(ref, Spread()), higher)
        key = (standard.dimension, ref)
        if key not in groups:
            figure = figures.get(ref)
            groups[key] = FigureGroup(
                ref=ref, label=str(figure.label) if figure else standard.title, unit=figure.unit if figure else standard.unit,
                targets=target_spreads.get(ref, Spread()), actuals=actual_spreads.get(ref, Spread()),
            )
            block.figures.append(groups[key])
        groups[key].rows.append(row)
    for block in blocks.values():
        block.unlinked.sort(key=lambda r: (r.standard.title.lower(), not r.own, r.comune))
        block.figures.sort(key=lambda g: g.label.lower())
    comuni = [
        ComuneRow(
            municipality_id=v.municipality_id, name=v.municipality.name, own=v.municipality_id == own_id,
            version=v, standards=sum(1 for s in standards if s.version_id == v.pk),
            years=[YearTally(y, *tallies.get((v.municipality_id, y), [0, 0])) for y in years],
        )
        for v in page
    ]
    return Comparison(
        service=service, year=year, years=years, group=group, comuni=comuni,
        dimensions=[b for b in blocks.values() if b.figures or b.unlinked],
        total=total, offset=offset, limit=limit,
    )


def export_table(comparison: Comparison) -> tuple[list[str], list[list]]:
    """The comparison as a tidy table (one row per comune and standard), for
    `qclub.exports` (CSV with decimal comma, XLSX with numbers)."""
    headers = [
        _("Comune"), _("Versione"), _("Stato"), _("Dimensione"), _("Standard"), _("Fonte collegata"),
        _("Tipo"), _("Confronto"), _("Valore garantito"), _("Unità di misura"), _("Casi in cui è rispettato (%)"),
        _("Valore confrontato"), _("Rispetto agli obiettivi dei pari"), _("Mediana degli obiettivi dei pari"),
        _("Rispetto ai valori effettivi dei pari"), _("Mediana dei valori effettivi dei pari"),
        *[_("Rispettato nel %(year)s") % {"year": y} for y in comparison.years],
        _("Anni rispettati"), _("Anni valutati"), _("Mancato due anni di seguito"),
    ]
    versions = {c.municipality_id: c.version for c in comparison.comuni}
    rows = []
    for block in comparison.dimensions:
        entries = [(g, r) for g in block.figures for r in g.rows] + [(None, r) for r in block.unlinked]
        for figure, row in entries:
            s = row.standard
            version = versions[row.municipality_id]
            rows.append([
                row.comune, version.number, version.get_status_display(), block.label, s.title,
                figure.label if figure else "", s.get_kind_display(), s.get_comparator_display(),
                s.target_value, s.unit, s.compliance_pct, row.target,
                Place.label(row.vs_targets) if figure else "", figure.targets.median if figure else None,
                Place.label(row.vs_actuals) if figure else "", figure.actuals.median if figure else None,
                *[row.met_by_year.get(y) for y in comparison.years],
                row.met, row.judged, row.missed_twice,
            ])
    return headers, rows
