"""A dashboard, or any book of figure tables, written as CSV, XLSX or PDF: the same rounded numbers as the screen.

Every value goes through presenters.export_value (CSV, XLSX) or presenters.display (PDF), as the screen does, so a
number cannot differ between them. The files carry figures only: labels of breakdowns, never a person or a case.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.figures import charts, presenters
from amends.figures.charts import Chart
from amends.figures.dashboards import STOPS, Dashboard, View
from amends.figures.definitions import Figure, FigureTable, Kind, Measure, Row
from amends.figures.dimensions import DIMENSION_LABELS
from amends.figures.models import ExportFormat
from amends.figures.periods import Period

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}

EVERY_BREAKDOWN = gettext_lazy("Every breakdown, one after another")

# Excel number formats of the published values (see presenters.PLACES).
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.SHARE: "0.0",
    Kind.CHANGE: "+0.0;-0.0;0.0",
    Kind.DAYS: "0.0",
    Kind.MEAN: "0.0",
    Kind.RATE: "0.00",
    Kind.HOURS: "0.0",
}
# A spreadsheet reads a cell starting with these as a formula: labels typed by people must not run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LENGTH = 31


@dataclass
class Sheet:
    """One figure and its tables: one per breakdown (the total alone, or the total and each breakdown)."""

    figure: Figure
    tables: list[FigureTable]


@dataclass
class Book:
    """What an export holds: a title, the period, the figures, and the notes a reader needs."""

    title: str
    period: Period
    breakdown: str
    suppressed: bool
    generated_at: datetime.datetime
    sheets: list[Sheet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def about(self) -> list[tuple[str, str]]:
        """The header block: what the file is, for which period and breakdown, and when it was made."""
        return [
            (_("Title"), self.title),
            (_("Period"), self.period.label),
            (_("Breakdown"), self.breakdown),
            (_("Prepared"), date_format(timezone.localtime(self.generated_at), "j F Y, H:i")),
        ]

    def all_notes(self) -> list[str]:
        marks = [str(presenters.SUPPRESSED_NOTE)] if self.suppressed else []
        return [*self.notes, *marks, str(presenters.NO_DATA_NOTE)]


def book_from_dashboard(dashboard: Dashboard, *, title: str, generated_at: datetime.datetime) -> Book:
    """The dashboard as it is on the screen: each figure with the dashboard's one breakdown."""
    return Book(
        title=title,
        period=dashboard.period,
        breakdown=str(DIMENSION_LABELS[dashboard.dimension]),
        suppressed=dashboard.suppressed,
        generated_at=generated_at,
        sheets=[Sheet(table.figure, [table]) for table in dashboard.tables],
        notes=notes_for(dashboard.view),
    )


def notes_for(view: View) -> list[str]:
    if view == View.COMMISSIONER:
        return [_("No count under 5 is shown, nor anything from which one could be worked out.")]
    return [_("Unsuppressed figures for the service's own use: do not publish them as they are.")]


# Cells ------------------------------------------------------------------------------------------------------------


def head(table: FigureTable) -> list[str]:
    """The header row, as the dashboard heads its table: what the rows are, then each measure with its unit."""
    if table.figure is STOPS:
        first = _("Why it stopped")
    elif table.rows:
        first = str(DIMENSION_LABELS[table.dimension])
    else:
        first = _("Period")
    return [first, *(f"{measure.label}{presenters.unit_suffix(measure)}" for measure in table.measures)]


def rows_of(table: FigureTable) -> list[Row]:
    """The breakdown's rows, then the total."""
    return [*table.rows, table.total]


def row_label(table: FigureTable, row: Row) -> str:
    """A row's label as the dashboard writes it: a table without a breakdown has one row, for the period."""
    if row is table.total and not table.rows:
        return table.period.label
    return row.label


def values(table: FigureTable, row: Row) -> list[Any]:
    return [presenters.export_value(measure, row) for measure in table.measures]


def safe_text(text: str) -> str:
    """A label that a spreadsheet will show as text, never run as a formula."""
    if text.startswith(FORMULA_STARTS) and text != presenters.NO_DATA:
        return f"'{text}"
    return text


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    return value


