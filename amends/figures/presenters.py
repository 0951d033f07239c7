"""How a figure's values are rounded and written: one place, so the screen, CSV, XLSX and PDF show the same numbers.

`rounded` gives the number as it is published (shares as a percentage to one decimal place, days and averages to
one decimal place, rates to two); `display` writes it for people. Suppressed values and values with nothing behind
them are never numbers.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from amends.figures.definitions import Kind, Measure, Row

SUPPRESSED = "[c]"
NO_DATA = "-"
SUPPRESSED_NOTE = _("[c]: hidden, because the count is under 5 or would let one under 5 be worked out.")
NO_DATA_NOTE = _("-: nothing to measure in this period.")

# Decimal places of each kind of value, as published.
PLACES = {Kind.SHARE: 1, Kind.CHANGE: 1, Kind.DAYS: 1, Kind.MEAN: 1, Kind.RATE: 2, Kind.HOURS: 1}


def _round(value: float, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rounded(measure: Measure, row: Row) -> int | Decimal | None:
    """The value as published: an int for counts; a Decimal percentage (85.7) for shares and changes; a Decimal
    for the rest. None when suppressed or when there is nothing to measure."""
    value = row.shown(measure.key)
    if value is None:
        return None
    if measure.kind == Kind.COUNT:
        return int(value)
    if measure.kind in {Kind.SHARE, Kind.CHANGE}:
        return _round(float(value) * 100, PLACES[measure.kind])
    return _round(float(value), PLACES[measure.kind])


def is_suppressed(measure: Measure, row: Row) -> bool:
    return measure.key in row.suppressed


def display(measure: Measure, row: Row) -> str:
    """The value written for people, in the active language's number format."""
    if is_suppressed(measure, row):
        return SUPPRESSED
    value = rounded(measure, row)
    if value is None:
        return NO_DATA
    if measure.kind == Kind.COUNT:
        return number_format(value, force_grouping=True)
    text = number_format(value, PLACES[measure.kind], force_grouping=True)
    if measure.kind == Kind.SHARE:
        return f"{text}%"
    if measure.kind == Kind.CHANGE:
        return f"+{text}%" if value > 0 else f"{text}%"
    return text


def export_value(measure: Measure, row: Row) -> Any:
    """The value for a spreadsheet cell: the published number, or the same marks the screen shows."""
    if is_suppressed(measure, row):
        return SUPPRESSED
    value = rounded(measure, row)
    return NO_DATA if value is None else value


def unit_suffix(measure: Measure) -> str:
    """What a spreadsheet column header adds so a bare number is not misread."""
    return {Kind.SHARE: " (%)", Kind.CHANGE: " (%)"}.get(measure.kind, "")
