"""Statistical disclosure control for the commissioner's figures: no count under 5 is shown, nor anything from which
one could be worked back.

The rules, applied until nothing changes:
1. A count from 1 to 4 is suppressed. (A zero identifies no one and is shown.)
2. Where a count is the sum of others (a figure's partitions, and a breakdown's rows adding up to the total), one
   hidden part could be worked back by subtraction, so a second part is hidden with it: the smallest part shown
   that is not zero; when there is none, the whole is hidden.
3. A share, rate or change is hidden when either of its counts is, and when its denominator minus its numerator is
   from 1 to 4 (for example 48 of 50: the 2 who were not would show). In that case the numerator is hidden too.
4. A median, percentile or average is hidden when fewer than 5 values lie behind it, or when that count is hidden.
"""

import copy

from amends.figures.definitions import FigureTable, Kind, Row

THRESHOLD = 5


def is_small(value: object) -> bool:
    return isinstance(value, int) and 0 < value < THRESHOLD


def suppress(table: FigureTable) -> FigureTable:
    """A copy of the table with the suppressed values marked (Row.shown returns None for them)."""
    result = copy.deepcopy(table)
    result.suppressed = True
    rows = [*result.rows, result.total]
    figure = result.figure
    counts = [measure.key for measure in figure.measures if measure.kind == Kind.COUNT]
    for row in rows:
        row.suppressed.update(key for key in counts if is_small(row.values.get(key)))
    changed = True
    while changed:
        changed = False
        for row in rows:
            for whole, parts in figure.partitions:
                changed |= _protect(row, whole, [(row, part) for part in parts])
            changed |= _hide_derived(table, row)
        if result.rows:
            for key in counts:
                changed |= _protect(result.total, key, [(row, key) for row in result.rows])
    return result


def _protect(whole_row: Row, whole: str, parts: list[tuple[Row, str]]) -> bool:
    """Rule 2 for one whole and its parts; whether anything more was hidden."""
    hidden = [(row, key) for row, key in parts if key in row.suppressed]
    if len(hidden) != 1 or whole in whole_row.suppressed:
        return False
    candidates = [
        (row.values.get(key) or 0, index) for index, (row, key) in enumerate(parts) if key not in row.suppressed
    ]
    candidates = [(value, index) for value, index in candidates if value]
    if candidates:
        _value, index = min(candidates)
        row, key = parts[index]
        row.suppressed.add(key)
    else:
        whole_row.suppressed.add(whole)
    return True


def _hide_derived(table: FigureTable, row: Row) -> bool:
    """Rules 3 and 4 for one row; whether anything more was hidden."""
    changed = False
    for measure in table.figure.measures:
        if measure.key in row.suppressed:
            continue
        hide = False
        if measure.kind in {Kind.SHARE, Kind.RATE, Kind.CHANGE}:
            numerator, denominator = measure.numerator or "", measure.denominator or ""
            if numerator in row.suppressed or denominator in row.suppressed:
                hide = True
            elif measure.kind == Kind.SHARE:
                top, bottom = row.values.get(numerator) or 0, row.values.get(denominator) or 0
                if is_small(bottom - top):
                    hide = True
                    row.suppressed.add(numerator)
        elif measure.kind in {Kind.DAYS, Kind.MEAN}:
            base = measure.base or ""
            hide = base in row.suppressed or (row.values.get(base) or 0) < THRESHOLD
        if hide:
            row.suppressed.add(measure.key)
            changed = True
    return changed