def file_name(view: str, period: Period, extension: str, *parts: str) -> str:
    """amends-figures-<view>-<period>[-<part>…].<extension>: no name of a person, a case or a place."""
    pieces = ["amends-figures", view, period.slug, *(re.sub(r"[^a-z0-9_-]", "", part.lower()) for part in parts)]
    return "-".join(piece for piece in pieces if piece) + f".{extension}"


# CSV ---------------------------------------------------------------------------------------------------------------


def book_csv(book: Book) -> bytes:
    """One CSV: the header block and notes, then a section for each figure (its title, then each table)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, value in book.about():
        writer.writerow([label, safe_text(value)])
    for note in book.all_notes():
        writer.writerow([_("Note"), safe_text(note)])
    for sheet in book.sheets:
        writer.writerow([])
        writer.writerow([str(sheet.figure.title)])
        for table in sheet.tables:
            writer.writerow(head(table))
            for row in rows_of(table):
                writer.writerow([safe_text(row_label(table, row)), *(_csv_cell(value) for value in values(table, row))])
    # With a byte-order mark, spreadsheets read Welsh letters (ŵ, ŷ) as they are.
    return buffer.getvalue().encode("utf-8-sig")


def to_csv(dashboard: Dashboard, *, title: str, generated_at: datetime.datetime) -> bytes:
    return book_csv(book_from_dashboard(dashboard, title=title, generated_at=generated_at))


# XLSX --------------------------------------------------------------------------------------------------------------


def sheet_name(index: int, title: str) -> str:
    """A worksheet name Excel accepts: 31 characters at most, none of []:*?/\\; the number keeps it unique."""
    cleaned = re.sub(r"[\[\]:*?/\\']", "", f"{index}. {title}").strip()
    return cleaned[:SHEET_NAME_LENGTH].rstrip(" ,;.-")


def _set_cell(worksheet: Any, row: int, column: int, value: Any, measure: Measure | None = None) -> Any:
    cell = worksheet.cell(row=row, column=column)
    if isinstance(value, str):
        # openpyxl stores any string starting with "=" as a formula: keep every label and mark as text.
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.value = float(value)
    else:
        cell.value = value
    if measure is not None and not isinstance(value, str):
        cell.number_format = NUMBER_FORMATS[measure.kind]
    return cell


def _widths(worksheet: Any, widths: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)


def _about_sheet(worksheet: Any, book: Book, names: dict[str, str], bold: Any, wrap: Any) -> None:
    worksheet.title = _("About")
    line = 1
    _set_cell(worksheet, line, 1, book.title).font = bold
    line += 2
    for label, value in book.about():
        _set_cell(worksheet, line, 1, label).font = bold
        _set_cell(worksheet, line, 2, value)
        line += 1
    line += 1
    _set_cell(worksheet, line, 1, _("Notes")).font = bold
    line += 1
    for note in book.all_notes():
        _set_cell(worksheet, line, 1, note)
        line += 1
    line += 1
    _set_cell(worksheet, line, 1, _("What each figure counts")).font = bold
    line += 1
    headers = (_("Figure"), _("Sheet"), _("Counts"), _("Period"), _("Numerator"), _("Denominator"), _("Left out"))
    for column, label in enumerate(headers, start=1):
        _set_cell(worksheet, line, column, label).font = bold
    for sheet in book.sheets:
        line += 1
        figure = sheet.figure
        texts = (
            figure.title,
            names[figure.key],
            figure.counts,
            figure.period_rule,
            figure.numerator,
            figure.denominator,
            figure.left_out,
        )
        for column, text in enumerate(texts, start=1):
            _set_cell(worksheet, line, column, str(text)).alignment = wrap
    _widths(worksheet, {1: 40, 2: 30, 3: 30, 4: 40, 5: 60, 6: 50, 7: 50})


def _figure_sheet(worksheet: Any, sheet: Sheet, bold: Any) -> None:
    line = 1
    _set_cell(worksheet, line, 1, str(sheet.figure.title)).font = bold
    widths: dict[int, int] = {1: len(str(sheet.figure.title)) // 2}
    line += 1
    for index, table in enumerate(sheet.tables):
        line += 1
        header_line = line
        for column, label in enumerate(head(table), start=1):
            _set_cell(worksheet, line, column, label).font = bold
            widths[column] = max(widths.get(column, 0), min(len(label), 30))
        for row in rows_of(table):
            line += 1
            label = row_label(table, row)
            cell = _set_cell(worksheet, line, 1, label)
            if row is table.total:
                cell.font = bold
            widths[1] = max(widths[1], len(label))
            for column, (measure, value) in enumerate(zip(table.measures, values(table, row), strict=True), start=2):
                _set_cell(worksheet, line, column, value, measure)
        if index == 0:
            # The first table's header stays in view while scrolling, and so do the row labels.
            worksheet.freeze_panes = worksheet.cell(row=header_line + 1, column=2)
        line += 1
    _widths(worksheet, widths)


def book_xlsx(book: Book) -> bytes:
    """A workbook: an About sheet (what, when, the notes and every figure's definition), then a sheet per figure."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    names = {
        sheet.figure.key: sheet_name(index, str(sheet.figure.title)) for index, sheet in enumerate(book.sheets, start=1)
    }
    _about_sheet(workbook.active, book, names, bold, wrap)
    for sheet in book.sheets:
        _figure_sheet(workbook.create_sheet(names[sheet.figure.key]), sheet, bold)
    workbook.properties.title = book.title
    workbook.properties.creator = "Amends"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_xlsx(dashboard: Dashboard, *, title: str, generated_at: datetime.datetime) -> bytes:
    return book_xlsx(book_from_dashboard(dashboard, title=title, generated_at=generated_at))


