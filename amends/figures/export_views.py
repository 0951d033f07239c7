"""Downloads of the figures: a dashboard as CSV, XLSX or PDF at once, and the files prepared in the background (every
breakdown, the quarterly commissioner return, the RJC dataset) with their progress page.

Every view opens the dashboard through access.open_dashboard, so a download follows exactly the rules of its page:
anyone who may not open the dashboard gets 404. A commissioner's download passes through suppression, because
dashboards.build applies it to the commissioner's view. A download holds the dashboard as it stands now (kept.current).
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.access import signed_in_user
from amends.accounts.models import Service
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.core.errors import DomainError, add_to_form
from amends.figures import access, exports, kept, tasks
from amends.figures.access import DashboardKind, OpenDashboard
from amends.figures.dimensions import Dimension
from amends.figures.export_access import get_export_for_user
from amends.figures.export_forms import PrepareExportForm
from amends.figures.forms import DashboardForm, query_string
from amends.figures.models import Export, ExportView

# The scope of each dashboard, as an export records it.
SCOPE_VIEWS = {
    DashboardKind.SERVICE: ExportView.SERVICE,
    DashboardKind.PARTNERSHIP: ExportView.PARTNERSHIP,
    DashboardKind.COMMISSIONER_SERVICE: ExportView.COMMISSIONER,
    DashboardKind.COMMISSIONER_PARTNERSHIP: ExportView.COMMISSIONER,
}


def _scope_ids(opened: OpenDashboard) -> dict[str, int]:
    """The service or the partnership the dashboard is of, as request_export and the audit take it."""
    return {"partnership_id": opened.id} if opened.is_partnership else {"service_id": opened.id}


def _dashboard_url(opened: OpenDashboard, query: str = "") -> str:
    url = reverse(opened.url_name, args=[opened.id])
    return f"{url}?{query}" if query else url


def _period_and_breakdown(request: HttpRequest, opened: OpenDashboard) -> DashboardForm:
    return DashboardForm(request.GET or None, breakdown=not opened.is_partnership)


@require_safe
def download(request: HttpRequest, kind: str, dashboard_id: int, file_format: str) -> HttpResponse:
    """The dashboard as on the screen (same period and breakdown, same numbers), as a file to save."""
    user = signed_in_user(request)
    opened = access.open_dashboard(user, kind, dashboard_id)
    form = _period_and_breakdown(request, opened)
    period, dimension = form.period(), form.dimension()
    dashboard = kept.current(opened.view, opened.scope, period, dimension)
    book = exports.book_from_dashboard(
        dashboard, title=tasks.dashboard_title(opened.kind, opened.title), generated_at=timezone.now()
    )
    data = exports.write(book, file_format)
    with transaction.atomic():
        record_event(
            action=AuditAction.FIGURES_EXPORTED,
            actor=user,
            # The dashboard was opened through the access check just now: a reference is enough.
            service=None if opened.is_partnership else Service(pk=opened.id),
            changes={
                "dashboard": opened.kind.value,
                "id": opened.id,
                "format": file_format,
                "period": period.slug,
                "breakdown": dashboard.dimension.value,
            },
        )
    extras = [] if dashboard.dimension == Dimension.NONE else [dashboard.dimension.value]
    name = exports.file_name(opened.view.value, period, file_format, *extras)
    return exports.attachment(data, file_format=file_format, name=name)


@require_http_methods(["GET", "POST"])
def prepare(request: HttpRequest, kind: str, dashboard_id: int) -> HttpResponse:
    """Ask for a file to be prepared in the background; the form is also on the dashboard."""
    user = signed_in_user(request)
    opened = access.open_dashboard(user, kind, dashboard_id)
    dashboard_period = _period_and_breakdown(request, opened).period()
    form = PrepareExportForm(request.POST if request.method == "POST" else None, dashboard=opened.kind)
    if request.method == "POST" and form.is_valid():
        try:
            export = tasks.request_export(
                actor=user,
                view=SCOPE_VIEWS[opened.kind],
                kind=form.cleaned_data["kind"],
                file_format=form.cleaned_data["format"],
                period=form.period(dashboard_period),
                language=translation.get_language(),
                **_scope_ids(opened),
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            return redirect("figures:export", export_id=export.pk)
    return render(
        request,
        "figures/export_prepare.html",
        {
            "dashboard": opened,
            "prepare_form": form,
            "form": form,
            "period": dashboard_period,
            "dashboard_url": _dashboard_url(opened, query_string(dashboard_period)),
            "action": request.get_full_path(),
        },
    )


def _progress_context(export: Export) -> dict[str, Any]:
    return {
        "export": export,
        "title": tasks.title_of(export),
        "dashboard_url": reverse(f"figures:{tasks.dashboard_kind(export).value}", args=[tasks.dashboard_id(export)]),
        # Stored in English (tasks.FAILED_MESSAGE), shown in the reader's language.
        "error": _(export.error) if export.error else "",
        "summary": [
            {"key": _("What"), "value": export.get_kind_display()},
            {"key": _("Period"), "value": export.period.label},
            {"key": _("Format"), "value": export.get_format_display()},
            {"key": _("Asked for"), "value": date_format(timezone.localtime(export.created_at), "j F Y, H:i")},
        ],
    }


def _gone(request: HttpRequest, export: Export) -> HttpResponse:
    return render(request, "figures/export_gone.html", _progress_context(export), status=410)


@require_safe
def progress(request: HttpRequest, export_id: int) -> HttpResponse:
    """How far the file has got; the page refreshes itself (without JavaScript) until it is ready or has failed."""
    export = get_export_for_user(signed_in_user(request), export_id)
    if export.file_deleted_at is not None or export.has_expired():
        return _gone(request, export)
    return render(request, "figures/export.html", _progress_context(export))


@require_safe
def export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    """The prepared file, decrypted, as an attachment; 410 once it has been deleted."""
    user = signed_in_user(request)
    export = get_export_for_user(user, export_id)
    if export.file_deleted_at is not None or export.has_expired():
        return _gone(request, export)
    if not export.is_ready:
        return redirect("figures:export", export_id=export.pk)
    try:
        data = tasks.read_file(export)
    except FileNotFoundError:
        return _gone(request, export)
    with transaction.atomic():
        record_event(
            action=AuditAction.FIGURES_EXPORTED,
            actor=user,
            target=export,
            service=export.service,
            changes={"kind": export.kind, "format": export.format, "period": export.period.slug},
        )
    return exports.attachment(data, file_format=export.format, name=tasks.file_name_of(export))
