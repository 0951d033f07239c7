"""What each long export holds, as steps of one figure each, so a task can prepare it and say how far it has got.

- Every breakdown of a dashboard: each figure's total, then the figure broken down each way it allows.
- The quarterly commissioner return: for a financial quarter, each figure's total and its breakdowns by
  dashboards.RETURN_DIMENSIONS, every table suppressed as on the commissioner's dashboard.
- The RJC Registered Service Provider annual dataset: a service's own figures for a financial year, unsuppressed, for
  its renewal: referrals and outcomes, evaluation, staffing (with facilitators by RJC level and CPD hours).

Every figure is computed through definitions.compute, as the dashboards compute it, so the numbers are the same.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import CPDRecord, Membership, RJCLevel
from amends.figures import definitions, suppression
from amends.figures.dashboards import RETURN_DIMENSIONS, STOPS, View, stops_table
from amends.figures.definitions import Figure, FigureTable, Kind, Measure, Scope
from amends.figures.dimensions import DIMENSION_LABELS, Base, Dimension
from amends.figures.exports import EVERY_BREAKDOWN, Book, Sheet, notes_for
from amends.figures.periods import Period

Step = Callable[[], Sheet]


@dataclass
class Plan:
    """A book to fill, and the steps that fill it: one figure each."""

    book: Book
    steps: list[Step]

    def run(self) -> Book:
        """Every step at once (for tests and short exports); the task runs them one by one."""
        for step in self.steps:
            self.book.sheets.append(step())
        return self.book


def _facilitators(scope: Scope, period: Period) -> QuerySet[Membership]:
    """Facilitators in the services on the period's last day, each with their CPD hours completed in the period."""
    hours = (
        CPDRecord.objects.filter(record__user=OuterRef("user"), completed_on__range=(period.start, period.end))
        .values("record")
        .annotate(total=Sum("hours"))
        .values("total")[:1]
    )
    return definitions.facilitators_on_last_day(scope, period).annotate(
        cpd=Coalesce(Subquery(hours, output_field=DecimalField()), Value(Decimal(0)))
    )


def _staffing_aggregates(period: Period) -> dict[str, object]:
    by_level: dict[str, object] = {
        f"level_{level.value}": Count("user", filter=Q(user__facilitator_record__rjc_level=level), distinct=True)
        for level in RJCLevel
    }
    return {
        "facilitators": Count("user", distinct=True),
        **by_level,
        "no_record": Count("user", filter=Q(user__facilitator_record__isnull=True), distinct=True),
        "cpd_hours": Coalesce(Sum("cpd"), Value(Decimal(0)), output_field=DecimalField()),
    }


RJC_STAFFING = Figure(
    key="rjc_staffing",
    title=gettext_lazy("Facilitators by RJC level, and their CPD"),
    counts=gettext_lazy("Facilitators, once each"),
    period_rule=gettext_lazy("Facilitators in the service on the last day of the period; CPD completed in the period."),
    numerator=gettext_lazy(
        "Facilitators by the practitioner level on their facilitator record; the CPD hours they recorded as "
        "completed in the period, added together."
    ),
    denominator=gettext_lazy("None: these are counts and a sum of hours."),
    left_out=gettext_lazy("Coordinators and supervisors who do not hold a facilitator role; people no longer active."),
    base=Base(case="", referral="", service="service_id"),
    measures=(
        Measure("facilitators", gettext_lazy("Facilitators")),
        *(Measure(f"level_{level.value}", level.label) for level in RJCLevel),
        Measure("no_record", gettext_lazy("No facilitator record")),
        Measure("cpd_hours", gettext_lazy("CPD hours in the period"), Kind.HOURS),
    ),
    rows=_facilitators,
    aggregates=_staffing_aggregates,
    dimensions=frozenset({Dimension.NONE}),
    partitions=(("facilitators", (*(f"level_{level.value}" for level in RJCLevel), "no_record")),),
)


def _sheet(figure: Figure, scope: Scope, period: Period, dimensions: Sequence[Dimension], suppressed: bool) -> Sheet:
    """The figure's tables: one for each breakdown it allows, in order (the total when it allows none of them)."""
    if figure is STOPS:
        tables = [stops_table(scope, period)]
    else:
        allowed = [dimension for dimension in dimensions if dimension in figure.dimensions] or [Dimension.NONE]
        tables = [definitions.compute(figure, scope, period, dimension) for dimension in allowed]
    if suppressed:
        tables = [_suppressed_with_twins(table, scope, period) for table in tables]
    return Sheet(figure, tables)


