"""The comparison's statistics against figures computed by hand."""

import math
from decimal import Decimal

import pytest

from surveys.comparisons import statistics as st
from surveys.comparisons.statistics import Point, Position


def point(key, mean, low, high, n=100, sd=None):
    return Point(key, Decimal(str(mean)), Decimal(str(low)), Decimal(str(high)), n,
                 None if sd is None else Decimal(str(sd)))


def test_club_mean_weights_each_comune_by_its_answers():
    # (100·4 + 300·3) / 400 = 1300 / 400 = 3,25
    assert st.club_mean([point("a", 4, 3.9, 4.1, 100), point("b", 3, 2.9, 3.1, 300)]) == pytest.approx(3.25)


def test_pooled_standard_deviation_by_hand():
    # √((99·1² + 299·2²) / (99 + 299)) = √(1295 / 398) = 1,80383…
    points = [point("a", 4, 3.9, 4.1, 100, sd=1), point("b", 3, 2.9, 3.1, 300, sd=2)]
    assert st.pooled_sd(points) == pytest.approx(math.sqrt(1295 / 398))


def test_funnel_limits_by_hand():
    # θ = 4, σ = 1, n = 100: σ/√n = 0,1; 95 %: 4 ± 0,196; 99,8 %: 4 ± 0,309
    limits = st.limits_at(4.0, 1.0, 100)
    assert (limits.low95, limits.high95) == (pytest.approx(3.804, abs=1e-3), pytest.approx(4.196, abs=1e-3))
    assert (limits.low998, limits.high998) == (pytest.approx(3.691, abs=1e-3), pytest.approx(4.309, abs=1e-3))


def test_funnel_position_by_hand():
    theta, sigma = 4.0, 1.0  # at n = 100 limits 3,804–4,196 (95 %) and 3,691–4,309 (99,8 %)
    assert st.funnel_position(point("a", 4.25, 0, 9, 100), theta, sigma) == Position.ABOVE_95
    assert st.funnel_position(point("a", 4.35, 0, 9, 100), theta, sigma) == Position.ABOVE_998
    assert st.funnel_position(point("a", 4.1, 0, 9, 100), theta, sigma) == Position.WITHIN
    assert st.funnel_position(point("a", 3.75, 0, 9, 100), theta, sigma) == Position.BELOW_95
    assert st.funnel_position(point("a", 3.6, 0, 9, 100), theta, sigma) == Position.BELOW_998
    # the same distance from the mean is within the limits with fewer answers: at n = 25 they are 4 ± 0,392
    assert st.funnel_position(point("a", 4.25, 0, 9, 25), theta, sigma) == Position.WITHIN


def test_funnel_curve_narrows_with_the_sample():
    curve = st.funnel_curve(4.0, 1.0, 10, 1000)
    assert curve[0].n == 10 and curve[-1].n == 1000
    widths = [limit.high95 - limit.low95 for limit in curve]
    assert widths == sorted(widths, reverse=True)


def test_best_performer_only_beyond_every_other_interval():
    clear = [point("a", 4.5, 4.3, 4.7), point("b", 4.0, 3.8, 4.2), point("c", 3.5, 3.3, 3.7)]
    assert st.best_performer(clear) == "a"


def test_no_best_performer_when_intervals_overlap():
    overlapping = [point("a", 4.5, 4.1, 4.9), point("b", 4.0, 3.8, 4.2), point("c", 3.5, 3.3, 3.7)]
    assert st.best_performer(overlapping) is None


def test_touching_intervals_are_not_beyond_each_other():
    touching = [point("a", 4.5, 4.2, 4.8), point("b", 4.0, 3.8, 4.2)]
    assert st.best_performer(touching) is None


def test_no_best_performer_alone_or_without_intervals():
    assert st.best_performer([point("a", 4.5, 4.3, 4.7)]) is None
    assert st.best_performer([Point("a", Decimal(5), None, None, 100), point("b", 3, 2.9, 3.1)]) is None
