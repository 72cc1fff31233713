"""Working days in Vietnam: Monday to Friday, minus the public holidays (Tết included) of the ``holidays``
package. Report deadlines count working days after the period ends (assumption [B], decision 0006)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Protocol

import holidays

from mattran.organisations.models import UnitLevel

#: Working days after the end of the period by which a unit of each level sends its report upward.
#: [B] No Front-wide reporting calendar was found (DOMAIN §2.1): lower levels report first so that the level
#: above can consolidate. Change here, not in code that uses it.
DEADLINE_WORKING_DAYS: dict[str, int] = {
    UnitLevel.RESIDENTIAL: 2,
    UnitLevel.COMMUNE: 3,
    UnitLevel.DISTRICT: 5,
    UnitLevel.PROVINCE: 7,
    UnitLevel.CENTRAL: 10,
}


class _HasEnd(Protocol):
    @property
    def end(self) -> dt.date: ...


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (``day`` itself not counted); ``n = 0`` gives ``day``."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    left = n
    while left:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def deadline_for(period: _HasEnd, level: str) -> dt.date:
    """When a unit of ``level`` must send its report for ``period`` (anything with an ``end`` date)."""
    return add_working_days(period.end, DEADLINE_WORKING_DAYS.get(level, DEADLINE_WORKING_DAYS[UnitLevel.COMMUNE]))
