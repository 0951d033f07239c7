"""Long exports of figures: asking for one, preparing it in the background, keeping its file, and deleting it.

`request_export` records what was asked for and queues `prepare_export` once the request is committed. The task,
run by `manage.py db_worker`, computes the export one figure at a time and records its progress after each, so the
progress page can say "7 of 12 figures". The file is kept encrypted in AMENDS_PRIVATE_DIR / "exports" under a
random name for the service's `export_keep_days`, then deleted by `delete_expired_exports` (the task runs it before
each export, and `manage.py delete_expired_exports` runs it daily). The task is given the export's id only.
"""

import datetime
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.accounts.models import Partnership, Service, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.core.errors import DomainError
from amends.core.fields import fernet
from amends.figures import returns
from amends.figures.access import DashboardKind
from amends.figures.dashboards import View
from amends.figures.definitions import Scope
from amends.figures.exports import file_name, write
from amends.figures.models import Export, ExportFormat, ExportKind, ExportStatus, ExportView
from amends.figures.periods import Period
from amends.permissions import Capability, can

logger = logging.getLogger(__name__)

# The service's default, for a partnership with no services (it has no figures either).
DEFAULT_KEEP_DAYS = 7
# After its file is deleted, the row is kept this long, so its address says "deleted" rather than "not found".
TOMBSTONE_DAYS = 30
FORMATS = {
    ExportKind.DASHBOARD: (ExportFormat.XLSX, ExportFormat.CSV, ExportFormat.PDF),
    ExportKind.QUARTERLY_RETURN: (ExportFormat.XLSX, ExportFormat.CSV),
    ExportKind.RJC_DATASET: (ExportFormat.XLSX, ExportFormat.CSV),
}
# Stored in English, shown translated (gettext_noop marks it for the catalogue).
FAILED_MESSAGE = gettext_noop("The file could not be prepared. Try again; if it fails again, ask for a shorter period.")


# Files -------------------------------------------------------------------------------------------------------------


def private_dir() -> Path:
    """Where prepared files are kept: never under STATIC_ROOT or any directory a web server serves."""
    return Path(settings.AMENDS_PRIVATE_DIR) / "exports"


def _write_file(data: bytes) -> str:
    directory = private_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = f"{secrets.token_hex(24)}.enc"
    path = directory / stored_name
    with path.open("xb") as handle:
        handle.write(fernet().encrypt(data))
    path.chmod(0o600)
    return stored_name


def read_file(export: Export) -> bytes:
    """The prepared file, decrypted; FileNotFoundError when it is not there."""
    if not export.stored_name:
        raise FileNotFoundError
    return fernet().decrypt((private_dir() / export.stored_name).read_bytes())


def _remove_file(stored_name: str) -> None:
    if stored_name:
        (private_dir() / stored_name).unlink(missing_ok=True)


# Asking for an export ----------------------------------------------------------------------------------------------


def dashboard_kind(export: Export) -> DashboardKind:
    """The dashboard whose access rules the export follows."""
    if export.view == ExportView.COMMISSIONER:
        return DashboardKind.COMMISSIONER_SERVICE if export.service_id else DashboardKind.COMMISSIONER_PARTNERSHIP
    return DashboardKind.SERVICE if export.service_id else DashboardKind.PARTNERSHIP


def dashboard_id(export: Export) -> int:
    return int(export.service_id or export.partnership_id or 0)


def scope_of(export: Export) -> Scope:
    if export.service_id:
        return Scope((export.service_id,))
    return Scope(tuple(sorted(Service.objects.filter(partnerships=export.partnership_id).values_list("pk", flat=True))))


def keep_days(*, service: Service | None, partnership: Partnership | None) -> int:
    """How long a file is kept: the service's setting; for a partnership, the shortest of its services'."""
    if service is not None:
        return service.export_keep_days
    shortest = Service.objects.filter(partnerships=partnership).aggregate(days=Min("export_keep_days"))["days"]
    return int(shortest or DEFAULT_KEEP_DAYS)


def capability_of(view: str) -> Capability:
    """What opening an export of the view asks: the commissioner's view asks less than a service's own figures."""
    return Capability.VIEW_SUPPRESSED_FIGURES if view == ExportView.COMMISSIONER else Capability.VIEW_FIGURES


def _check(*, actor: User, view: str, kind: str, file_format: str, service_ids: list[int], service: bool) -> None:
    """The rules of a request: the actor sees the whole scope, and the kind and format go together."""
    if not service_ids or not all(can(actor, capability_of(view), service_id) for service_id in service_ids):
        raise DomainError(_("You do not have permission to prepare this file."))
    if kind == ExportKind.RJC_DATASET and (view != ExportView.SERVICE or not service):
        raise DomainError(_("The RJC dataset is prepared from a service's own figures."))
    if file_format not in FORMATS[ExportKind(kind)]:
        raise DomainError(_("Choose a spreadsheet or CSV for the returns"), field="format")


