"""A target proposed from the peers: when a comune links a standard to a
figure, QClub shows how the other comuni (all, or a peer group) did on it in
the latest year with values — the median and the best quartile — and which of
them already meet the target typed.

The rules, said once here:
- the values are the approved or published ones the figure's module offers
  (`qclub.modules.figure_values`, read in the audited club scope), at most
  one per comune: the work is bounded by the number of comuni;
- the latest year with any value among the last `YEARS_BACK` years is used;
- fewer comuni than the club's minimum of reporters (the benchmarking
  setting `BENCHMARK_MIN_REPORTERS`, the same floor every comparison keeps):
  nothing is proposed, and no comune is named;
- "best quartile" follows the figure's direction (`Figure.higher_is_better`;
  for a figure with no direction, the standard's comparator): the 75th
  percentile when more is better, the 25th when less is; percentiles are
  PostgreSQL's `percentile_cont` (linear between the two nearest values);
- the field proposed is the one the yearly value is compared with: a
  specific standard's share of cases (`compliance_pct`), a general
  standard's target (`target_value`); a comune meets the typed value as
  `monitoring.rules.is_met` would judge it (the boundary is met; a test
  keeps the two in step, as the layers keep this package below monitoring).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from qclub import modules
from qclub.models import Municipality, PeerGroup
from servicecharters.models import StandardTerms

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind

YEARS_BACK = 6  # this year and the five before
MAX_NAMED = 20  # comuni named as already meeting the target; the rest counted
PROPOSAL_DECIMALS = Decimal("0.01")


def min_reporters() -> int:
    """The club's floor for showing a distribution (benchmarking's setting)."""
    return int(getattr(settings, "BENCHMARK_MIN_REPORTERS", 4))


def percentile(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    """`percentile_cont(fraction)` of values already sorted ascending."""
    if not ordered:
        raise ValueError("no values")
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def compared_field(kind: str, comparator: str) -> str:
    """The field a standard's yearly value is compared with."""
    return "compliance_pct" if kind == Kind.SPECIFIC and comparator != Comparator.YES_NO else "target_value"


def meets_when_at_least(kind: str, comparator: str) -> bool:
    """A specific standard's share and an "at least" target are met from the
    value up; an "at most" target up to it."""
    return kind == Kind.SPECIFIC or comparator == Comparator.AT_LEAST


def meets(value: Decimal, threshold: Decimal, *, at_least: bool) -> bool:
    return value >= threshold if at_least else value <= threshold


@dataclass
class Proposal:
    figure: modules.Figure
    field: str  # "target_value" or "compliance_pct"
    min_reporters: int
    group: PeerGroup | None = None
    year: int | None = None
    count: int = 0
    median: Decimal | None = None
    top_quartile: Decimal | None = None
    higher_is_better: bool = True
    threshold: Decimal | None = None
    at_least: bool = True
    meeting: list[str] = field(default_factory=list)  # names, at most MAX_NAMED
    meeting_count: int = 0
    own_value: Decimal | None = None
    direction_warning: str = ""

    @property
    def enough(self) -> bool:
        return self.count >= self.min_reporters

    @property
    def more_meeting(self) -> int:
        return max(self.meeting_count - len(self.meeting), 0)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PROPOSAL_DECIMALS, rounding=ROUND_HALF_UP)


def proposal_for(
    *, figure: modules.Figure, kind: str, comparator: str, threshold: Decimal | None,
    municipality: Municipality | None, group: PeerGroup | None = None, today: datetime.date | None = None,
) -> Proposal:
    """The peers' distribution of `figure` and who meets `threshold` (the
    value typed in the compared field, or None). `comparator` must not be
    yes/no (nothing to propose for a commitment)."""
    today = today or timezone.localdate()
    at_least = meets_when_at_least(kind, comparator)
    higher = figure.higher_is_better if figure.higher_is_better is not None else at_least
    proposal = Proposal(
        figure=figure, field=compared_field(kind, comparator), min_reporters=min_reporters(), group=group,
        higher_is_better=higher, threshold=threshold, at_least=at_least,
    )
    if figure.higher_is_better is not None and figure.higher_is_better != at_least:
        proposal.direction_warning = (
            _("Per questo dato è meglio un valore più alto, ma lo standard garantisce «al massimo»: controlla il confronto.")
            if figure.higher_is_better else
            _("Per questo dato è meglio un valore più basso, ma lo standard garantisce «almeno»: controlla il confronto.")
        )
    member_ids = list(group.members.values_list("pk", flat=True)) if group is not None else None
    if member_ids == []:
        return proposal
    found = modules.figure_values(
        figure.ref, years=list(range(today.year, today.year - YEARS_BACK, -1)), municipality_ids=member_ids,
        reason=f"charter target proposal {figure.ref}",
    )
    if not found:
        return proposal
    year = max(value.year for value in found)
    # One value per comune (the hooks' contract; the first kept if a module broke it).
    by_comune: dict[int, Decimal] = {}
    for value in found:
        if value.year == year and value.value is not None:
            by_comune.setdefault(value.municipality_id, Decimal(value.value))
    proposal.year, proposal.count = year, len(by_comune)
    if municipality is not None:
        proposal.own_value = by_comune.get(municipality.pk)
    if not proposal.enough:
        return proposal
    ordered = sorted(by_comune.values())
    proposal.median = _round(percentile(ordered, Decimal("0.5")))
    proposal.top_quartile = _round(percentile(ordered, Decimal("0.75") if higher else Decimal("0.25")))
    if threshold is not None:
        ids = [mid for mid, value in by_comune.items() if meets(value, threshold, at_least=at_least)]
        proposal.meeting_count = len(ids)
        proposal.meeting = list(
            Municipality.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)[:MAX_NAMED]
        )
    return proposal
