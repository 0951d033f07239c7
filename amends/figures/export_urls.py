"""The figures' downloads, included by amends/figures/urls.py (under /figures/, in the "figures" namespace).

Each dashboard has export.csv, export.xlsx and export.pdf beside it, taking the same query (period and breakdown),
and a page to prepare the longer files; prepared files have their own progress page and download.
"""

from django.urls import path, register_converter

from amends.figures import export_views
from amends.figures.access import DashboardKind


class FormatConverter:
    """The formats a dashboard is downloaded in: anything else is not an address at all (404)."""

    regex = "csv|xlsx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "figure_format")

# Each dashboard's address, as amends/figures/urls.py gives it, and the name of its id there.
DASHBOARDS = (
    (DashboardKind.SERVICE, "services/<int:dashboard_id>/"),
    (DashboardKind.PARTNERSHIP, "partnerships/<int:dashboard_id>/"),
    (DashboardKind.COMMISSIONER_SERVICE, "commissioner/services/<int:dashboard_id>/"),
    (DashboardKind.COMMISSIONER_PARTNERSHIP, "commissioner/partnerships/<int:dashboard_id>/"),
)

urlpatterns = [
    *(
        path(
            f"{prefix}export.<figure_format:file_format>",
            export_views.download,
            {"kind": kind.value},
            name=f"{kind.value}_export",
        )
        for kind, prefix in DASHBOARDS
    ),
    *(
        path(f"{prefix}prepare/", export_views.prepare, {"kind": kind.value}, name=f"{kind.value}_prepare")
        for kind, prefix in DASHBOARDS
    ),
    path("exports/<int:export_id>/", export_views.progress, name="export"),
    path("exports/<int:export_id>/download/", export_views.export_download, name="export_download"),
]
