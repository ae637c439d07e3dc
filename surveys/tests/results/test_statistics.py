"""The arithmetic on the database's aggregates, against values computed by hand
(and tables of Student's t)."""

import math
from types import SimpleNamespace

import pytest

from surveys.results import statistics
from surveys.results.aggregates import Sums
from surveys.results.figures import figures
from surveys.results.moderation import screen


@pytest.mark.parametrize(("df", "expected"), [(1, 12.7062), (3, 3.1824), (9, 2.2622), (30, 2.0423), (1000, 1.9623)])
def test_t_quantiles_match_the_tables(df, expected):
    assert statistics.t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)


def test_a_mean_interval_is_t_based_and_narrows_with_the_finite_population_correction():
    # n = 4, mean 3, s = 1: t(0.975, 3) = 3.18245, half-width 3.18245 · 1/2 = 1.59122.
    low, high = statistics.mean_interval(n=4, mean=3.0, std_dev=1.0)
    assert (low, high) == pytest.approx((3 - 1.59122, 3 + 1.59122), abs=1e-4)
    # N = 10: × √((10 − 4)/(10 − 1)) = 0.81650 → 1.29922.
    low, high = statistics.mean_interval(n=4, mean=3.0, std_dev=1.0, population=10)
    assert (low, high) == pytest.approx((3 - 1.29922, 3 + 1.29922), abs=1e-4)
    # A population not larger than the sample is no correction; one answer, no interval.
    assert statistics.mean_interval(n=4, mean=3.0, std_dev=1.0, population=4) == pytest.approx((low - 0.29200, high + 0.29200), abs=1e-4)
    assert statistics.mean_interval(n=1, mean=3.0, std_dev=None) is None


def test_welch_and_the_two_proportion_test():
    # t = 0.5 / √(1/50 + 1/50) = 2.5, df = 98, p = 0.01410.
    test = statistics.welch(mean_a=3.0, sd_a=1.0, n_a=50, mean_b=3.5, sd_b=1.0, n_b=50)
    assert test.statistic == pytest.approx(2.5)
    assert test.df == pytest.approx(98)
    assert test.p_value == pytest.approx(0.01410, abs=1e-4)
    assert test.significant
    not_enough = statistics.welch(mean_a=3.0, sd_a=1.0, n_a=10, mean_b=3.2, sd_b=1.0, n_b=10)
    assert not not_enough.significant
    # 60 % of 200 against 50 % of 200: pooled 0.55, z = 0.1/√(0.2475 · 0.01) = 2.0101, p = 0.0444.
    share = statistics.two_proportions(share_a=0.5, n_a=200, share_b=0.6, n_b=200)
    assert share.statistic == pytest.approx(2.0101, abs=1e-4)
    assert share.p_value == pytest.approx(0.0444, abs=1e-4)
    assert share.significant


def _scale(low, high, role=""):
    return SimpleNamespace(kind="rating", role=role, scale_min=low, scale_max=high, options=[])


@pytest.mark.parametrize(
    ("low", "high", "distribution", "share"),
    [(1, 5, {"5": 2, "4": 1, "3": 1, "1": 1}, 3 / 5), (1, 7, {"7": 1, "6": 1, "5": 2}, 2 / 4)],
)
def test_top_two_box_takes_the_two_highest_points_of_the_scale(low, high, distribution, share):
    points = [(int(k), v) for k, v in distribution.items()]
    n = sum(v for _k, v in points)
    sums = Sums(answers=n, numeric=n, weight_answers=n, w=n, w2=n,
                wx=sum(k * v for k, v in points), wx2=sum(k * k * v for k, v in points),
                distribution=distribution)
    assert figures(sums, _scale(low, high)).top_two_share == pytest.approx(share)


def test_net_promoter_score_in_points():
    distribution = {"10": 2, "9": 1, "7": 1, "3": 1}  # promoters 3, detractors 1, of 5
    sums = Sums(answers=5, numeric=5, weight_answers=5, w=5, w2=5, wx=39, wx2=319, distribution=distribution)
    result = figures(sums, _scale(0, 10, role="recommend"))
    assert result.net_promoter == pytest.approx(40.0)
    assert result.top_two_share == pytest.approx(0.6)


def test_a_weighted_median_is_the_point_where_half_the_weight_is_reached():
    sums = Sums(answers=3, numeric=3, weight_answers=3, w=3, w2=5, wx=9, wx2=33,
                distribution={"1": 0.5, "2": 0.5, "5": 2.0})
    assert figures(sums, _scale(1, 5), weighted=True).median == 5.0
    even = Sums(answers=2, numeric=2, weight_answers=2, w=2, w2=2, wx=6, wx2=20, distribution={"2": 1.0, "4": 1.0})
    assert figures(even, _scale(1, 5), weighted=True).median == 3.0


def test_the_weighted_interval_uses_the_effective_sample_size():
    # w = (1, 1, 2): Σw = 4, Σw² = 6, n_eff = 16/6 = 2.667 (df 1).
    sums = Sums(answers=3, numeric=3, weight_answers=4, w=4, w2=6, wx=1 + 3 + 2 * 5, wx2=1 + 9 + 50)
    result = figures(sums, weighted=True)
    mean = 14 / 4
    sd = math.sqrt((60 - 14 * 14 / 4) / 3)
    assert result.mean == pytest.approx(mean)
    assert result.std_dev == pytest.approx(sd)
    half = statistics.t_quantile(0.975, 1) * sd / math.sqrt(16 / 6)
    assert result.ci_high == pytest.approx(mean + half)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Scrivetemi a mario.rossi@example.it", "Scrivetemi a [e-mail]"),
        ("Chiamatemi al 333 123 4567 o allo 0461/123456", "Chiamatemi al [telefono] o allo [telefono]"),
        ("Il mio codice fiscale è RSSMRA80A01H501U", "Il mio codice fiscale è [codice fiscale]"),
        ("Rimborso su IT60 X054 2811 1010 0000 0123 456 grazie", "Rimborso su [IBAN] grazie"),
        ("La sig.ra Bianchi è stata gentile, il dott. Mario Rossi no", "La sig.ra [nome] è stata gentile, il dott. [nome] no"),
        ("Un impiegato stronzo e incapace", "Un impiegato […] e […]"),
        ("Attesa di 15 minuti nel 2024, dott. gentile", "Attesa di 15 minuti nel 2024, dott. gentile"),
    ],
)
def test_the_automatic_pass_masks_personal_data_and_offensive_words(text, shown):
    result = screen(text)
    assert result.text == shown
    assert result.flagged == (text != shown)
