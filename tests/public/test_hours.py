"""Whether a service is open now and when it next opens: weekdays, weekends, bank holidays, the moments either side of
opening and closing, UK local time, and the GOV.UK way of writing times. Pure: no database."""

import datetime
import zoneinfo
from collections.abc import Sequence

import pytest

from amends.accounts.models import Day, OpeningHours
from amends.public.hours import (
    DayHours,
    OpeningStatus,
    hours_table,
    is_bank_holiday,
    opening_status,
    status_text,
    time_text,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def open_from(opens: datetime.time, closes: datetime.time) -> OpeningHours:
    return OpeningHours(closed=False, opens=opens, closes=closes)


NINE_TO_FIVE = open_from(datetime.time(9), datetime.time(17))


def week(**days: DayHours | None) -> list[tuple[Day, DayHours | None]]:
    """Monday to Friday 9am to 5pm, closed at weekends, no bank holiday row, unless `days` (by lower-case name) say
    otherwise."""
    usual: dict[Day, DayHours | None] = {day: NINE_TO_FIVE if day < Day.SATURDAY else None for day in Day}
    for name, hours in days.items():
        usual[Day[name.upper()]] = hours
    return list(usual.items())


def text_at(hours: Sequence[tuple[Day, DayHours | None]], moment: datetime.datetime) -> str:
    return status_text(opening_status(hours, moment))


# Wednesday 9 December 2026 is an ordinary working day; Saturday 5 December 2026 is a weekend day.
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 12, 9, 10), "Open now. Closes at 5pm"),
        (at(2026, 12, 9, 9), "Open now. Closes at 5pm"),
        (at(2026, 12, 9, 16, 59), "Open now. Closes at 5pm"),
        (at(2026, 12, 9, 17), "Closed. Opens tomorrow at 9am"),
        (at(2026, 12, 9, 17, 1), "Closed. Opens tomorrow at 9am"),
        (at(2026, 12, 9, 8, 59), "Closed. Opens today at 9am"),
        (at(2026, 12, 9, 0, 5), "Closed. Opens today at 9am"),
        (at(2026, 12, 9, 23, 59), "Closed. Opens tomorrow at 9am"),
        (at(2026, 12, 11, 17, 30), "Closed. Opens Monday at 9am"),
        (at(2026, 12, 5, 23), "Closed. Opens Monday at 9am"),
        (at(2026, 12, 6, 12), "Closed. Opens tomorrow at 9am"),
    ],
    ids=[
        "mid-morning",
        "the moment it opens",
        "just before closing",
        "the moment it closes",
        "just after closing",
        "just before opening",
        "just after midnight",
        "late evening",
        "Friday evening",
        "Saturday night",
        "Sunday",
    ],
)
def test_it_says_whether_open_and_when_it_next_opens(moment: datetime.datetime, expected: str) -> None:
    assert text_at(week(), moment) == expected


def test_it_uses_the_bank_holiday_hours_on_a_bank_holiday() -> None:
    late_summer_bank_holiday = at(2026, 8, 31, 11)
    assert is_bank_holiday(late_summer_bank_holiday.date())
    assert text_at(week(), late_summer_bank_holiday) == "Closed. Opens tomorrow at 9am"
    short_day = week(bank_holiday=open_from(datetime.time(10), datetime.time(14)))
    assert text_at(short_day, late_summer_bank_holiday) == "Open now. Closes at 2pm"
    assert text_at(short_day, at(2026, 8, 31, 8)) == "Closed. Opens today at 10am"
    closed_row = week(bank_holiday=OpeningHours(closed=True))
    assert text_at(closed_row, late_summer_bank_holiday) == "Closed. Opens tomorrow at 9am"


def test_it_skips_a_bank_holiday_when_looking_ahead() -> None:
    friday_before_bank_holiday = at(2026, 8, 28, 18)
    assert text_at(week(), friday_before_bank_holiday) == "Closed. Opens Tuesday at 9am"
    # Christmas 2026: Friday 25th and Monday 28th (Boxing Day, observed) are bank holidays.
    christmas_eve = at(2026, 12, 24, 18)
    assert text_at(week(), christmas_eve) == "Closed. Opens Tuesday at 9am"
    open_on_bank_holidays = week(bank_holiday=open_from(datetime.time(10), datetime.time(14)))
    assert text_at(open_on_bank_holidays, christmas_eve) == "Closed. Opens tomorrow at 10am"


