from __future__ import annotations

import datetime as dt

import pytest

from mattran.organisations.models import UnitLevel
from mattran.reports.calendar import DEADLINE_WORKING_DAYS, add_working_days, deadline_for, is_working_day
from mattran.reports.models import calendar_bounds


def test_zero_working_days_is_the_same_day() -> None:
    assert add_working_days(dt.date(2022, 6, 30), 0) == dt.date(2022, 6, 30)


def test_weekends_are_skipped() -> None:
    friday = dt.date(2022, 7, 1)
    assert add_working_days(friday, 1) == dt.date(2022, 7, 4)  # Monday


def test_tet_holidays_are_skipped() -> None:
    # Tết Bính Ngọ: 16–20/2/2026 are public holidays (Mon–Fri), so the first working day after Friday 13/2
    # is Monday 23/2.
    assert not is_working_day(dt.date(2026, 2, 17))
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)


def test_national_day_and_reunification_day_are_skipped() -> None:
    assert not is_working_day(dt.date(2026, 9, 2))
    assert not is_working_day(dt.date(2026, 4, 30))
    # Wed 29/4/2026 + 1 working day: 30/4 and 1/5 are holidays, then the weekend → Monday 4/5.
    assert add_working_days(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)


def test_negative_day_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 5), -1)


def test_a_commune_report_for_the_first_half_of_2022_is_due_three_working_days_after_30_june() -> None:
    class _Period:
        start, end = calendar_bounds("half", 2022, 1)

    assert DEADLINE_WORKING_DAYS[UnitLevel.COMMUNE] == 3
    # Thu 30/6 → Fri 1/7, Mon 4/7, Tue 5/7.
    assert deadline_for(_Period(), UnitLevel.COMMUNE) == dt.date(2022, 7, 5)


def test_lower_levels_are_due_before_the_level_above_consolidates() -> None:
    class _Period:
        end = dt.date(2025, 12, 31)

    commune = deadline_for(_Period(), UnitLevel.COMMUNE)
    province = deadline_for(_Period(), UnitLevel.PROVINCE)
    central = deadline_for(_Period(), UnitLevel.CENTRAL)
    assert commune < province < central
    assert dt.date(2026, 1, 1) not in {commune, province, central}