# PDF ---------------------------------------------------------------------------------------------------------------


@dataclass
class PrintedTable:
    caption: str
    head: list[str]
    rows: list[list[str]]
    numeric_columns: list[int]


@dataclass
class PrintedFigure:
    title: str
    counts: str
    chart: Chart | None
    tables: list[PrintedTable]


def printed_table(table: FigureTable, caption: str) -> PrintedTable:
    return PrintedTable(
        caption=caption,
        head=head(table),
        rows=[[row_label(table, row), *(presenters.display(m, row) for m in table.measures)] for row in rows_of(table)],
        numeric_columns=list(range(2, len(table.measures) + 2)),
    )


def _chart(table: FigureTable) -> Chart | None:
    """The dashboard's chart of the table (the same SVG as the screen), or None when there is nothing to draw."""
    chart = charts.chart_for(table)
    return chart if chart.svg else None


def printed_figures(sheets: Iterable[Sheet]) -> list[PrintedFigure]:
    figures = []
    for sheet in sheets:
        tables = [
            printed_table(table, str(DIMENSION_LABELS[table.dimension]) if len(sheet.tables) > 1 else "")
            for table in sheet.tables
        ]
        chart = _chart(sheet.tables[0]) if sheet.tables else None
        figures.append(PrintedFigure(str(sheet.figure.title), str(sheet.figure.counts), chart, tables))
    return figures


def print_html(book: Book) -> str:
    """The HTML the PDF is printed from, in the active language."""
    return render_to_string(
        "figures/print.html",
        {
            "language": translation.get_language() or "en",
            "book": book,
            "about": book.about(),
            "notes": book.all_notes(),
            "figures": printed_figures(book.sheets),
        },
    )


def book_pdf(book: Book) -> bytes:
    # WeasyPrint loads Pango when imported: only printing needs it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=print_html(book)).write_pdf()
    return pdf


def to_pdf(dashboard: Dashboard, *, title: str, generated_at: datetime.datetime) -> bytes:
    return book_pdf(book_from_dashboard(dashboard, title=title, generated_at=generated_at))


WRITERS = {ExportFormat.CSV: book_csv, ExportFormat.XLSX: book_xlsx, ExportFormat.PDF: book_pdf}


def write(book: Book, file_format: str) -> bytes:
    return WRITERS[ExportFormat(file_format)](book)


# Responses ---------------------------------------------------------------------------------------------------------


def attachment(data: bytes, *, file_format: str, name: str) -> HttpResponse:
    """A file to save, never shown or sniffed by the browser, never kept by a cache."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[ExportFormat(file_format)])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
