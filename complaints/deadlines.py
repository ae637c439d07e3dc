"""Working days, pure: no database, no Django.

A working day is a Monday to Friday that is not an Italian public holiday,
national or the patron saint of the comune's province (the `holidays`
package: `holidays.country_holidays("IT", subdiv=<sigla>)`, e.g. Trento 26
June San Vigilio, Milano 7 December Sant'Ambrogio).

Counting starts the day after the starting day (a complaint received on a
Friday and due "within 1 working day" is due on the Monday). A suspension
(waiting for the citizen) stops the clock: the days from its start up to the
day before it ends do not count; an open suspension (no end yet) stops the
clock for good, and the due date is unknown (`None`) until it ends.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from functools import lru_cache

import holidays

Interval = tuple[datetime.date, datetime.date | None]  # (started_on, ended_on or None)

# A bound on every loop: no deadline is more than ~3 years of working days away.
MAX_WORKING_DAYS = 800


@lru_cache(maxsize=256)
def _calendar(province_code: str, year: int) -> frozenset[datetime.date]:
    subdiv = province_code.upper() if province_code and province_code.upper() in holidays.Italy.subdivisions else None
    return frozenset(holidays.country_holidays("IT", subdiv=subdiv, years=year).keys())


def holiday_name(day: datetime.date, province_code: str = "") -> str | None:
    subdiv = province_code.upper() if province_code and province_code.upper() in holidays.Italy.subdivisions else None
    return holidays.country_holidays("IT", subdiv=subdiv, years=day.year, language="it_IT").get(day)


def is_working_day(day: datetime.date, province_code: str = "") -> bool:
    return day.weekday() < 5 and day not in _calendar(province_code or "", day.year)


def _suspended(day: datetime.date, suspensions: Sequence[Interval]) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in suspensions)


def add_working_days(
    start: datetime.date, days: int, *, province_code: str = "", suspensions: Iterable[Interval] = (),
) -> datetime.date | None:
    """The day `days` working days after `start`, not counting suspended days;
    None while a suspension is open and the count is not complete before it."""
    if days < 0 or days > MAX_WORKING_DAYS:
        raise ValueError("days out of range")
    suspensions = list(suspensions)
    day, counted = start, 0
    open_from = min((s for s, e in suspensions if e is None), default=None)
    while counted < days:
        day += datetime.timedelta(days=1)
        if open_from is not None and day >= open_from:
            return None
        if is_working_day(day, province_code) and not _suspended(day, suspensions):
            counted += 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, *, province_code: str = "",
    suspensions: Iterable[Interval] = (),
) -> int:
    """Working days after `start` up to and including `end`, not counting
    suspended days (0 when `end` is not after `start`)."""
    suspensions = list(suspensions)
    if end <= start:
        return 0
    if (end - start).days > 3 * 366 + MAX_WORKING_DAYS:
        end = start + datetime.timedelta(days=3 * 366 + MAX_WORKING_DAYS)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, province_code) and not _suspended(day, suspensions):
            count += 1
    return count
