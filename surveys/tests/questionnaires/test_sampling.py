import math

import pytest

from surveys.questionnaires.sampling import (
    SamplingError,
    infinite_sample,
    margin_of_error,
    sample_size,
)


def test_the_manuals_example_gives_791():
    # Funzione Pubblica manual: N = 70,000, z = 1.96, e = ±3 %, p = 0.25.
    assert infinite_sample(z=1.96, margin=0.03, proportion=0.25) == 800
    assert sample_size(population=70_000, z=1.96, margin=0.03, proportion=0.25) == 791
    assert sample_size(population=70_000, confidence=95, margin=0.03, proportion=0.25) == 791


@pytest.mark.parametrize(
    ("population", "confidence", "margin", "expected"),
    [
        (None, 95, 0.05, 384),  # the textbook 384 for an infinite population
        (100_000, 95, 0.05, 383),
        (1_000, 95, 0.05, 278),
        (10_000, 99, 0.03, 1_557),
        (10_000, 90, 0.05, 264),
        (50, 95, 0.05, 45),
    ],
)
def test_other_cases(population, confidence, margin, expected):
    assert sample_size(population=population, confidence=confidence, margin=margin) == expected


def test_never_more_than_the_population():
    assert sample_size(population=3, confidence=99, margin=0.01) == 3


def test_margin_is_the_inverse():
    # The manual's sample gives back its ±3 % (a hair under, since it was rounded up).
    achieved = margin_of_error(sample=791, population=70_000, z=1.96, proportion=0.25)
    assert 0.0299 < achieved <= 0.0301
    assert margin_of_error(sample=384, population=None) == pytest.approx(0.0500, abs=1e-4)
    assert margin_of_error(sample=0, population=1000) is None
    assert margin_of_error(sample=1000, population=1000) == 0.0


def test_one_margin_of_error_with_the_finite_population_correction():
    # The surveys' one margin of error (fieldwork progress, results page,
    # comparisons, citizens' pages): 1,96 · √(0,25 / 400) = 0,049;
    # × √((10.000 − 400) / 9.999) → 0,04800.
    assert margin_of_error(sample=400, population=10_000) == pytest.approx(1.96 * 0.025 * math.sqrt(9600 / 9999))
    assert margin_of_error(sample=400, population=None) == pytest.approx(0.04900, abs=1e-4)
    assert margin_of_error(sample=791, population=70_000, proportion=0.25) == pytest.approx(0.0300, abs=2e-4)
    # A population smaller than the sample cannot be right: no correction.
    assert margin_of_error(sample=400, population=300) == pytest.approx(0.04900, abs=1e-4)
    assert margin_of_error(sample=0, population=100) is None


@pytest.mark.parametrize("kwargs", [
    {"population": 1000, "confidence": 80},
    {"population": 1000, "margin": 0},
    {"population": 1000, "margin": 1.5},
    {"population": 0},
    {"population": 1000, "proportion": 1},
])
def test_bad_inputs_are_refused(kwargs):
    with pytest.raises(SamplingError):
        sample_size(**kwargs)
