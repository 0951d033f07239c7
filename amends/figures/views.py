"""The figures' pages: the dashboards a person may open, each dashboard (tables with their charts) and what each
figure means. Every number comes from dashboards.build (kept between views by kept.py) and is written by presenters,
as the exports write it."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from amends.accounts.access import signed_in_user
from amends.figures import access, charts, dashboards, definitions, kept, presenters, suppression
from amends.figures.access import DashboardKind, OpenDashboard
from amends.figures.charts import Chart
from amends.figures.definitions import FigureTable
from amends.figures.dimensions import DIMENSION_LABELS, Dimension
from amends.figures.forms import DashboardForm, query_string

# Where another part of the product puts the links to download a dashboard, when it is there.
EXPORTS_TEMPLATE = "figures/_exports.html"

HEADINGS = {
    DashboardKind.SERVICE: gettext_lazy("Figures"),
    DashboardKind.PARTNERSHIP: gettext_lazy("Partnership figures"),
    DashboardKind.COMMISSIONER_SERVICE: gettext_lazy("Figures for commissioners"),
    DashboardKind.COMMISSIONER_PARTNERSHIP: gettext_lazy("Partnership figures for commissioners"),
}


@dataclass(frozen=True)
class Section:
    """One figure on a dashboard: its table, written as the exports write it, and its chart."""

    key: str
    caption: str
    head: list[str]
    rows: list[list[str]]
    numeric_columns: list[int]
    chart: Chart
    note: str


def section(table: FigureTable, dimension: Dimension) -> Section:
    measures = table.measures
    if not table.rows:
        # One row of many measures reads better turned on its side: a measure on each line.
        return Section(
            key=table.figure.key,
            caption=str(table.figure.title),
            head=[_("Measure"), table.period.label],
            rows=[[str(measure.label), presenters.display(measure, table.total)] for measure in measures],
            numeric_columns=[2],
            chart=charts.chart_for(table),
            note=_note(table, dimension),
        )
    first = _("Why it stopped") if table.figure is dashboards.STOPS else str(DIMENSION_LABELS[table.dimension])
    rows = [[row.label, *(presenters.display(measure, row) for measure in measures)] for row in table.rows]
    rows.append([table.total.label, *(presenters.display(measure, table.total) for measure in measures)])
    return Section(
        key=table.figure.key,
        caption=str(table.figure.title),
        head=[first, *(str(measure.label) for measure in measures)],
        rows=rows,
        numeric_columns=list(range(2, len(measures) + 2)),
        chart=charts.chart_for(table),
        note=_note(table, dimension),
    )


def _note(table: FigureTable, dimension: Dimension) -> str:
    if dimension != Dimension.NONE and table.dimension != dimension and table.figure is not dashboards.STOPS:
        return _("This figure cannot be broken down by %(breakdown)s, so only its total is shown.") % {
            "breakdown": charts.lower_first(str(DIMENSION_LABELS[dimension]))
        }
    return ""


def _exports_template() -> str | None:
    try:
        get_template(EXPORTS_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return EXPORTS_TEMPLATE


def _dashboard_page(request: HttpRequest, opened: OpenDashboard) -> HttpResponse:
    form = DashboardForm(request.GET or None, breakdown=not opened.is_partnership)
    period, dimension = form.period(), form.dimension()
    found = kept.dashboard(opened.view, opened.scope, period, dimension)
    dashboard = found.dashboard
    context: dict[str, Any] = {
        "counted_at": found.counted_at,
        "counting_again": not found.current,
        "dashboard": opened,
        "heading": HEADINGS[opened.kind],
        "form": form,
        "period": period,
        "breakdown": DIMENSION_LABELS[dashboard.dimension] if dashboard.dimension != Dimension.NONE else None,
        "suppressed": dashboard.suppressed,
        "sections": [section(table, dashboard.dimension) for table in dashboard.tables],
        "suppressed_note": presenters.SUPPRESSED_NOTE,
        "no_data_note": presenters.NO_DATA_NOTE,
        # For the export links: the same period and breakdown, and which dashboard this is.
        "export_query": query_string(period, dimension),
        "dashboard_kind": opened.kind.value,
        "dashboard_id": opened.id,
        "exports_template": _exports_template(),
    }
    return render(request, "figures/dashboard.html", context)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    found = access.dashboards_for(user)
    if not found:
        raise Http404
    groups = [
        (
            _("Your figures"),
            [d for d in found if d.kind in {DashboardKind.SERVICE, DashboardKind.PARTNERSHIP}],
        ),
        (
            _("What commissioners see"),
            [
                d
                for d in found
                if d.kind in {DashboardKind.COMMISSIONER_SERVICE, DashboardKind.COMMISSIONER_PARTNERSHIP}
            ],
        ),
    ]
    return render(request, "figures/index.html", {"groups": [(title, items) for title, items in groups if items]})


@require_safe
def service(request: HttpRequest, service_id: int) -> HttpResponse:
    return _dashboard_page(request, access.service_dashboard(signed_in_user(request), service_id))


@require_safe
def partnership(request: HttpRequest, partnership_id: int) -> HttpResponse:
    return _dashboard_page(request, access.partnership_dashboard(signed_in_user(request), partnership_id))


@require_safe
def commissioner_service(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    return _dashboard_page(request, access.commissioner_dashboard(user, DashboardKind.COMMISSIONER_SERVICE, service_id))


@require_safe
def commissioner_partnership(request: HttpRequest, partnership_id: int) -> HttpResponse:
    user = signed_in_user(request)
    opened = access.commissioner_dashboard(user, DashboardKind.COMMISSIONER_PARTNERSHIP, partnership_id)
    return _dashboard_page(request, opened)


def _definition_rows(figure: definitions.Figure) -> list[dict[str, Any]]:
    return [
        {"key": _("What it counts"), "value": figure.counts},
        {"key": _("Period"), "value": figure.period_rule},
        {"key": _("Numerator"), "value": figure.numerator},
        {"key": _("Denominator"), "value": figure.denominator},
        {"key": _("Left out"), "value": figure.left_out},
        {"key": _("Measures"), "value": ", ".join(str(measure.label) for measure in figure.measures)},
    ]


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    access.require_figures(signed_in_user(request))
    figures = [*definitions.FIGURES]
    figures.insert(figures.index(definitions.FUNNEL) + 1, dashboards.STOPS)
    return render(
        request,
        "figures/definitions.html",
        {
            "figures": [(figure.key, figure.title, _definition_rows(figure)) for figure in figures],
            "suppression_rules": suppression.RULES,
            "suppressed_note": presenters.SUPPRESSED_NOTE,
            "no_data_note": presenters.NO_DATA_NOTE,
        },
    )
