"""What a dashboard's downloads panel (figures/_exports.html) shows: its download links, the "Prepare a file" form
and the files the person has prepared from the same service or partnership."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from amends.figures import export_access
from amends.figures.access import DashboardKind, OpenDashboard
from amends.figures.export_forms import PrepareExportForm
from amends.figures.models import ExportFormat

register = template.Library()

DOWNLOADS = (ExportFormat.CSV, ExportFormat.XLSX, ExportFormat.PDF)


@dataclass(frozen=True)
class Panel:
    links: list[tuple[str, str]]
    form: PrepareExportForm
    action: str
    recent_head: list[str]
    recent: list[list[Any]]


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def export_panel(context: template.Context) -> Panel:
    """The panel for the dashboard in the page's context (dashboard, dashboard_kind, dashboard_id, export_query)."""
    kind = DashboardKind(context["dashboard_kind"])
    dashboard_id, query = int(context["dashboard_id"]), str(context.get("export_query") or "")
    dashboard: OpenDashboard = context["dashboard"]
    links = [
        (
            str(file_format.label),
            _with_query(reverse(f"figures:{kind.value}_export", args=[dashboard_id, file_format.value]), query),
        )
        for file_format in DOWNLOADS
    ]
    recent = export_access.recent_exports_for(context["request"].user, dashboard)
    return Panel(
        links=links,
        form=PrepareExportForm(dashboard=kind),
        action=_with_query(reverse(f"figures:{kind.value}_prepare", args=[dashboard_id]), query),
        recent_head=[str(_("File")), str(_("Period")), str(_("Status"))],
        recent=[
            [
                format_html(
                    '<a class="govuk-link" href="{}">{}</a>',
                    reverse("figures:export", args=[export.pk]),
                    export.get_kind_display(),
                ),
                export.period.label,
                export.get_status_display(),
            ]
            for export in recent
        ],
    )
