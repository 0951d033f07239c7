"""Statistical disclosure control for the commissioner's figures: no count under 5 is shown, nor anything from which
one could be worked back.

The rules, applied until nothing changes:
1. A count from 1 to 4 is suppressed. (A zero identifies no one and is shown.)
2. Where a count is the sum of others (a figure's partitions, and a breakdown's rows adding up to the total), one
   hidden part could be worked back by subtraction, so a second part is hidden with it: the smallest part shown
   that is not zero; when there is none, the whole is hidden.
3. Where one count lies inside another (a figure's chains: people offered RJ are among the people harmed; a
   share's numerator is inside its denominator), a gap from 1 to 4 between two counts shown is itself a small count
   (48 of 50: the 2 who were not), so the inner count is hidden.
4. A share, rate or change is hidden when either of its counts is.
5. A median, percentile or average is hidden when 1 to 4 values lie behind it, or when that count is hidden.
6. Across the tables of one dashboard, the same count in two figures (the referrals received are the funnel's first
   step) is hidden in both when either hides it.
"""

import copy
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from amends.figures.definitions import FigureTable, Kind, Row

# Counts that two figures both hold, for the same rows: (figure, measure) pairs that are always equal.
SAME_COUNTS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("referrals", "received"), ("victims_code", "referrals"), ("funnel", "step_0")),
    (("referrals", "accepted"), ("funnel", "step_1")),
)

THRESHOLD = 5

# The rules above, as "About these figures" tells them.
RULES = (
    _("A count from 1 to 4 is hidden. A count of 0 identifies nobody and is shown."),
    _(
        "Where counts add up to another (the parts of a total, or the rows of a breakdown and their total), a second "
        "count is hidden with a hidden one, so that it cannot be worked out by subtraction."
    ),
    _(
        "Where one count lies inside another (people offered RJ are among the people harmed), a difference from 1 to "
        "4 between them is itself a small count (48 of 50 would show the 2 who were not), so the inner count is "
        "hidden."
    ),
    _("A share, rate or change is hidden when either of its counts is."),
    _("A median, percentile or average is hidden when it is worked out from fewer than 5 values."),
    _("The same count in two figures (the referrals received are also the funnel's first step) is hidden in both."),
)


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
            for chain in (*figure.chains, *_share_pairs(table)):
                changed |= _close_gaps(row, chain)
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


def _share_pairs(table: FigureTable) -> list[tuple[str, str]]:
    return [
        (measure.denominator or "", measure.numerator or "")
        for measure in table.figure.measures
        if measure.kind == Kind.SHARE
    ]


def _close_gaps(row: Row, chain: tuple[str, ...]) -> bool:
    """Rule 3 for one chain of counts, outer first; whether anything more was hidden."""
    changed = False
    for index, outer in enumerate(chain):
        for inner in chain[index + 1 :]:
            if outer in row.suppressed or inner in row.suppressed:
                continue
            if is_small((row.values.get(outer) or 0) - (row.values.get(inner) or 0)):
                row.suppressed.add(inner)
                changed = True
    return changed


def _hide_derived(table: FigureTable, row: Row) -> bool:
    """Rules 4 and 5 for one row; whether anything more was hidden."""
    changed = False
    for measure in table.figure.measures:
        if measure.key in row.suppressed:
            continue
        hide = False
        if measure.kind in {Kind.SHARE, Kind.RATE, Kind.CHANGE}:
            hide = (measure.numerator or "") in row.suppressed or (measure.denominator or "") in row.suppressed
        elif measure.kind in {Kind.DAYS, Kind.MEAN}:
            base = measure.base or ""
            # With nothing behind it there is no value to hide: it shows as "-", not as a secret.
            hide = base in row.suppressed or 0 < (row.values.get(base) or 0) < THRESHOLD
        if hide:
            row.suppressed.add(measure.key)
            changed = True
    return changed


def twins_of(figure_key: str) -> list[str]:
    """The other figures that hold one of this figure's counts."""
    found: list[str] = []
    for same in SAME_COUNTS:
        keys = [figure for figure, _measure in same]
        if figure_key in keys:
            found += [key for key in keys if key != figure_key and key not in found]
    return found


def suppress_all(tables: Iterable[FigureTable]) -> list[FigureTable]:
    """Every table of one dashboard suppressed, with rule 6 across them, until nothing more is hidden."""
    result = [suppress(table) for table in tables]
    while True:
        by_key = {table.figure.key: table for table in result}
        spread = False
        for same in SAME_COUNTS:
            present = [(by_key[figure], measure) for figure, measure in same if figure in by_key]
            for table, measure in present:
                for other, other_measure in present:
                    spread |= _spread(table, measure, other, other_measure)
        if not spread:
            return result
        result = [suppress(table) for table in result]


def _spread(table: FigureTable, measure: str, other: FigureTable, other_measure: str) -> bool:
    """Hide in `other` what `table` hides of the same count, row by row; whether anything more was hidden."""
    pairs = [(table.total, other.total)]
    if table.dimension == other.dimension:
        rows = {row.key: row for row in other.rows}
        pairs += [(row, rows[row.key]) for row in table.rows if row.key in rows]
    changed = False
    for row, twin in pairs:
        if measure in row.suppressed and other_measure not in twin.suppressed:
            twin.suppressed.add(other_measure)
            changed = True
    return changed