@transaction.atomic
def request_export(
    *,
    actor: User,
    view: str,
    kind: str,
    file_format: str,
    period: Period,
    service_id: int | None = None,
    partnership_id: int | None = None,
    language: str | None = None,
) -> Export:
    """Record what was asked for and queue its preparation (once the request is committed). The quarterly return
    is always the commissioner's view: small counts hidden."""
    if (service_id is None) == (partnership_id is None):
        raise DomainError(_("Choose the service or the partnership the file is for."))
    if kind == ExportKind.QUARTERLY_RETURN:
        view = ExportView.COMMISSIONER
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    partnership = Partnership.objects.filter(pk=partnership_id).first() if partnership_id else None
    if service is not None:
        service_ids = [service.pk]
    elif partnership is not None:
        service_ids = list(partnership.services.values_list("pk", flat=True))
    else:
        service_ids = []
    _check(actor=actor, view=view, kind=kind, file_format=file_format, service_ids=service_ids, service=bool(service))
    days = keep_days(service=service, partnership=partnership)
    export = Export.objects.create(
        service=service,
        partnership=partnership,
        view=view,
        kind=kind,
        format=file_format,
        period_kind=period.kind.value,
        period_start=period.start,
        period_end=period.end,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=actor,
        keep_days=days,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    record_event(
        action=AuditAction.EXPORT_REQUESTED,
        actor=actor,
        target=export,
        service=service,
        changes={"kind": kind, "format": file_format, "view": view, "period": period.slug},
    )
    export_id = export.pk
    transaction.on_commit(lambda: prepare_export.enqueue(export_id))
    return export


# Preparing it ------------------------------------------------------------------------------------------------------


def dashboard_title(kind: DashboardKind, name: str) -> str:
    """The title of a dashboard's file, as the dashboard is headed."""
    titles = {
        DashboardKind.SERVICE: _("Figures: %(name)s"),
        DashboardKind.PARTNERSHIP: _("Partnership figures: %(name)s"),
        DashboardKind.COMMISSIONER_SERVICE: _("Figures for commissioners: %(name)s"),
        DashboardKind.COMMISSIONER_PARTNERSHIP: _("Partnership figures for commissioners: %(name)s"),
    }
    return titles[kind] % {"name": name}


def title_of(export: Export) -> str:
    scope = export.service or export.partnership
    name = scope.name if scope else ""
    if export.kind == ExportKind.QUARTERLY_RETURN:
        return _("Quarterly commissioner return: %(name)s") % {"name": name}
    if export.kind == ExportKind.RJC_DATASET:
        return _("RJC Registered Service Provider annual dataset: %(name)s") % {"name": name}
    return dashboard_title(dashboard_kind(export), name)


def file_name_of(export: Export) -> str:
    """The download's name: what and when, never who or where."""
    return file_name(export.view, export.period, export.format, export.kind)


def plan_for(export: Export, generated_at: datetime.datetime) -> returns.Plan:
    scope, period, title = scope_of(export), export.period, title_of(export)
    if export.kind == ExportKind.QUARTERLY_RETURN:
        return returns.quarterly_return(scope, period, title=title, generated_at=generated_at)
    if export.kind == ExportKind.RJC_DATASET:
        return returns.rjc_dataset(scope, period, title=title, generated_at=generated_at)
    return returns.every_breakdown(View(export.view), scope, period, title=title, generated_at=generated_at)


def _start(export_id: int) -> Export | None:
    """Mark the export running, if it is still waiting (a second worker, or a deleted export, finds nothing)."""
    with transaction.atomic():
        started = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not started:
        return None
    return Export.objects.select_related("service", "partnership").get(pk=export_id)


def _finish(export: Export, **fields: object) -> None:
    now = timezone.now()
    fields.update(finished_at=now, expires_at=now + datetime.timedelta(days=export.keep_days))
    with transaction.atomic():
        Export.objects.filter(pk=export.pk).update(**fields)


@task()
def prepare_export(export_id: int) -> None:
    """Prepare the file: one figure at a time, recording progress after each; then ready, or failed."""
    delete_expired_exports()
    export = _start(export_id)
    if export is None:
        return
    stored_name = ""
    try:
        with translation.override(export.language):
            plan = plan_for(export, timezone.now())
            with transaction.atomic():
                Export.objects.filter(pk=export.pk).update(steps_total=len(plan.steps), steps_done=0)
            for step in plan.steps:
                with transaction.atomic():
                    plan.book.sheets.append(step())
                    Export.objects.filter(pk=export.pk).update(steps_done=F("steps_done") + 1)
            data = write(plan.book, export.format)
        stored_name = _write_file(data)
        _finish(export, status=ExportStatus.READY, stored_name=stored_name)
    except Exception as error:
        # The class only: a message could quote a value from the database.
        logger.error("Export %s failed: %s", export.pk, type(error).__name__)
        _remove_file(stored_name)
        _finish(export, status=ExportStatus.FAILED, stored_name="", error=FAILED_MESSAGE)


# Deleting it -------------------------------------------------------------------------------------------------------


def delete_expired_exports(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete the files of exports past their time, and the rows whose tombstone time has passed too.
    Returns (files deleted, rows deleted)."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = list(
            Export.objects.select_for_update()
            .filter(expires_at__lte=now, file_deleted_at__isnull=True)
            .values_list("pk", "stored_name")
        )
        Export.objects.filter(pk__in=[pk for pk, _name in expired]).update(stored_name="", file_deleted_at=now)
        rows, _by_model = Export.objects.filter(expires_at__lte=now - datetime.timedelta(days=TOMBSTONE_DAYS)).delete()
    for _pk, stored_name in expired:
        _remove_file(stored_name)
    return len(expired), rows
