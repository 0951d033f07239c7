"""Whether a service is open at a moment and when it next opens, from its weekly and bank holiday opening hours.

Pure: it is given the hours (as amends.accounts.selectors.opening_hours_by_day returns them) and a moment, and reads
nothing else but the calendar of bank holidays. On a bank holiday of England and Wales the bank holiday row applies
instead of the weekday's; a day with no row is closed. Times are the UK's local time, written the GOV.UK way (8am,
5:30pm, midday).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.accounts.models import Day
from amends.core.workdays import _bank_holidays

# How far ahead to look for the next opening: a service closed for longer says only that it is closed.
LOOK_AHEAD_DAYS = 14
MIDDAY = datetime.time(12, 0)
MIDNIGHT = datetime.time(0, 0)


class DayHours(Protocol):
    """One day's hours: amends.accounts.models.OpeningHours, or anything shaped like it."""

    @property
    def closed(self) -> bool: ...

    @property
    def opens(self) -> datetime.time | None: ...

    @property
    def closes(self) -> datetime.time | None: ...


type WeekHours = Iterable[tuple[Day, DayHours | None]]


@dataclass(frozen=True)
class OpeningStatus:
    """Open now (until `closes`), or closed until `opens_on` at `opens_at` (both None: not within the look-ahead)."""

    today: datetime.date
    open_now: bool
    closes: datetime.time | None = None
    opens_on: datetime.date | None = None
    opens_at: datetime.time | None = None


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(day.year)


def _open_hours(row: DayHours | None) -> tuple[datetime.time, datetime.time] | None:
    if row is None or row.closed or row.opens is None or row.closes is None:
        return None
    return row.opens, row.closes


def hours_on(
    hours: dict[Day, DayHours | None], day: datetime.date, bank_holiday: Callable[[datetime.date], bool]
) -> tuple[datetime.time, datetime.time] | None:
    """The opening and closing times on `day`, or None when closed all day."""
    key = Day.BANK_HOLIDAY if bank_holiday(day) else Day(day.weekday())
    return _open_hours(hours.get(key))


def opening_status(
    hours: WeekHours,
    now: datetime.datetime,
    *,
    bank_holiday: Callable[[datetime.date], bool] = is_bank_holiday,
) -> OpeningStatus:
    """Whether the service is open at `now` (an aware moment, read in the UK's local time), and if not, when it next
    opens within LOOK_AHEAD_DAYS."""
    local = timezone.localtime(now)
    today, time_now = local.date(), local.time()
    by_day = dict(hours)
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=offset)
        times = hours_on(by_day, day, bank_holiday)
        if times is None:
            continue
        opens, closes = times
        if offset == 0:
            if opens <= time_now < closes:
                return OpeningStatus(today=today, open_now=True, closes=closes)
            if time_now >= closes:
                continue
        return OpeningStatus(today=today, open_now=False, opens_on=day, opens_at=opens)
    return OpeningStatus(today=today, open_now=False)


def time_text(moment: datetime.time) -> str:
    """A time of day as GOV.UK writes it: 8am, 5:30pm, midday, midnight."""
    if moment.replace(second=0, microsecond=0) == MIDDAY:
        return _("midday")
    if moment.replace(second=0, microsecond=0) == MIDNIGHT:
        return _("midnight")
    hour = moment.hour % 12 or 12
    number = f"{hour}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}"
    if moment.hour < 12:
        return _("%(time)sam") % {"time": number}
    return _("%(time)spm") % {"time": number}


def status_text(status: OpeningStatus) -> str:
    """The status in a sentence: "Open now. Closes at 5pm", "Closed. Opens tomorrow at 9am"..."""
    if status.open_now and status.closes is not None:
        return _("Open now. Closes at %(time)s") % {"time": time_text(status.closes)}
    if status.opens_on is None or status.opens_at is None:
        return _("Closed. Not open in the next 2 weeks")
    values = {"time": time_text(status.opens_at)}
    days_ahead = (status.opens_on - status.today).days
    if days_ahead == 0:
        return _("Closed. Opens today at %(time)s") % values
    if days_ahead == 1:
        return _("Closed. Opens tomorrow at %(time)s") % values
    if days_ahead < 7:
        return _("Closed. Opens %(day)s at %(time)s") % {**values, "day": date_format(status.opens_on, "l")}
    return _("Closed. Opens on %(date)s at %(time)s") % {**values, "date": date_format(status.opens_on, "l j F")}


def hours_text(row: DayHours | None) -> str:
    """One row of the opening hours table: "8am to 5pm", or "Closed"."""
    times = _open_hours(row)
    if times is None:
        return _("Closed")
    return _("%(opens)s to %(closes)s") % {"opens": time_text(times[0]), "closes": time_text(times[1])}


def hours_table(hours: WeekHours) -> list[list[str]]:
    """The opening hours table's rows: each day of the week, then bank holidays."""
    return [[str(day.label), hours_text(row)] for day, row in hours]
