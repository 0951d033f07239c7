"""The periods figures are counted over: a month, a financial quarter, a financial year (April to March, as
commissioners and the Ministry of Justice count), or any run of days. Both ends are included."""

import calendar
import datetime
import enum
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


# Financial quarters: quarter 1 is April to June.
QUARTER_FIRST_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def financial_year_of(day: datetime.date) -> int:
    """The year a financial year starts in: 2026 for 1 April 2026 to 31 March 2027."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after the day it starts.")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(PeriodKind.MONTH, datetime.date(year, month, 1), datetime.date(year, month, last))

    @classmethod
    def quarter(cls, financial_year: int, quarter: int) -> "Period":
        first_month = QUARTER_FIRST_MONTHS[quarter]
        year = financial_year + 1 if quarter == 4 else financial_year
        start = datetime.date(year, first_month, 1)
        end_month = first_month + 2
        return cls(PeriodKind.QUARTER, start, datetime.date(year, end_month, calendar.monthrange(year, end_month)[1]))

    @classmethod
    def year(cls, financial_year: int) -> "Period":
        return cls(PeriodKind.YEAR, datetime.date(financial_year, 4, 1), datetime.date(financial_year + 1, 3, 31))

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> "Period":
        return cls(PeriodKind.CUSTOM, start, end)

    @classmethod
    def containing(cls, kind: PeriodKind, day: datetime.date) -> "Period":
        """The month, quarter or financial year that holds the day."""
        if kind == PeriodKind.MONTH:
            return cls.month(day.year, day.month)
        if kind == PeriodKind.QUARTER:
            quarter = next(q for q, first in QUARTER_FIRST_MONTHS.items() if first <= day.month <= first + 2)
            return cls.quarter(financial_year_of(day), quarter)
        if kind == PeriodKind.YEAR:
            return cls.year(financial_year_of(day))
        return cls.custom(day, day)

    @property
    def quarter_number(self) -> int | None:
        if self.kind != PeriodKind.QUARTER:
            return None
        return next(q for q, first in QUARTER_FIRST_MONTHS.items() if first == self.start.month)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as moments: from midnight in England and Wales on its first day to midnight after its last."""
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return start, end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return date_format(self.start, "F Y")
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(number)s, %(start)s to %(end)s") % {
                "number": self.quarter_number,
                "start": date_format(self.start, "F Y"),
                "end": date_format(self.end, "F Y"),
            }
        if self.kind == PeriodKind.YEAR:
            return _("Financial year %(start)s to %(end)s") % {"start": self.start.year, "end": self.end.year}
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }

    @property
    def slug(self) -> str:
        """A short name for file names: 2026-04-01_2027-03-31."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"
