"""Working-day arithmetic: weekends, national holidays, the province's patron
saint, suspensions that stop the clock."""

import datetime as dt

import pytest

from complaints.deadlines import (
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_weekends_do_not_count():
    # Friday 13 November 2026 + 1 working day = Monday 16.
    assert add_working_days(D(2026, 11, 13), 1) == D(2026, 11, 16)
    assert add_working_days(D(2026, 11, 16), 5) == D(2026, 11, 23)


def test_counting_starts_the_day_after():
    assert add_working_days(D(2026, 11, 16), 0) == D(2026, 11, 16)
    assert add_working_days(D(2026, 11, 16), 1) == D(2026, 11, 17)


def test_national_holidays_do_not_count():
    # Thursday 24 December 2026: 25 (Christmas) and 26 (Saturday), 27 Sunday → Monday 28.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 28)
    # Easter Monday 2026 is 6 April.
    assert not is_working_day(D(2026, 4, 6))
    assert add_working_days(D(2026, 4, 3), 1) == D(2026, 4, 7)
    # 2 June, Festa della Repubblica (a Tuesday in 2026).
    assert add_working_days(D(2026, 6, 1), 1) == D(2026, 6, 3)


def test_trento_patron_saint_san_vigilio_26_june():
    assert holiday_name(D(2026, 6, 26), "TN") == "San Vigilio"
    assert not is_working_day(D(2026, 6, 26), "TN")
    assert is_working_day(D(2026, 6, 26), "MI")
    # Thursday 25 June + 1: Friday 26 in Milano, Monday 29 in Trento.
    assert add_working_days(D(2026, 6, 25), 1, province_code="MI") == D(2026, 6, 26)
    assert add_working_days(D(2026, 6, 25), 1, province_code="TN") == D(2026, 6, 29)


def test_milano_patron_saint_sant_ambrogio_7_december():
    assert holiday_name(D(2026, 12, 7), "MI") == "Sant'Ambrogio"
    # Friday 4 December 2026 + 1: Monday 7 is Sant'Ambrogio in Milano, 8 the Immacolata everywhere.
    assert add_working_days(D(2026, 12, 4), 1, province_code="MI") == D(2026, 12, 9)
    assert add_working_days(D(2026, 12, 4), 1, province_code="TN") == D(2026, 12, 7)


def test_unknown_or_missing_province_uses_the_national_calendar():
    assert add_working_days(D(2026, 6, 25), 1, province_code="") == D(2026, 6, 26)
    assert add_working_days(D(2026, 6, 25), 1, province_code="ZZ") == D(2026, 6, 26)


def test_a_closed_suspension_stops_the_clock():
    # Monday 16 November + 5 = Monday 23; waiting for the citizen Wednesday 18 to Friday 20
    # (the days 18 and 19 do not count; 20, the day they answer, does) → Wednesday 25.
    assert add_working_days(D(2026, 11, 16), 5, suspensions=[(D(2026, 11, 18), D(2026, 11, 20))]) == D(2026, 11, 25)


def test_an_open_suspension_leaves_the_due_date_unknown():
    assert add_working_days(D(2026, 11, 16), 5, suspensions=[(D(2026, 11, 18), None)]) is None
    # ...unless the count ends before it begins.
    assert add_working_days(D(2026, 11, 16), 1, suspensions=[(D(2026, 11, 18), None)]) == D(2026, 11, 17)


def test_working_days_between_mirrors_add():
    start = D(2026, 12, 4)
    for days in range(0, 40):
        end = add_working_days(start, days, province_code="MI")
        assert working_days_between(start, end, province_code="MI") == days
    assert working_days_between(D(2026, 11, 16), D(2026, 11, 25),
                                suspensions=[(D(2026, 11, 18), D(2026, 11, 20))]) == 5
    assert working_days_between(D(2026, 11, 16), D(2026, 11, 10)) == 0


def test_out_of_range_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), 10_000)
