import pytest

from benchmarking.periods import Period


@pytest.mark.parametrize(
    ("text", "previous"),
    [("2025", "2024"), ("2025-H1", "2024-H2"), ("2025-H2", "2025-H1"), ("2025-Q1", "2024-Q4")],
)
def test_previous_period_is_one_step_earlier(text, previous):
    assert Period.parse(text).previous().code == previous


@pytest.mark.parametrize("text", ["25", "2025-Q5", "2025-H3", "2025-X1", "1850", ""])
def test_malformed_periods_are_refused(text):
    with pytest.raises(ValueError):
        Period.parse(text)
