"""Downloads of the dashboards: CSV, XLSX and PDF hold the numbers the screen shows, commissioners' files are
suppressed and hold no personal data, and only those who may open a dashboard may download it."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from amends.accounts.models import Partnership, Service
from amends.cases.models import Case
from amends.figures import exports, presenters
from amends.figures.dashboards import Dashboard, View, build
from amends.figures.definitions import FigureTable, Kind, Scope
from amends.figures.dimensions import DIMENSION_LABELS, Dimension
from amends.figures.periods import Period, PeriodKind
from amends.referrals import services as referral_services
from tests.case_builders import make_referral
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HARMED = {"given_name": "Zebedee", "family_name": "Quartermaine", "date_of_birth": datetime.date(1980, 5, 1)}
RESPONSIBLE = {"given_name": "Ottoline", "family_name": "Vanderbilt", "date_of_birth": datetime.date(1990, 2, 3)}
NAMES = ("Zebedee", "Quartermaine", "Ottoline", "Vanderbilt")
FORMATS = ("csv", "xlsx", "pdf")
NOW = datetime.datetime(2026, 11, 28, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def private_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    return tmp_path / "private"


def _referrals(personas: Personas, count: int, accepted: int = 0) -> list[Case]:
    """Referrals of the service, received today; the first `accepted` of them accepted (their cases returned)."""
    cases = []
    for number in range(count):
        referral = make_referral(
            service=personas.service,
            actor=personas.coordinator,
            crime_reference=f"CRIME/{number}",
            harmed=HARMED,
            responsible=RESPONSIBLE,
        )
        if number < accepted:
            cases.append(
                referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope")
            )
    return cases


def _period() -> Period:
    return Period.containing(PeriodKind.YEAR, timezone.localdate())


def _dashboard(personas: Personas, view: View = View.SERVICE, dimension: Dimension = Dimension.NONE) -> Dashboard:
    return build(view, Scope((personas.service.pk,)), _period(), dimension)


def _csv_sections(data: bytes) -> dict[str, list[list[str]]]:
    """The CSV's lines after each figure's title line, up to the blank line before the next."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if not line:
            current = None
        elif current is None and len(line) == 1:
            current = sections.setdefault(line[0], [])
        elif current is not None:
            current.append(line)
    return sections


def _expected_rows(table: FigureTable) -> list[list[Any]]:
    return [
        [exports.row_label(table, row), *(presenters.export_value(m, row) for m in table.measures)]
        for row in exports.rows_of(table)
    ]


def test_the_csv_holds_the_screens_numbers_figure_by_figure(personas: Personas) -> None:
    _referrals(personas, 7, accepted=2)
    dashboard = _dashboard(personas, dimension=Dimension.SOURCE)
    data = exports.to_csv(dashboard, title="Figures: Severn", generated_at=NOW)
    text = data.decode("utf-8-sig")
    assert text.startswith("Title,Figures: Severn\r\n")
    assert f"Period,{_period().label}" in text
    assert "Breakdown,Referral source" in text
    assert str(presenters.SUPPRESSED_NOTE) not in text
    sections = _csv_sections(data)
    assert len(sections) == len(dashboard.tables)
    for table in dashboard.tables:
        lines = sections[str(table.figure.title)]
        assert lines[0] == exports.head(table)
        assert lines[1:] == [[str(cell) for cell in row] for row in _expected_rows(table)]
    referrals = sections["Referrals received"]
    assert referrals[0][0] == "Referral source"
    assert referrals[-1][:3] == ["Total", "7", "2"]
    # Shares are the published percentage, with the unit in the header.
    funnel = next(table for table in dashboard.tables if table.figure.key == "funnel")
    share = funnel.figure.measure("completed_share")
    assert f"{share.label} (%)" in sections[str(funnel.figure.title)][0]


