"""The period and breakdown of a dashboard, chosen in the query string so a dashboard's address can be shared.

The form always gives a period and a breakdown: what was asked for when it is valid, otherwise the current financial
year with no breakdown (and the errors, with what was typed, for the page to show).
"""

import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amends.core.widgets import DATE_HINT, DateField
from amends.figures.dimensions import DIMENSION_LABELS, Dimension
from amends.figures.periods import Period, PeriodKind, financial_year_of

# How many financial years the select offers, the current one first.
FINANCIAL_YEARS = 6
# The longest custom period: long periods are slow to count and say little.
LONGEST_CUSTOM_YEARS = 5
DATE_FORMAT = "%d/%m/%Y"

PERIOD_CHOICES = (
    (PeriodKind.MONTH.value, _("Month")),
    (PeriodKind.QUARTER.value, _("Quarter")),
    (PeriodKind.YEAR.value, _("Financial year")),
    (PeriodKind.CUSTOM.value, _("Custom dates")),
)
QUARTER_CHOICES = (
    (1, _("1: April to June")),
    (2, _("2: July to September")),
    (3, _("3: October to December")),
    (4, _("4: January to March")),
)


def _today() -> datetime.date:
    return timezone.localdate()


def default_period() -> Period:
    """The current financial year."""
    return Period.containing(PeriodKind.YEAR, _today())


def financial_year_choices() -> list[tuple[int, str]]:
    """The current financial year and the five before it, labelled "2026 to 2027"."""
    current = financial_year_of(_today())
    return [
        (year, _("%(start)s to %(end)s") % {"start": year, "end": year + 1})
        for year in range(current, current - FINANCIAL_YEARS, -1)
    ]


def _current_quarter() -> int:
    period = Period.containing(PeriodKind.QUARTER, _today())
    return period.quarter_number or 1


# The fields each kind of period reads; the others are ignored, whatever they hold.
USED_BY = {
    PeriodKind.MONTH: ("month", "year"),
    PeriodKind.QUARTER: ("financial_year", "quarter"),
    PeriodKind.YEAR: ("financial_year",),
    PeriodKind.CUSTOM: ("start", "end"),
}
# Fields a shared address may leave out: they take the value the form first offers.
DEFAULTED = ("kind", "month", "year", "financial_year", "quarter", "breakdown")


class DashboardForm(forms.Form):
    # Every field is required (so none is labelled optional); the form drops the errors of fields that the chosen
    # kind of period does not read.
    kind = forms.ChoiceField(
        label=_("Period"),
        choices=PERIOD_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--small govuk-radios--inline"}),
        initial=PeriodKind.YEAR.value,
        error_messages={"required": _("Choose a period"), "invalid_choice": _("Choose a period")},
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        help_text=_("For a month"),
        choices=sorted(MONTHS.items()),
        coerce=int,
        error_messages={"required": _("Choose a month"), "invalid_choice": _("Choose a month")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        help_text=_("For a month, for example 2026"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter the year of the month"),
            "invalid": _("Enter the year as a number, for example 2026"),
            "min_value": _("Enter a year from 2000 to 2100"),
            "max_value": _("Enter a year from 2000 to 2100"),
        },
    )
    financial_year = forms.TypedChoiceField(
        label=_("Financial year"),
        help_text=_("For a quarter or a financial year, which runs from April to March"),
        coerce=int,
        error_messages={
            "required": _("Choose a financial year"),
            "invalid_choice": _("Choose one of the financial years listed"),
        },
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        help_text=_("For a quarter"),
        choices=QUARTER_CHOICES,
        coerce=int,
        error_messages={"required": _("Choose a quarter"), "invalid_choice": _("Choose a quarter")},
    )
    start = DateField(
        label=_("From"),
        help_text=format_lazy("{} {}", _("For custom dates."), DATE_HINT),
        error_messages={
            "required": _("Enter the date the period starts"),
            "invalid": _("Enter the date the period starts as day/month/year"),
        },
    )
    end = DateField(
        label=_("To"),
        help_text=format_lazy("{} {}", _("For custom dates."), DATE_HINT),
        error_messages={
            "required": _("Enter the date the period ends"),
            "invalid": _("Enter the date the period ends as day/month/year"),
        },
    )
    breakdown = forms.ChoiceField(
        label=_("Break down by"),
        choices=[(dimension.value, label) for dimension, label in DIMENSION_LABELS.items()],
        initial=Dimension.NONE.value,
        error_messages={"invalid_choice": _("Choose one of the breakdowns listed")},
    )

    def __init__(self, data: Any = None, *, breakdown: bool = True) -> None:
        today = _today()
        initial = {
            "month": today.month,
            "year": today.year,
            "financial_year": financial_year_of(today),
            "quarter": _current_quarter(),
        }
        if data is not None:
            data = data.copy()
            for name in DEFAULTED:
                if name not in data:
                    field = self.base_fields[name]
                    data[name] = initial.get(name, field.initial)
        # Ids of their own: the page may hold another form with fields of the same names (the downloads').
        super().__init__(data, initial=initial, auto_id="period_%s")
        financial_year = cast(forms.TypedChoiceField, self.fields["financial_year"])
        financial_year.choices = financial_year_choices()
        if not breakdown:
            del self.fields["breakdown"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Without a kind of period, only that error is worth showing.
        used = USED_BY[PeriodKind(cleaned["kind"])] if "kind" in cleaned else ()
        for name in ("month", "year", "financial_year", "quarter", "start", "end"):
            if name not in used:
                self.errors.pop(name, None)
        if cleaned.get("kind") == PeriodKind.CUSTOM and "start" not in self.errors and "end" not in self.errors:
            start, end = cleaned["start"], cleaned["end"]
            if end < start:
                self.add_error("end", _("The end date must be the same as or after the start date"))
            elif _years_later(start, LONGEST_CUSTOM_YEARS) <= end:
                self.add_error("end", _("Choose a period of at most %(years)s years") % {"years": LONGEST_CUSTOM_YEARS})
        return cleaned

    def period(self) -> Period:
        """The period asked for, or the current financial year when nothing (or nothing valid) was asked for."""
        if not self.is_bound or not self.is_valid():
            return default_period()
        data = self.cleaned_data
        kind = PeriodKind(data["kind"])
        if kind == PeriodKind.MONTH:
            return Period.month(data["year"], data["month"])
        if kind == PeriodKind.QUARTER:
            return Period.quarter(data["financial_year"], data["quarter"])
        if kind == PeriodKind.YEAR:
            return Period.year(data["financial_year"])
        return Period.custom(data["start"], data["end"])

    def dimension(self) -> Dimension:
        """The breakdown asked for, or none."""
        if not self.is_bound or not self.is_valid() or not self.cleaned_data.get("breakdown"):
            return Dimension.NONE
        return Dimension(self.cleaned_data["breakdown"])


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def query_string(period: Period, dimension: Dimension = Dimension.NONE) -> str:
    """The query string that DashboardForm reads back as this period and breakdown (without the "?")."""
    params: dict[str, Any] = {"kind": period.kind.value}
    if period.kind == PeriodKind.MONTH:
        params.update(month=period.start.month, year=period.start.year)
    elif period.kind == PeriodKind.QUARTER:
        params.update(financial_year=financial_year_of(period.start), quarter=period.quarter_number)
    elif period.kind == PeriodKind.YEAR:
        params.update(financial_year=period.start.year)
    else:
        params.update(start=period.start.strftime(DATE_FORMAT), end=period.end.strftime(DATE_FORMAT))
    if dimension != Dimension.NONE:
        params["breakdown"] = dimension.value
    return urlencode(params)
