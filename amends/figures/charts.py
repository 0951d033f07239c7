"""Charts of the dashboards' tables, drawn on the server as SVG (pygal, with no script) and shown as images.

Each chart draws numbers its table already holds, written the same way (presenters), with a title and a sentence
describing them. Hidden (suppressed) values and values with nothing behind them are not drawn, and the description
says which.
"""

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from amends.figures import presenters
from amends.figures.dashboards import STOPS
from amends.figures.definitions import FUNNEL, FigureTable, Kind, Measure, Row
from amends.figures.dimensions import DIMENSION_LABELS

# GOV.UK's blue for the bars; the rest of the palette for charts with more than one series.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92")
TEXT = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"
WIDTH = 800
BAR_HEIGHT = 36
# Figures whose chart follows their steps (the total at each), whatever the breakdown.
STEP_FIGURES = frozenset({FUNNEL.key, STOPS.key})

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle="#b1b4b6",
    opacity="1",
    opacity_hover="1",
    colors=PALETTE,
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    title_font_family=FONT,
    title_font_size=20,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    no_data_font_size=20,
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not drawn
    text: str  # the value as the table writes it
    hidden: bool = False


@dataclass(frozen=True)
class Chart:
    """A chart and the words that stand for it. `svg` is empty when there is nothing to draw."""

    id: str
    title: str
    description: str
    svg: str

    @property
    def data_uri(self) -> str:
        """The SVG as a data: address for an <img> (the CSP allows data: images and no inline SVG styles)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def chart_measure(table: FigureTable) -> Measure | None:
    """The measure a table's chart draws across its rows: the figure's chart, or its first count."""
    figure = table.figure
    if figure.chart:
        return figure.measure(figure.chart)
    return next((measure for measure in figure.measures if measure.kind == Kind.COUNT), None)


def _bar(label: str, measure: Measure, row: Row) -> Bar:
    value = presenters.rounded(measure, row)
    return Bar(
        label=label,
        value=None if value is None else float(value),
        text=presenters.display(measure, row),
        hidden=presenters.is_suppressed(measure, row),
    )


def bars(table: FigureTable) -> tuple[str, list[Bar], Measure | None]:
    """The chart's title and bars: each breakdown row's chart measure, or (without a breakdown, and for the steps
    of the funnel) each measure of the total of the same kind as the chart measure. The measure returned sets the
    chart's scale (a share runs from 0 to 100)."""
    figure = table.figure
    measure = chart_measure(table)
    if table.rows and measure is not None and figure.key not in STEP_FIGURES:
        title = _("%(measure)s, by %(breakdown)s") % {
            "measure": measure.label,
            "breakdown": lower_first(str(DIMENSION_LABELS[table.dimension])),
        }
        return title, [_bar(row.label, measure, row) for row in table.rows], measure
    # Without a breakdown: every measure of the chart measure's kind (the shares of the feedback, say, or the counts).
    kind = Kind.COUNT if measure is None or figure.key in STEP_FIGURES else measure.kind
    alike = [m for m in figure.measures if m.kind == kind]
    return str(figure.title), [_bar(str(m.label), m, table.total) for m in alike], alike[0] if alike else None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def describe(title: str, found: Sequence[Bar]) -> str:
    """One or two sentences saying what the chart shows, value by value, and what it leaves out."""
    drawn = [bar for bar in found if bar.value is not None]
    hidden = [bar.label for bar in found if bar.hidden]
    empty = [bar.label for bar in found if bar.value is None and not bar.hidden]
    sentences = []
    if drawn:
        values = ", ".join(f"{bar.label} {bar.text}" for bar in drawn)
        sentences.append(_("%(title)s: %(values)s.") % {"title": title, "values": values})
    else:
        sentences.append(_("%(title)s: nothing to draw.") % {"title": title})
    if hidden:
        sentences.append(_("Not drawn, because hidden: %(labels)s.") % {"labels": ", ".join(hidden)})
    if empty:
        sentences.append(
            _("Not drawn, because there is nothing to measure: %(labels)s.") % {"labels": ", ".join(empty)}
        )
    return " ".join(sentences)


def draw(title: str, found: Sequence[Bar], measure: Measure | None) -> str:
    """The SVG of a horizontal bar chart of the bars that have a value (the first at the top)."""
    drawn = [bar for bar in found if bar.value is not None]
    if not drawn:
        return ""
    options: dict[str, Any] = {}
    kind = Kind.COUNT if measure is None else measure.kind
    if kind == Kind.SHARE:
        options.update(range=(0, 100), y_labels=list(range(0, 101, 10)))
    elif kind == Kind.COUNT:
        # Whole numbers only along the axis: nobody counts 0.2 of a referral.
        largest = max(1, ceil(max(bar.value or 0 for bar in drawn)))
        step = ceil(largest / 10)
        options.update(range=(0, largest), y_labels=list(range(0, largest + step, step)))
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        width=WIDTH,
        height=120 + BAR_HEIGHT * len(drawn),
        style=STYLE,
        title=title,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        truncate_label=-1,
        truncate_legend=-1,
        show_y_guides=False,
        margin=16,
        **options,
    )
    # pygal draws the first value at the bottom: reverse, so the chart reads top to bottom like the table.
    ordered = list(reversed(drawn))
    chart.x_labels = [bar.label for bar in ordered]
    chart.add(
        title,
        [{"value": bar.value, "formatter": (lambda _value, text=bar.text: text)} for bar in ordered],
    )
    svg: str = chart.render(is_unicode=True)
    # pygal always writes a small configuration script; an image never runs it, and it is better not there at all.
    return _SCRIPT.sub("", svg)


def chart_for(table: FigureTable) -> Chart:
    """The chart of a dashboard table, with its title and description."""
    title, found, measure = bars(table)
    return Chart(
        id=f"chart-{table.figure.key}",
        title=title,
        description=describe(title, found),
        svg=draw(title, found, measure),
    )
