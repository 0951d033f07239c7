"""Long exports as tasks: asked for on the dashboard, prepared figure by figure with progress, downloaded only by
those who may open the dashboard, and deleted (410 Gone) once the service's days are up. And the two returns."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from amends.accounts.models import Partnership, Role
from amends.audit.models import AuditAction, AuditEvent
from amends.figures import dimensions, exports, presenters, returns, tasks
from amends.figures.dashboards import RETURN_DIMENSIONS, STOPS, View
from amends.figures.definitions import FIGURES, Scope
from amends.figures.dimensions import DIMENSION_LABELS, Dimension
from amends.figures.export_forms import last_full_quarter
from amends.figures.models import Export, ExportFormat, ExportKind, ExportStatus, ExportView
from amends.figures.periods import Period, PeriodKind, financial_year_of
from amends.referrals import services as referral_services
from tests.case_builders import make_referral
from tests.conftest import signed_in_client
from tests.factories import (
    CPDRecordFactory,
    FacilitatorRecordFactory,
    MembershipFactory,
    ServiceFactory,
    UserFactory,
)
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db

HARMED = {"given_name": "Zebedee", "family_name": "Quartermaine", "date_of_birth": datetime.date(1980, 5, 1)}


@pytest.fixture(autouse=True)
def private_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    return tmp_path / "private"


def _referrals(personas: Personas, count: int, accepted: int = 0) -> None:
    for number in range(count):
        referral = make_referral(
            service=personas.service, actor=personas.coordinator, crime_reference=f"CRIME/{number}", harmed=HARMED
        )
        if number < accepted:
            referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope")


def _prepare(
    client: Client,
    capture: Callable[..., Any],
    path: str,
    kind: ExportKind = ExportKind.DASHBOARD,
    file_format: ExportFormat = ExportFormat.XLSX,
) -> Export:
    """Ask for a file on the dashboard's form; the task runs at once (tests' immediate backend) after the commit."""
    quarter = last_full_quarter()
    data = {
        "export-kind": kind.value,
        "export-format": file_format.value,
        "export-financial_year": financial_year_of(quarter.start),
        "export-quarter": quarter.quarter_number,
    }
    with capture(execute=True):
        response = client.post(f"{path}prepare/?kind=year", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    export = Export.objects.latest("pk")
    assert response["Location"] == f"/figures/exports/{export.pk}/"
    return export


def test_a_prepared_file_is_made_figure_by_figure_and_downloaded_by_its_requester(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any], private_dir: Path
) -> None:
    _referrals(personas, 6, accepted=1)
    client = signed_in_client(personas.coordinator)
    export = _prepare(client, django_capture_on_commit_callbacks, f"/figures/services/{personas.service.pk}/")
    assert export.status == ExportStatus.READY
    assert export.steps_total == len(FIGURES) + 1  # and why cases stopped
    assert export.steps_done == export.steps_total
    assert export.finished_at is not None
    assert export.expires_at == export.finished_at + datetime.timedelta(days=personas.service.export_keep_days)
    # Stored encrypted, under a random name, in the private directory.
    stored = private_dir / "exports" / export.stored_name
    assert stored.exists()
    assert not stored.read_bytes().startswith(b"PK")
    page = client.get(f"/figures/exports/{export.pk}/").content.decode()
    assert "Your file is ready" in page
    assert 'http-equiv="refresh"' not in page
    response = client.get(f"/figures/exports/{export.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="amends-figures-service-{export.period.slug}-dashboard.xlsx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.content))
    referrals = workbook.worksheets[1]
    headers = [row[0].value for row in referrals.iter_rows() if row[0].font.bold and row[0].value]
    # Every breakdown the figure allows, one table after another.
    assert str(DIMENSION_LABELS[Dimension.SOURCE]) in headers
    assert str(DIMENSION_LABELS[Dimension.ETHNICITY]) in headers
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_REQUESTED, target_id=str(export.pk)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.FIGURES_EXPORTED, target_id=str(export.pk)).exists()


def test_a_prepared_file_is_open_to_those_who_may_open_its_dashboard_and_no_one_else(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _referrals(personas, 2)
    export = _prepare(
        signed_in_client(personas.coordinator),
        django_capture_on_commit_callbacks,
        f"/figures/services/{personas.service.pk}/",
        file_format=ExportFormat.CSV,
    )
    for person in ("facilitator", "supervisor", "referrer", "administrator", "commissioner", "other_coordinator"):
        client = signed_in_client(getattr(personas, person))
        assert client.get(f"/figures/exports/{export.pk}/").status_code == 404, person
        assert client.get(f"/figures/exports/{export.pk}/download/").status_code == 404, person
    # The partnership lead holds the same capability across the service.
    lead = signed_in_client(personas.partnership_lead)
    assert lead.get(f"/figures/exports/{export.pk}/download/").status_code == 200


def test_a_commissioner_prepares_the_quarterly_return_and_it_is_suppressed(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = signed_in_client(personas.commissioner)
    export = _prepare(
        client,
        django_capture_on_commit_callbacks,
        f"/figures/commissioner/services/{personas.service.pk}/",
        kind=ExportKind.QUARTERLY_RETURN,
        file_format=ExportFormat.CSV,
    )
    assert (export.status, export.view, export.period) == (
        ExportStatus.READY,
        ExportView.COMMISSIONER,
        last_full_quarter(),
    )
    data = client.get(f"/figures/exports/{export.pk}/download/").content.decode("utf-8-sig")
    assert "Quarterly commissioner return" in data
    assert str(presenters.SUPPRESSED_NOTE) in data
    # The coordinator (who may open the commissioner's dashboard) may download it too.
    assert signed_in_client(personas.coordinator).get(f"/figures/exports/{export.pk}/download/").status_code == 200


def test_a_commissioner_cannot_ask_for_the_services_own_figures(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = signed_in_client(personas.commissioner)
    response = client.post(
        f"/figures/commissioner/services/{personas.service.pk}/prepare/",
        {"export-kind": "rjc_dataset", "export-format": "xlsx", "export-financial_year": "2026", "export-quarter": "1"},
    )
    assert response.status_code == 200
    assert not Export.objects.exists()
    with pytest.raises(tasks.DomainError):
        tasks.request_export(
            actor=personas.commissioner,
            view=ExportView.SERVICE,
            kind=ExportKind.DASHBOARD,
            file_format=ExportFormat.CSV,
            period=last_full_quarter(),
            service_id=personas.service.pk,
        )


def test_the_returns_are_not_prepared_as_pdf(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    quarter = last_full_quarter()
    response = client.post(
        f"/figures/services/{personas.service.pk}/prepare/",
        {
            "export-kind": "quarterly_return",
            "export-format": "pdf",
            "export-financial_year": financial_year_of(quarter.start),
            "export-quarter": quarter.quarter_number,
        },
    )
    assert response.status_code == 200
    assert "Choose a spreadsheet or CSV for the returns" in response.content.decode()
    assert not Export.objects.exists()


def test_the_progress_page_refreshes_itself_until_the_file_is_ready(personas: Personas) -> None:
    export = tasks.request_export(
        actor=personas.coordinator,
        view=ExportView.SERVICE,
        kind=ExportKind.DASHBOARD,
        file_format=ExportFormat.XLSX,
        period=last_full_quarter(),
        service_id=personas.service.pk,
    )
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, steps_done=7, steps_total=12)
    client = signed_in_client(personas.coordinator)
    response = client.get(f"/figures/exports/{export.pk}/")
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Preparing: 7 of 12 figures" in html
    assert "refresh" not in response.get("Content-Security-Policy", "")
    # Not ready yet: the download goes back to the progress page.
    assert client.get(f"/figures/exports/{export.pk}/download/")["Location"] == f"/figures/exports/{export.pk}/"


def test_a_failed_export_says_so_without_details(personas: Personas, settings: Any, tmp_path: Path) -> None:
    # The private directory cannot be made (a file is in its way): writing the file fails.
    blocker = tmp_path / "blocked"
    blocker.write_text("not a directory")
    settings.AMENDS_PRIVATE_DIR = blocker
    export = tasks.request_export(
        actor=personas.coordinator,
        view=ExportView.SERVICE,
        kind=ExportKind.DASHBOARD,
        file_format=ExportFormat.CSV,
        period=last_full_quarter(),
        service_id=personas.service.pk,
    )
    tasks.prepare_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == tasks.FAILED_MESSAGE
    html = signed_in_client(personas.coordinator).get(f"/figures/exports/{export.pk}/").content.decode()
    assert "The file could not be prepared" in html
    assert 'http-equiv="refresh"' not in html


def test_an_expired_file_is_deleted_by_the_command_and_answers_410(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any], private_dir: Path
) -> None:
    client = signed_in_client(personas.coordinator)
    export = _prepare(
        client,
        django_capture_on_commit_callbacks,
        f"/figures/services/{personas.service.pk}/",
        file_format=ExportFormat.CSV,
    )
    stored = private_dir / "exports" / export.stored_name
    assert stored.exists()
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("delete_expired_exports", verbosity=0)
    assert not stored.exists()
    export.refresh_from_db()
    assert (export.stored_name, export.file_deleted_at is not None) == ("", True)
    for path in (f"/figures/exports/{export.pk}/download/", f"/figures/exports/{export.pk}/"):
        response = client.get(path)
        assert response.status_code == 410
        assert "This one was deleted after 7 days." in response.content.decode()
    # A while later the record goes too, and the address is simply not found.
    later = timezone.now() + datetime.timedelta(days=tasks.TOMBSTONE_DAYS + 1)
    assert tasks.delete_expired_exports(later) == (0, 1)
    assert client.get(f"/figures/exports/{export.pk}/download/").status_code == 404


def test_an_export_past_its_time_answers_410_before_the_command_runs(personas: Personas) -> None:
    export = tasks.request_export(
        actor=personas.coordinator,
        view=ExportView.SERVICE,
        kind=ExportKind.DASHBOARD,
        file_format=ExportFormat.CSV,
        period=last_full_quarter(),
        service_id=personas.service.pk,
    )
    Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = signed_in_client(personas.coordinator).get(f"/figures/exports/{export.pk}/download/")
    assert response.status_code == 410


def test_files_are_kept_as_long_as_the_service_says_and_a_partnerships_as_its_shortest(personas: Personas) -> None:
    personas.service.export_keep_days = 3
    personas.service.save(update_fields=["export_keep_days"])
    other = personas.other_service
    other.export_keep_days = 2
    other.save(update_fields=["export_keep_days"])
    partnership = Partnership.objects.get(pk=personas.partnership.pk)
    assert tasks.keep_days(service=None, partnership=partnership) == 3
    partnership.services.add(other)
    assert tasks.keep_days(service=None, partnership=partnership) == 2
    assert tasks.keep_days(service=personas.service, partnership=None) == 3


def test_a_coordinator_sets_how_long_prepared_files_are_kept(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    url = f"/services/{personas.service.pk}/edit/"
    assert "keep prepared figure exports for (days)" in client.get(url).content.decode().lower()
    details = {
        "name": personas.service.name,
        "areas_covered": "Stroud",
        "first_follow_up_days": "",
        "second_follow_up_days": "",
    }
    assert client.post(url, {**details, "export_keep_days": "30"}).status_code == 302
    personas.service.refresh_from_db()
    assert personas.service.export_keep_days == 30
    changes = AuditEvent.objects.filter(action=AuditAction.SERVICE_UPDATED).latest("pk").changes
    assert changes["export_keep_days"] == {"before": 7, "after": 30}
    # Left blank, it keeps its days; more than 90 is refused.
    assert client.post(url, details).status_code == 302
    personas.service.refresh_from_db()
    assert personas.service.export_keep_days == 30
    assert client.post(url, {**details, "export_keep_days": "91"}).status_code == 200
    personas.service.refresh_from_db()
    assert personas.service.export_keep_days == 30


def test_the_quarterly_return_has_every_breakdown_of_every_figure_all_suppressed(personas: Personas) -> None:
    _referrals(personas, 6, accepted=2)
    quarter = Period.containing(PeriodKind.QUARTER, timezone.localdate())
    plan = returns.quarterly_return(
        Scope((personas.service.pk,)), quarter, title="Quarterly commissioner return", generated_at=timezone.now()
    )
    book = plan.run()
    assert [sheet.figure.key for sheet in book.sheets] == [figure.key for figure in returns.dashboard_figures()]
    for sheet in book.sheets:
        assert all(table.suppressed for table in sheet.tables)
        found = [table.dimension for table in sheet.tables]
        expected = [d for d in (Dimension.NONE, *RETURN_DIMENSIONS) if d in sheet.figure.dimensions]
        assert found == (expected or [Dimension.NONE]), sheet.figure.key
        if sheet.figure.dimensions >= dimensions.CASE_DIMENSIONS:
            assert found == [Dimension.NONE, *RETURN_DIMENSIONS]
    referrals = book.sheets[0]
    assert referrals.tables[0].total.values["received"] == 6
    assert presenters.display(referrals.figure.measure("accepted"), referrals.tables[0].total) == "[c]"
    workbook = load_workbook(io.BytesIO(exports.book_xlsx(book)))
    first = workbook.worksheets[1]
    labels = {row[0] for row in first.iter_rows(values_only=True)}
    for dimension in RETURN_DIMENSIONS:
        assert str(DIMENSION_LABELS[dimension]) in labels
    csv_text = exports.book_csv(book).decode("utf-8-sig")
    assert csv_text.count("\r\nReferrals received\r\n") == 1
    assert STOPS.title in {sheet.figure.title for sheet in book.sheets}


def test_the_rjc_dataset_counts_facilitators_by_level_and_their_cpd(personas: Personas) -> None:
    _referrals(personas, 3, accepted=1)
    year = Period.containing(PeriodKind.YEAR, timezone.localdate())
    record = personas.facilitator.facilitator_record
    CPDRecordFactory(record=record, completed_on=year.start, hours=Decimal("4.5"))
    CPDRecordFactory(record=record, completed_on=year.start - datetime.timedelta(days=1), hours=Decimal("9.0"))
    advanced = UserFactory()
    MembershipFactory(user=advanced, service=personas.service, role=Role.FACILITATOR)
    CPDRecordFactory(record=FacilitatorRecordFactory(user=advanced, rjc_level="advanced"), completed_on=year.end)
    MembershipFactory(user=UserFactory(), service=personas.service, role=Role.FACILITATOR)
    plan = returns.rjc_dataset(Scope((personas.service.pk,)), year, title="RJC dataset", generated_at=timezone.now())
    book = plan.run()
    assert len(plan.steps) == len(returns.RJC_SECTIONS)
    staffing = next(sheet for sheet in book.sheets if sheet.figure is returns.RJC_STAFFING).tables[0].total
    assert staffing.values["facilitators"] == 3
    assert staffing.values["level_intermediate"] == 1
    assert staffing.values["level_advanced"] == 1
    assert staffing.values["no_record"] == 1
    assert staffing.values["cpd_hours"] == Decimal("7.5")
    assert not any(table.suppressed for sheet in book.sheets for table in sheet.tables)
    processes = next(sheet for sheet in book.sheets if sheet.figure.key == "processes")
    assert [table.dimension for table in processes.tables] == [Dimension.NONE, Dimension.PROCESS_KIND]
    workbook = load_workbook(io.BytesIO(exports.book_xlsx(book)))
    assert workbook.sheetnames[0] == "About"
    staffing_sheet = workbook.worksheets[-1]
    hours = [cell.value for cell in staffing_sheet[3]].index("CPD hours in the period") + 1
    assert staffing_sheet.cell(row=4, column=hours).value == 7.5
    assert staffing_sheet.cell(row=4, column=hours).number_format == "0.0"


def test_the_progress_page_runs_a_fixed_number_of_queries(personas: Personas) -> None:
    export = tasks.request_export(
        actor=personas.coordinator,
        view=ExportView.PARTNERSHIP,
        kind=ExportKind.DASHBOARD,
        file_format=ExportFormat.CSV,
        period=last_full_quarter(),
        partnership_id=personas.partnership.pk,
    )
    client = signed_in_client(personas.partnership_lead)
    queries_for(client, f"/figures/exports/{export.pk}/")
    before = queries_for(client, f"/figures/exports/{export.pk}/")
    partnership = Partnership.objects.get(pk=personas.partnership.pk)
    partnership.services.add(*ServiceFactory.create_batch(3))
    assert queries_for(client, f"/figures/exports/{export.pk}/") == before


def test_the_dashboard_lists_the_persons_recent_files_in_a_fixed_number_of_queries(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = signed_in_client(personas.coordinator)
    path = f"/figures/services/{personas.service.pk}/"
    for _ in range(2):
        tasks.request_export(
            actor=personas.coordinator,
            view=ExportView.COMMISSIONER,
            kind=ExportKind.QUARTERLY_RETURN,
            file_format=ExportFormat.CSV,
            period=last_full_quarter(),
            service_id=personas.service.pk,
        )
    client.get(path)  # counted once and kept: the counts below are of the kept dashboard and the list of files
    before = queries_for(client, path)
    html = client.get(path).content.decode()
    assert "Your recent files" in html
    assert html.count("Quarterly commissioner return</a>") == 2
    for _ in range(4):
        tasks.request_export(
            actor=personas.coordinator,
            view=View.SERVICE.value,
            kind=ExportKind.DASHBOARD,
            file_format=ExportFormat.CSV,
            period=last_full_quarter(),
            service_id=personas.service.pk,
        )
    assert queries_for(client, path) == before