def test_a_weekend_day_has_its_own_hours() -> None:
    saturday_mornings = week(saturday=open_from(datetime.time(9, 30), datetime.time(12)))
    assert text_at(saturday_mornings, at(2026, 12, 5, 10)) == "Open now. Closes at midday"
    assert text_at(saturday_mornings, at(2026, 12, 4, 18)) == "Closed. Opens tomorrow at 9:30am"
    assert text_at(saturday_mornings, at(2026, 12, 5, 12)) == "Closed. Opens Monday at 9am"


def test_a_day_closed_all_day_or_with_no_row_is_closed() -> None:
    closed_wednesday = week(wednesday=OpeningHours(closed=True), thursday=None)
    assert text_at(closed_wednesday, at(2026, 12, 8, 18)) == "Closed. Opens Friday at 9am"


def test_it_gives_the_date_when_the_next_opening_is_a_week_or_more_away() -> None:
    mondays_only = [(day, NINE_TO_FIVE if day == Day.MONDAY else None) for day in Day]
    assert text_at(mondays_only, at(2026, 12, 7, 17)) == "Closed. Opens on Monday 14 December at 9am"
    assert text_at(mondays_only, at(2026, 12, 8, 9)) == "Closed. Opens Monday at 9am"


def test_it_says_so_when_the_service_has_no_hours_or_is_not_open_within_two_weeks() -> None:
    no_hours: list[tuple[Day, DayHours | None]] = [(day, None) for day in Day]
    assert text_at(no_hours, at(2026, 12, 9, 10)) == "Closed. Not open in the next 2 weeks"
    assert text_at([], at(2026, 12, 9, 10)) == "Closed. Not open in the next 2 weeks"
    bank_holidays_only = [(day, NINE_TO_FIVE if day == Day.BANK_HOLIDAY else None) for day in Day]
    # The next bank holiday after 1 June 2026 is 31 August: further than 14 days ahead.
    assert text_at(bank_holidays_only, at(2026, 6, 1, 10)) == "Closed. Not open in the next 2 weeks"
    # It looks 14 days ahead: from Monday 17 August, 31 August is exactly 14 days away.
    assert text_at(bank_holidays_only, at(2026, 8, 17, 10)) == "Closed. Opens on Monday 31 August at 9am"


def test_it_reads_the_moment_in_uk_time() -> None:
    # 16:30 UTC on 1 July is 17:30 in London (British Summer Time): closed.
    summer = datetime.datetime(2026, 7, 1, 16, 30, tzinfo=datetime.UTC)
    assert text_at(week(), summer) == "Closed. Opens tomorrow at 9am"
    # 16:30 UTC on 9 December is 16:30 in London (Greenwich Mean Time): open.
    winter = datetime.datetime(2026, 12, 9, 16, 30, tzinfo=datetime.UTC)
    assert text_at(week(), winter) == "Open now. Closes at 5pm"


def test_it_can_be_given_another_calendar_of_bank_holidays() -> None:
    wednesday = at(2026, 12, 9, 10)
    status = opening_status(week(), wednesday, bank_holiday=lambda day: day == wednesday.date())
    assert status == OpeningStatus(
        today=wednesday.date(), open_now=False, opens_on=datetime.date(2026, 12, 10), opens_at=datetime.time(9)
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime.time(8), "8am"),
        (datetime.time(17, 30), "5:30pm"),
        (datetime.time(12), "midday"),
        (datetime.time(0), "midnight"),
        (datetime.time(12, 30), "12:30pm"),
        (datetime.time(0, 5), "12:05am"),
        (datetime.time(9, 5), "9:05am"),
        (datetime.time(23, 59), "11:59pm"),
    ],
)
def test_it_writes_times_the_gov_uk_way(moment: datetime.time, expected: str) -> None:
    assert time_text(moment) == expected


def test_the_table_lists_each_day_and_bank_holidays() -> None:
    rows = hours_table(
        week(friday=open_from(datetime.time(8), datetime.time(16, 30)), sunday=OpeningHours(closed=True))
    )
    assert rows == [
        ["Monday", "9am to 5pm"],
        ["Tuesday", "9am to 5pm"],
        ["Wednesday", "9am to 5pm"],
        ["Thursday", "9am to 5pm"],
        ["Friday", "8am to 4:30pm"],
        ["Saturday", "Closed"],
        ["Sunday", "Closed"],
        ["Bank holidays", "Closed"],
    ]
