"""Permission-matrix rows for the figures' downloads: each dashboard's files, its "Prepare a file" page, and a
prepared file's progress page and download.

A download follows its dashboard: a service's own figures and a partnership's are for its coordinators and
partnership leads; the commissioner's view adds the commissioner. The partnership is the one holding the row's
service (ours holds only ours; for the other service, one is made holding only it). Prepared files are asked for by
the service's coordinator through the service and left waiting (no worker runs in the matrix), so an allowed person
is sent from the download to the progress page.
"""

from collections.abc import Callable

from amends.accounts.models import Partnership
from amends.figures import tasks
from amends.figures.export_forms import last_full_quarter
from amends.figures.models import Export, ExportFormat, ExportKind, ExportView
from tests.matrix.base import Endpoint, Target

FIGURES = frozenset({"coordinator", "partnership_lead"})
SUPPRESSED = FIGURES | {"commissioner"}


def _partnership(t: Target) -> Partnership:
    found = Partnership.objects.filter(services=t.service).first()
    if found is None:
        found = Partnership.objects.create(
            name=f"Partnership of {t.service.name}", lead_organisation_id=t.service.organisation_id
        )
        found.services.add(t.service)
    return found


def _dashboard(kind: str) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        if kind.endswith("partnerships"):
            return f"/figures/{kind}/{_partnership(t).pk}/"
        return f"/figures/{kind}/{t.service.pk}/"

    return path


def _at(kind: str, rest: str) -> Callable[[Target], str]:
    return lambda t: _dashboard(kind)(t) + rest


def _export(view: ExportView) -> Callable[[Target], Export]:
    def make(t: Target) -> Export:
        return tasks.request_export(
            actor=t.coordinator,
            view=view,
            kind=ExportKind.DASHBOARD,
            file_format=ExportFormat.CSV,
            period=last_full_quarter(),
            service_id=t.service.pk,
        )

    return make


def _progress(view: ExportView, rest: str = "") -> Callable[[Target], str]:
    return lambda t: f"/figures/exports/{_export(view)(t).pk}/{rest}"


ENDPOINTS = (
    Endpoint("figures download: service", "GET", _at("services", "export.csv?kind=year"), FIGURES),
    Endpoint("figures download: service, XLSX", "GET", _at("services", "export.xlsx"), FIGURES),
    Endpoint("figures download: partnership", "GET", _at("partnerships", "export.csv"), FIGURES),
    Endpoint("figures download: commissioner", "GET", _at("commissioner/services", "export.csv"), SUPPRESSED),
    Endpoint(
        "figures download: commissioner partnership", "GET", _at("commissioner/partnerships", "export.csv"), SUPPRESSED
    ),
    Endpoint("prepare figures: service", "GET", _at("services", "prepare/"), FIGURES),
    Endpoint("prepare figures: service", "POST", _at("services", "prepare/"), FIGURES),
    Endpoint("prepare figures: partnership", "GET", _at("partnerships", "prepare/"), FIGURES),
    Endpoint("prepare figures: commissioner", "GET", _at("commissioner/services", "prepare/"), SUPPRESSED),
    Endpoint("prepare figures: commissioner", "POST", _at("commissioner/services", "prepare/"), SUPPRESSED),
    Endpoint(
        "prepare figures: commissioner partnership", "GET", _at("commissioner/partnerships", "prepare/"), SUPPRESSED
    ),
    Endpoint("prepared figures", "GET", _progress(ExportView.SERVICE), FIGURES),
    Endpoint("prepared figures: commissioner", "GET", _progress(ExportView.COMMISSIONER), SUPPRESSED),
    Endpoint("prepared figures download", "GET", _progress(ExportView.SERVICE, "download/"), FIGURES),
    Endpoint(
        "prepared figures download: commissioner", "GET", _progress(ExportView.COMMISSIONER, "download/"), SUPPRESSED
    ),
)

URL_NAMES = (
    "figures:service_export",
    "figures:partnership_export",
    "figures:commissioner_service_export",
    "figures:commissioner_partnership_export",
    "figures:service_prepare",
    "figures:partnership_prepare",
    "figures:commissioner_service_prepare",
    "figures:commissioner_partnership_prepare",
    "figures:export",
    "figures:export_download",
)
