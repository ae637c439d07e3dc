"""The statistics of a comparison across comuni, as small pure functions over
plain numbers (no database): the club mean, the funnel plot's control limits,
the best performer beyond the intervals (a survey's margin of error is
`surveys.questionnaires.sampling.margin_of_error`).

Funnel plot (Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 2005, for a mean): with each comune's
mean x̄ᵢ, standard deviation sᵢ and number of answers nᵢ,

    club mean      θ  = Σ nᵢ·x̄ᵢ / Σ nᵢ                 (the pooled mean of all answers)
    pooled spread  σ  = √( Σ (nᵢ − 1)·sᵢ² / Σ (nᵢ − 1) )
    limits at n    θ ± z·σ/√n,  z = 1.96 (95 %) and 3.09 (99.8 %)

A comune outside the 99.8 % limits differs from the club by more than chance
would make likely; one between 95 % and 99.8 % is worth a look.

Best performer: the comune whose confidence interval lies wholly above every
other compared comune's (its lower bound strictly above each other's upper
bound). At most one comune can be that; when intervals overlap, nobody is
marked — a difference the sample cannot show is not a ranking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Z95 = 1.959964
Z998 = 3.090232


@dataclass(frozen=True)
class Point:
    """One comune's figure for one measure (mean, its CI, answers, spread)."""

    key: object
    mean: Decimal
    ci_low: Decimal | None
    ci_high: Decimal | None
    answers: int
    std_dev: Decimal | None = None


def club_mean(points: Sequence[Point]) -> float | None:
    """θ = Σ nᵢ·x̄ᵢ / Σ nᵢ: the mean of every answer of the compared comuni."""
    total = sum(p.answers for p in points)
    if not total:
        return None
    return sum(float(p.mean) * p.answers for p in points) / total


def pooled_sd(points: Sequence[Point]) -> float | None:
    """σ = √(Σ (nᵢ − 1)·sᵢ² / Σ (nᵢ − 1)), over the comuni with a spread."""
    with_sd = [p for p in points if p.std_dev is not None and p.answers > 1]
    degrees = sum(p.answers - 1 for p in with_sd)
    if not degrees:
        return None
    return math.sqrt(sum((p.answers - 1) * float(p.std_dev) ** 2 for p in with_sd) / degrees)


@dataclass(frozen=True)
class Limits:
    """The control limits around θ for a comune of n answers."""

    n: int
    low95: float
    high95: float
    low998: float
    high998: float


def limits_at(theta: float, sigma: float, n: int) -> Limits:
    half = sigma / math.sqrt(n)
    return Limits(n, theta - Z95 * half, theta + Z95 * half, theta - Z998 * half, theta + Z998 * half)


class Position:
    """Where a comune falls on the funnel plot."""

    ABOVE_998 = "above_998"
    ABOVE_95 = "above_95"
    WITHIN = "within"
    BELOW_95 = "below_95"
    BELOW_998 = "below_998"


def funnel_position(point: Point, theta: float | None, sigma: float | None) -> str | None:
    if theta is None or sigma is None or point.answers < 1:
        return None
    limits = limits_at(theta, sigma, point.answers)
    value = float(point.mean)
    if value > limits.high998:
        return Position.ABOVE_998
    if value > limits.high95:
        return Position.ABOVE_95
    if value < limits.low998:
        return Position.BELOW_998
    if value < limits.low95:
        return Position.BELOW_95
    return Position.WITHIN


def funnel_curve(theta: float, sigma: float, n_min: int, n_max: int, steps: int = 40) -> list[Limits]:
    """The limits at `steps` sample sizes from n_min to n_max (geometric
    spacing: the funnel narrows fast for small n), for drawing."""
    n_min = max(2, n_min)
    n_max = max(n_min + 1, n_max)
    ratio = (n_max / n_min) ** (1 / (steps - 1))
    sizes = sorted({round(n_min * ratio**i) for i in range(steps)} | {n_max})
    return [limits_at(theta, sigma, n) for n in sizes]


def best_performer(points: Sequence[Point]) -> object | None:
    """The key of the comune whose interval lies wholly above every other's
    (lower bound strictly above each other upper bound); None when there are
    fewer than two comuni, an interval is missing, or intervals overlap."""
    if len(points) < 2 or any(p.ci_low is None or p.ci_high is None for p in points):
        return None
    top = max(points, key=lambda p: p.mean)
    others = [p for p in points if p is not top]
    if all(top.ci_low > p.ci_high for p in others):
        return top.key
    return None
