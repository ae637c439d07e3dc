"""Sample-size planning for a satisfaction survey (pure arithmetic, no Django).

The finite-population formula of the Funzione Pubblica manual on perceived
quality:

    n0 = z² · p(1 − p) / e²          the sample for an infinite population
    n  = n0 / (1 + (n0 − 1) / N)     corrected for a population of N

Rounding, as the manual does it: n0 is rounded to the nearest whole person
first (its example: 800), then the corrected sample is rounded **up** (a
sample is never smaller than the formula asks). With N = 70,000, z = 1.96,
e = ±3 % and p = 0.25 this gives the manual's 791 (without rounding n0 first,
rounding up would give 792).

`margin_of_error` is the exact inverse for a sample already collected (no
rounding): e = z · √( p(1 − p) / n · (N − n) / (N − 1) ), z = 1.96 at 95 %.
It is the surveys' one margin of error (docs/architecture.md).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# Confidence level (per cent) → z of the two-sided normal interval.
Z_BY_CONFIDENCE: dict[int, float] = {90: 1.645, 95: 1.96, 99: 2.576}

DEFAULT_CONFIDENCE = 95
DEFAULT_MARGIN = 0.05  # ±5 percentage points
DEFAULT_PROPORTION = 0.5  # the most cautious assumption: the largest sample


class SamplingError(ValueError):
    """Inputs the formula cannot use (a message in plain words)."""


def z_for(confidence: int) -> float:
    try:
        return Z_BY_CONFIDENCE[int(confidence)]
    except (KeyError, TypeError, ValueError):
        raise SamplingError(f"confidence must be one of {sorted(Z_BY_CONFIDENCE)}") from None


def _check_proportion(p: float) -> None:
    if not 0 < p < 1:
        raise SamplingError("the expected proportion must be between 0 and 1, excluded")


def infinite_sample(*, z: float, margin: float, proportion: float = DEFAULT_PROPORTION) -> int:
    """n0 = z²·p(1−p)/e², rounded to the nearest whole number (halves up)."""
    if not 0 < margin < 1:
        raise SamplingError("the margin of error must be between 0 and 1, excluded")
    _check_proportion(proportion)
    n0 = Decimal(repr(z)) ** 2 * Decimal(repr(proportion)) * (1 - Decimal(repr(proportion)))
    n0 /= Decimal(repr(margin)) ** 2
    return int(n0.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sample_size(
    *,
    population: int | None,
    margin: float = DEFAULT_MARGIN,
    confidence: int | None = None,
    z: float | None = None,
    proportion: float = DEFAULT_PROPORTION,
) -> int:
    """The sample to collect from a population of `population` (None: infinite)
    for a margin of error ±`margin` (0.03 = ±3 points) at `confidence` per cent
    (or an explicit `z`). Never more than the population."""
    if z is None:
        z = z_for(DEFAULT_CONFIDENCE if confidence is None else confidence)
    n0 = infinite_sample(z=z, margin=margin, proportion=proportion)
    if population is None:
        return n0
    if population < 1:
        raise SamplingError("the population must be at least 1")
    n = Decimal(n0) / (1 + Decimal(n0 - 1) / Decimal(population))
    return min(population, math.ceil(n))


def margin_of_error(
    *,
    sample: int,
    population: int | None,
    confidence: int | None = None,
    z: float | None = None,
    proportion: float = DEFAULT_PROPORTION,
) -> float | None:
    """The margin of error (0.031 = ±3.1 points) a sample of `sample` answers
    gives on a population of `population` (None: infinite); None without
    answers. A census (sample = population) has no sampling error: 0; a
    population smaller than the sample cannot be right, and is not used (no
    correction). The one margin of error of the surveys: the fieldwork's
    progress, the results page, the comparisons and the citizens' pages call
    it (the last two in percentage points, × 100)."""
    if z is None:
        z = z_for(DEFAULT_CONFIDENCE if confidence is None else confidence)
    _check_proportion(proportion)
    if sample is None or sample < 1:
        return None
    variance = proportion * (1 - proportion) / sample
    if population is not None:
        if population < 1:
            raise SamplingError("the population must be at least 1")
        if sample == population:
            return 0.0
        if sample < population:
            variance *= (population - sample) / (population - 1)
    return z * math.sqrt(variance)
