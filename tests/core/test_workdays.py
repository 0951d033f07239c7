"""Working days in England and Wales: weekends and bank holidays do not count."""

import datetime

import pytest

from amends.core.workdays import add_working_days, is_working_day, working_days_between


def test_it_skips_the_weekend() -> None:
    friday = datetime.date(2026, 3, 6)

    assert add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert add_working_days(friday, 5) == datetime.date(2026, 3, 13)


def test_it_does_not_count_the_day_itself() -> None:
    monday = datetime.date(2026, 3, 9)

    assert add_working_days(monday, 0) == monday
    assert add_working_days(datetime.date(2026, 3, 7), 0) == datetime.date(2026, 3, 7)
    assert add_working_days(monday, 1) == datetime.date(2026, 3, 10)


def test_it_skips_christmas_and_boxing_day() -> None:
    # 2026: Christmas is a Friday, Boxing Day a Saturday, so the Boxing Day holiday moves to Monday 28 December.
    assert add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 29)
    # 2025: Christmas Thursday, Boxing Day Friday.
    assert add_working_days(datetime.date(2025, 12, 24), 1) == datetime.date(2025, 12, 29)
    assert not is_working_day(datetime.date(2025, 12, 25))
    assert not is_working_day(datetime.date(2025, 12, 26))


def test_it_skips_good_friday_and_easter_monday() -> None:
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    assert not is_working_day(datetime.date(2026, 4, 3))
    assert not is_working_day(datetime.date(2026, 4, 6))
    assert add_working_days(datetime.date(2026, 4, 2), 1) == datetime.date(2026, 4, 7)
    assert add_working_days(datetime.date(2026, 4, 2), 2) == datetime.date(2026, 4, 8)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 3, 9), True),
        (datetime.date(2026, 3, 7), False),
        (datetime.date(2026, 3, 8), False),
        (datetime.date(2026, 5, 4), False),  # Early May bank holiday
        (datetime.date(2026, 8, 31), False),  # Summer bank holiday in England and Wales
        (datetime.date(2026, 8, 3), True),  # Scotland's summer holiday, a working day here
        (datetime.date(2026, 3, 17), True),  # St Patrick's Day: Northern Ireland only
    ],
)
def test_it_knows_working_days(day: datetime.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_it_counts_working_days_between_two_dates() -> None:
    assert working_days_between(datetime.date(2026, 4, 2), datetime.date(2026, 4, 8)) == 2
    assert working_days_between(datetime.date(2026, 4, 8), datetime.date(2026, 4, 2)) == 0
    assert working_days_between(datetime.date(2026, 3, 6), datetime.date(2026, 3, 6)) == 0
