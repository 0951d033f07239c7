"""A dashboard's figures, built once for the screen and for every export of it, so the two cannot differ.

Three views: a service's own (every figure, any breakdown), a partnership's (every service side by side) and the
commissioner's (any breakdown, every table through suppression.suppress_all, no personal data anywhere).
"""

import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from amends.cases.models import ClosureReason
from amends.figures import definitions, dimensions
from amends.figures.definitions import FUNNEL, Figure, FigureTable, Measure, Row, Scope, Step
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period
from amends.figures.suppression import suppress_all
from amends.referrals.models import TriageDecision


class View(enum.StrEnum):
    SERVICE = "service"
    PARTNERSHIP = "partnership"
    COMMISSIONER = "commissioner"


# Where a referral stopped: each step it reached without going further (completed cases did not stop).
STOPPED_AT = {
    Step.RECEIVED: _("At triage"),
    Step.ACCEPTED: _("Before contact"),
    Step.CONTACTED: _("Before being assessed as suitable"),
    Step.SUITABLE: _("Before the process"),
    Step.PROCESS: _("After the process, not completed"),
}
STOP_REASONS = {
    TriageDecision.DECLINED.value: TriageDecision.DECLINED.label,
    TriageDecision.REDIRECTED.value: TriageDecision.REDIRECTED.label,
    TriageDecision.AWAITING.value: TriageDecision.AWAITING.label,
    "open": _("Still open"),
    **{reason.value: reason.label for reason in ClosureReason},
}

STOPS = Figure(
    key="stops",
    title=_("Why cases stopped"),
    counts=_("Referrals that did not end in a completed process"),
    period_rule=FUNNEL.period_rule,
    numerator=_(
        "Each referral, at the furthest step it reached, under the reason it stopped: the triage decision for "
        "referrals not accepted, the closure reason for closed cases, 'still open' for the rest."
    ),
    denominator=_("None: these are counts."),
    left_out=_("Referrals whose case was completed."),
    base=FUNNEL.base,
    measures=tuple(Measure(f"stopped_{step.value}", label) for step, label in STOPPED_AT.items()),
    rows=FUNNEL.rows,
    aggregates=lambda period: {},
    dimensions=frozenset({Dimension.NONE}),
)


def stops_table(scope: Scope, period: Period) -> FigureTable:
    """Why referrals stopped, as a table: one row per reason, one column per step (one SQL query)."""
    found: dict[str, dict[str, int]] = {}
    for step, reason, referrals in definitions.stops(scope, period):
        if step == Step.COMPLETED:
            continue
        found.setdefault(reason, {measure.key: 0 for measure in STOPS.measures})[f"stopped_{step}"] += referrals
    rows = [Row(reason, str(label), found[reason]) for reason, label in STOP_REASONS.items() if reason in found]
    total = Row("", str(_("Total")), {m.key: sum(row.values[m.key] for row in rows) for m in STOPS.measures})
    return FigureTable(STOPS, Dimension.NONE, period, rows, total)


@dataclass
class Dashboard:
    view: View
    period: Period
    dimension: Dimension
    scope: Scope
    tables: list[FigureTable]

    @property
    def suppressed(self) -> bool:
        return self.view == View.COMMISSIONER


def build(
    view: View, scope: Scope, period: Period, dimension: Dimension = Dimension.NONE, figures: tuple[Figure, ...] = ()
) -> Dashboard:
    """Every figure of the dashboard (the funnel followed by why cases stopped), suppressed for the commissioner."""
    if view == View.PARTNERSHIP:
        dimension = Dimension.SERVICE
    tables: list[FigureTable] = []
    for figure in figures or definitions.FIGURES:
        tables.append(
            definitions.compute(figure, scope, period, dimension if dimension in figure.dimensions else Dimension.NONE)
        )
        if figure is FUNNEL:
            tables.append(stops_table(scope, period))
    if view == View.COMMISSIONER:
        tables = suppress_all(tables)
    return Dashboard(view, period, dimension, scope, tables)


# The breakdowns a commissioner's return gives for each figure, besides the total.
RETURN_DIMENSIONS = (
    Dimension.SOURCE,
    Dimension.OFFENCE,
    Dimension.STAGE,
    Dimension.AGE_GROUP,
    Dimension.AREA,
    *sorted(dimensions.PROTECTED),
)