def test_the_xlsx_holds_the_screens_numbers_as_numbers(personas: Personas) -> None:
    _referrals(personas, 7, accepted=2)
    dashboard = _dashboard(personas)
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(dashboard, title="Figures: Severn", generated_at=NOW)))
    assert workbook.sheetnames[0] == "About"
    assert len(workbook.sheetnames) == len(dashboard.tables) + 1
    about = [[cell for cell in row if cell is not None] for row in workbook["About"].iter_rows(values_only=True)]
    assert ["Period", _period().label] in about
    assert any(row and row[0] == "Referrals received" and "Referrals" in row for row in about)
    for index, table in enumerate(dashboard.tables, start=1):
        sheet = workbook.worksheets[index]
        assert sheet["A1"].value == str(table.figure.title)
        header = [cell.value or "" for cell in sheet[3]]
        assert header == exports.head(table)
        assert all(cell.font.bold for cell in sheet[3])
        assert sheet.freeze_panes == "B4"
        for offset, expected in enumerate(_expected_rows(table)):
            cells = sheet[4 + offset]
            assert cells[0].value == expected[0]
            for cell, value, measure in zip(cells[1:], expected[1:], table.measures, strict=True):
                if isinstance(value, str):
                    assert cell.value == value
                    assert cell.data_type == "s"
                else:
                    assert cell.value == pytest.approx(float(value))
                    assert cell.number_format == exports.NUMBER_FORMATS[measure.kind]
    # 2 of 7 accepted: the share completed is 0.0 (a number, formatted "0.0"), and "Received" is 7.
    funnel = workbook.worksheets[[t.figure.key for t in dashboard.tables].index("funnel") + 1]
    assert funnel["B4"].value == 7
    share_column = [t.figure.key for t in dashboard.tables].index("funnel")
    shares = [m.kind for m in dashboard.tables[share_column].measures]
    share_cell = funnel.cell(row=4, column=shares.index(Kind.SHARE) + 2)
    assert share_cell.value == 0
    assert share_cell.number_format == "0.0"


def test_the_pdf_is_printed_from_the_same_strings_as_the_screen(personas: Personas) -> None:
    _referrals(personas, 7, accepted=2)
    dashboard = _dashboard(personas, View.COMMISSIONER, Dimension.SOURCE)
    book = exports.book_from_dashboard(dashboard, title="Figures for commissioners: Severn", generated_at=NOW)
    html = exports.print_html(book)
    assert "size: A4 landscape" in html
    assert str(presenters.SUPPRESSED_NOTE).replace("'", "&#x27;") in html
    for table in dashboard.tables:
        assert str(table.figure.title).replace("'", "&#x27;") in html
        for row in exports.rows_of(table):
            for measure in table.measures:
                assert f'<td class="numeric">{presenters.display(measure, row)}</td>' in html
    assert "[c]" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert exports.to_pdf(dashboard, title="Figures", generated_at=NOW).startswith(b"%PDF")


def test_a_label_typed_by_someone_is_never_a_formula(personas: Personas) -> None:
    assert exports.safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert exports.safe_text("-") == "-"
    assert exports.safe_text("Stroud") == "Stroud"


def test_the_commissioners_download_is_suppressed_and_names_nobody(personas: Personas) -> None:
    cases = _referrals(personas, 7, accepted=2)
    client = signed_in_client(personas.commissioner)
    base = f"/figures/commissioner/services/{personas.service.pk}/export"
    for file_format in FORMATS:
        response = client.get(f"{base}.{file_format}?kind=year&breakdown=source")
        assert response.status_code == 200, file_format
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert personas.service.name.split()[0] not in response["Content-Disposition"]
    data = client.get(f"{base}.csv?kind=year&breakdown=source").content.decode("utf-8-sig")
    assert "[c]" in data
    assert str(presenters.SUPPRESSED_NOTE) in data
    for text in (*NAMES, *(case.reference for case in cases), "CRIME/"):
        assert text not in data
    workbook = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?kind=year").content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "[c]" in cells
    assert not any(isinstance(cell, str) and any(name in cell for name in NAMES) for cell in cells)


