"""When a standard is met: the one rule, used by the monitoring service, the
pages, the API, the PDF and the comparison. Pure: plain values in and out."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from servicecharters.models.terms import DEFAULT_COMPLIANCE, StandardTerms

Comparator = StandardTerms.Comparator
Kind = StandardTerms.Kind



def is_met(terms: StandardTerms, actual: Decimal | None) -> bool | None:
    """True / False, or None when there is nothing to judge (no actual value,
    or a numeric standard with no target).

    - yes/no commitment: met when the actual value is 1 (yes);
    - specific standard: the actual value is the share of cases (in %) in
      which the promise was kept; met when it reaches `compliance_pct`
      (100 % when not stated);
    - general standard: the actual value is compared with the target,
      "at most" or "at least"; the boundary itself is met."""
    if actual is None:
        return None
    if terms.comparator == Comparator.YES_NO:
        return actual >= 1
    if terms.kind == Kind.SPECIFIC:
        return actual >= (terms.compliance_pct if terms.compliance_pct is not None else DEFAULT_COMPLIANCE)
    if terms.target_value is None:
        return None
    if terms.comparator == Comparator.AT_MOST:
        return actual <= terms.target_value
    return actual >= terms.target_value


def missed_two_years_running(met_by_year: Mapping[int, bool | None], year: int) -> bool:
    """A standard missed in `year` and in the year before (both judged): it
    belongs in the comune's improvement plan."""
    return met_by_year.get(year) is False and met_by_year.get(year - 1) is False


def better_is_higher(terms: StandardTerms) -> bool | None:
    """Which way is more ambitious for this standard's target (for the peers'
    comparison): a lower "at most", a higher "at least"; None for yes/no."""
    if terms.comparator == Comparator.YES_NO:
        return None
    if terms.kind == Kind.SPECIFIC:
        return True
    return terms.comparator == Comparator.AT_LEAST
