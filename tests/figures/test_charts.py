"""The dashboards' charts: the numbers of their table, described in words, with nothing hidden drawn."""

import base64

from amends.figures import charts
from amends.figures.dashboards import STOPPED_AT, STOPS
from amends.figures.definitions import FEEDBACK, FUNNEL, REFERRALS, STEP_LABELS, FigureTable, Row
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period
from amends.figures.suppression import suppress

PERIOD = Period.year(2026)


def _referrals(by_source: dict[str, int]) -> FigureTable:
    rows = [
        Row(label.lower(), label, {"received": count, "accepted": count, "declined": 0, "redirected": 0, "awaiting": 0})
        for label, count in by_source.items()
    ]
    total = sum(by_source.values())
    values = {"received": total, "accepted": total, "declined": 0, "redirected": 0, "awaiting": 0}
    return FigureTable(REFERRALS, Dimension.SOURCE, PERIOD, rows, Row("", "Total", values))


def _svg(chart: charts.Chart) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert chart.data_uri.startswith(prefix)
    return base64.b64decode(chart.data_uri.removeprefix(prefix)).decode()


def test_it_draws_each_row_of_a_breakdown_and_says_what_it_shows() -> None:
    chart = charts.chart_for(_referrals({"Police": 12, "Self-referral": 7}))
    assert chart.title == "Received, by referral source"
    assert chart.description == "Received, by referral source: Police 12, Self-referral 7."
    svg = _svg(chart)
    assert "Police" in svg
    assert "Self-referral" in svg
    assert "<script" not in svg
    assert not svg.startswith("<?xml")


def test_it_leaves_hidden_values_out_of_the_chart_and_says_so() -> None:
    chart = charts.chart_for(suppress(_referrals({"Police": 12, "Victim services": 9, "Self-referral": 3})))
    assert "Police 12" in chart.description
    assert "Not drawn, because hidden: Victim services, Self-referral." in chart.description
    svg = _svg(chart)
    assert "Police" in svg
    assert "Self-referral" not in svg
    assert ">3<" not in svg


def test_it_draws_nothing_when_every_value_is_hidden() -> None:
    chart = charts.chart_for(suppress(_referrals({"Police": 2, "Self-referral": 1})))
    assert chart.svg == ""
    assert chart.description.startswith("Received, by referral source: nothing to draw.")


def test_it_draws_the_steps_of_the_funnel_whatever_the_breakdown() -> None:
    values = {f"step_{step.value}": 10 - step.value for step in STEP_LABELS} | {"completed_share": 0.5}
    table = FigureTable(FUNNEL, Dimension.SOURCE, PERIOD, [Row("police", "Police", values)], Row("", "Total", values))
    chart = charts.chart_for(table)
    assert chart.title == str(FUNNEL.title)
    assert chart.description.startswith("From referral to completed process: Referred 10, Accepted 9, Contact made 8")
    svg = _svg(chart)
    for label in STEP_LABELS.values():
        assert str(label) in svg


def test_it_draws_where_referrals_stopped_across_the_steps() -> None:
    values = {measure.key: 2 for measure in STOPS.measures}
    table = FigureTable(STOPS, Dimension.NONE, PERIOD, [Row("open", "Still open", values)], Row("", "Total", values))
    chart = charts.chart_for(table)
    assert all(str(label) in chart.description for label in STOPPED_AT.values())


def test_it_draws_a_figure_without_breakdown_as_its_counts_and_shares_on_a_scale_to_100() -> None:
    plain = charts.chart_for(FigureTable(REFERRALS, Dimension.NONE, PERIOD, [], _referrals({"Police": 5}).total))
    assert plain.description == (
        "Referrals received: Received 5, Accepted 5, Declined 0, Redirected 0, Awaiting triage 0."
    )
    values = {"satisfaction_answered": 8, "satisfied": 6, "satisfied_share": 0.75, "surveys": 8}
    feedback = FigureTable(
        FEEDBACK, Dimension.SOURCE, PERIOD, [Row("police", "Police", values)], Row("", "Total", values)
    )
    chart = charts.chart_for(feedback)
    assert chart.description == "Share satisfied, by referral source: Police 75.0%."
    assert ">100<" in _svg(chart)


def test_it_says_which_values_have_nothing_to_measure() -> None:
    values = {"satisfaction_answered": 0, "satisfied": 0, "satisfied_share": None, "surveys": 0}
    feedback = FigureTable(
        FEEDBACK, Dimension.SOURCE, PERIOD, [Row("police", "Police", values)], Row("", "Total", values)
    )
    chart = charts.chart_for(feedback)
    assert "Not drawn, because there is nothing to measure: Police." in chart.description
    assert chart.svg == ""