def test_the_download_takes_the_pages_period_and_breakdown(personas: Personas) -> None:
    _referrals(personas, 3)
    client = signed_in_client(personas.coordinator)
    url = f"/figures/services/{personas.service.pk}/export.csv?kind=year&breakdown=source"
    response = client.get(url)
    period = _period()
    assert response["Content-Disposition"] == (
        f'attachment; filename="amends-figures-service-{period.slug}-source.csv"'
    )
    sections = _csv_sections(response.content)
    assert sections["Referrals received"][0][0] == str(DIMENSION_LABELS[Dimension.SOURCE])
    assert sections["Referrals received"][-1][:2] == ["Total", "3"]
    # Another month: nothing received then.
    earlier = client.get(f"/figures/services/{personas.service.pk}/export.csv?kind=month&month=1&year=2020")
    assert _csv_sections(earlier.content)["Referrals received"][-1][1] == "0"


def test_the_partnership_download_puts_the_services_side_by_side(personas: Personas) -> None:
    _referrals(personas, 3)
    client = signed_in_client(personas.partnership_lead)
    response = client.get(f"/figures/partnerships/{personas.partnership.pk}/export.csv")
    assert response.status_code == 200
    referrals = _csv_sections(response.content)["Referrals received"]
    assert referrals[0][0] == "Service"
    assert referrals[1][:2] == [personas.service.name, "3"]


def _export_paths(personas: Personas) -> list[str]:
    service, partnership = personas.service.pk, personas.partnership.pk
    dashboards = (
        f"/figures/services/{service}/",
        f"/figures/partnerships/{partnership}/",
        f"/figures/commissioner/services/{service}/",
        f"/figures/commissioner/partnerships/{partnership}/",
    )
    return [f"{d}export.{f}" for d in dashboards for f in FORMATS] + [f"{d}prepare/" for d in dashboards]


@pytest.mark.parametrize("role", ["facilitator", "supervisor", "referrer", "administrator", "outsider"])
def test_those_who_may_not_open_a_dashboard_get_404_for_its_downloads(personas: Personas, role: str) -> None:
    client = signed_in_client(getattr(personas, role))
    for path in _export_paths(personas):
        assert client.get(path).status_code == 404, path
    assert client.post(_export_paths(personas)[-1], {}).status_code == 404


def test_a_commissioner_gets_only_the_commissioners_downloads(personas: Personas) -> None:
    client = signed_in_client(personas.commissioner)
    for path in _export_paths(personas):
        expected = 200 if "/commissioner/" in path else 404
        assert client.get(path).status_code == expected, path


def test_a_service_of_another_partnership_is_not_downloaded_through_ours(personas: Personas) -> None:
    other: Partnership = Partnership.objects.create(name="Elsewhere", lead_organisation=personas.service.organisation)
    other.services.add(Service.objects.get(pk=personas.other_service.pk))
    client = signed_in_client(personas.partnership_lead)
    assert client.get(f"/figures/partnerships/{other.pk}/export.csv").status_code == 404
    assert client.get(f"/figures/services/{personas.other_service.pk}/export.csv").status_code == 404
    assert client.get(f"/figures/services/{personas.service.pk}/export.txt").status_code == 404


def test_the_dashboard_offers_its_downloads_and_the_prepare_form(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    html = client.get(f"/figures/services/{personas.service.pk}/?kind=year&breakdown=source").content.decode()
    assert f"/figures/services/{personas.service.pk}/export.csv?kind=year" in html
    assert f'action="/figures/services/{personas.service.pk}/prepare/?kind=year' in html
    assert 'name="export-kind"' in html
    assert 'value="rjc_dataset"' in html
    commissioner = client.get(f"/figures/commissioner/services/{personas.service.pk}/").content.decode()
    assert 'value="rjc_dataset"' not in commissioner
    assert 'value="quarterly_return"' in commissioner


def test_the_csv_of_a_share_uses_the_published_rounding() -> None:
    from amends.figures.definitions import Measure, Row

    share = Measure("s", "Share", Kind.SHARE, numerator="a", denominator="b")
    row = Row("", "Total", {"s": 6 / 7})
    assert presenters.export_value(share, row) == Decimal("85.7")
    assert presenters.display(share, row) == "85.7%"