def _suppressed_with_twins(table: FigureTable, scope: Scope, period: Period) -> FigureTable:
    """The table suppressed together with the other figures that hold one of its counts, as on a dashboard, so that
    a count one of them hides cannot be read off another."""
    twins = [
        definitions.compute(definitions.BY_KEY[key], scope, period, table.dimension)
        for key in suppression.twins_of(table.figure.key)
        if table.dimension in definitions.BY_KEY[key].dimensions
    ]
    return suppression.suppress_all([table, *twins])[0]


def _step(figure: Figure, scope: Scope, period: Period, dimensions: Sequence[Dimension], suppressed: bool) -> Step:
    return lambda: _sheet(figure, scope, period, dimensions, suppressed)


def dashboard_figures() -> list[Figure]:
    """Every figure of a dashboard, in its order: why cases stopped follows the funnel."""
    found: list[Figure] = []
    for figure in definitions.FIGURES:
        found.append(figure)
        if figure is definitions.FUNNEL:
            found.append(STOPS)
    return found


def every_breakdown(view: View, scope: Scope, period: Period, *, title: str, generated_at: datetime.datetime) -> Plan:
    """Every figure of the dashboard, its total then each breakdown it allows."""
    suppressed = view == View.COMMISSIONER
    dimensions = list(Dimension)
    book = Book(
        title=title,
        period=period,
        breakdown=str(EVERY_BREAKDOWN),
        suppressed=suppressed,
        generated_at=generated_at,
        notes=notes_for(view),
    )
    return Plan(book, [_step(figure, scope, period, dimensions, suppressed) for figure in dashboard_figures()])


def quarterly_return(scope: Scope, period: Period, *, title: str, generated_at: datetime.datetime) -> Plan:
    """The commissioner's return for a quarter: each figure's total and its RETURN_DIMENSIONS, all suppressed."""
    dimensions = [Dimension.NONE, *RETURN_DIMENSIONS]
    book = Book(
        title=title,
        period=period,
        breakdown=", ".join(str(DIMENSION_LABELS[dimension]) for dimension in RETURN_DIMENSIONS),
        suppressed=True,
        generated_at=generated_at,
        notes=[
            *notes_for(View.COMMISSIONER),
            _("Each figure gives its total, then a table for each breakdown it can be given by."),
        ],
    )
    return Plan(book, [_step(figure, scope, period, dimensions, True) for figure in dashboard_figures()])


# The RJC dataset's sections: each figure and the breakdowns it is given by.
RJC_SECTIONS: tuple[tuple[Figure, tuple[Dimension, ...]], ...] = (
    (definitions.REFERRALS, (Dimension.NONE, Dimension.SOURCE)),
    (definitions.FUNNEL, (Dimension.NONE,)),
    (STOPS, (Dimension.NONE,)),
    (definitions.PROCESSES, (Dimension.NONE, Dimension.PROCESS_KIND)),
    (definitions.AGREEMENTS, (Dimension.NONE,)),
    (definitions.FEEDBACK, (Dimension.NONE, Dimension.ROLE)),
    (definitions.PRACTITIONERS, (Dimension.NONE,)),
    (RJC_STAFFING, (Dimension.NONE,)),
)


def rjc_dataset(scope: Scope, period: Period, *, title: str, generated_at: datetime.datetime) -> Plan:
    """A service's figures for a financial year, as the RJC's Registered Service Provider renewal asks for them."""
    book = Book(
        title=title,
        period=period,
        breakdown=_("Totals, with referrals by source, processes by kind and feedback by part in the case"),
        suppressed=False,
        generated_at=generated_at,
        notes=[
            _(
                "For the service's Registered Service Provider renewal with the Restorative Justice Council: "
                "referrals and outcomes, evaluation and staffing."
            ),
            *notes_for(View.SERVICE),
        ],
    )
    return Plan(book, [_step(figure, scope, period, dimensions, False) for figure, dimensions in RJC_SECTIONS])


def staffing_table(scope: Scope, period: Period) -> FigureTable:
    return definitions.compute(RJC_STAFFING, scope, period)
