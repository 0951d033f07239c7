"""Every figure against the figures worked out by hand from the dataset in dataset.py (its docstring shows the working).

A failure here means definitions.py and the documented meaning of a figure disagree: decide which is right from the
figure's numerator, denominator and period rule, not by copying what the code says.
"""

from typing import Any

import pytest
from django.utils import translation

from amends.figures import dashboards, definitions, presenters
from amends.figures.dashboards import View
from amends.figures.definitions import FigureTable, Kind, Scope
from amends.figures.dimensions import PROTECTED, Dimension
from amends.figures.periods import Period
from tests.figures.dataset import (
    CUSTOM,
    CUSTOM_SEVERN,
    MONTH,
    MONTH_SEVERN,
    QUARTER,
    QUARTER_SEVERN,
    STOPS_SEVERN,
    YEAR,
    YEAR_PARTNERSHIP,
    YEAR_SEVERN,
    YEAR_WYE,
    Dataset,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "severn, year": ("scope_severn", YEAR, YEAR_SEVERN),
    "wye, year": ("scope_wye", YEAR, YEAR_WYE),
    "partnership, year": ("scope_partnership", YEAR, YEAR_PARTNERSHIP),
    "severn, quarter 1": ("scope_severn", QUARTER, QUARTER_SEVERN),
    "severn, May": ("scope_severn", MONTH, MONTH_SEVERN),
    "severn, June to September": ("scope_severn", CUSTOM, CUSTOM_SEVERN),
}


def _differences(table: FigureTable, expected: dict[str, Any], values: dict[str, Any] | None = None) -> list[str]:
    values = table.total.values if values is None else values
    found = []
    for key, value in expected.items():
        got = values.get(key)
        same = value is got if value is None or got is None else got == pytest.approx(value, abs=1e-9)
        if not same:
            found.append(f"{table.figure.key}.{key}: expected {value}, got {got}")
    return found


def _rows(table: FigureTable, measure: str) -> list[tuple[str, Any]]:
    return [(row.label, row.values[measure]) for row in table.rows]


def _compute(
    dataset: Dataset, key: str, dimension: Dimension = Dimension.NONE, scope: Scope | None = None
) -> FigureTable:
    return definitions.compute(definitions.BY_KEY[key], scope or dataset.scope_severn, YEAR, dimension)


def test_the_hand_worked_figures_cover_every_measure_of_every_figure() -> None:
    for figure in definitions.FIGURES:
        assert set(YEAR_SEVERN[figure.key]) == {measure.key for measure in figure.measures}, figure.key
        assert set(QUARTER_SEVERN[figure.key]) == {measure.key for measure in figure.measures}, figure.key
        assert set(YEAR_PARTNERSHIP[figure.key]) == {measure.key for measure in figure.measures}, figure.key


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_figure_total_is_the_hand_worked_one(dataset: Dataset, case: str) -> None:
    scope_name, period, expected = EXPECTED[case]
    scope = getattr(dataset, scope_name)
    problems = []
    for key, measures in expected.items():
        if key in definitions.BY_KEY:
            problems += _differences(definitions.compute(definitions.BY_KEY[key], scope, period), measures)
    assert problems == []


def test_a_partnership_counts_its_services_together_and_no_other(dataset: Dataset) -> None:
    other = Scope((dataset.personas.other_service.pk,))
    for figure in definitions.FIGURES:
        severn = definitions.compute(figure, dataset.scope_severn, YEAR).total.values
        wye = definitions.compute(figure, dataset.scope_wye, YEAR).total.values
        both = definitions.compute(figure, dataset.scope_partnership, YEAR).total.values
        for measure in figure.measures:
            if measure.kind == Kind.COUNT and figure is not definitions.PRACTITIONERS:
                assert both[measure.key] == severn[measure.key] + wye[measure.key], (figure.key, measure.key)
        assert all(
            definitions.compute(figure, other, YEAR).total.values[m.key] in (0, None) for m in figure.measures
        ), figure.key
    # A facilitator in both services is one practitioner of the partnership.
    practitioners = definitions.compute(definitions.PRACTITIONERS, dataset.scope_partnership, YEAR, Dimension.SERVICE)
    assert _rows(practitioners, "practitioners") == [("Severn Test Service", 4), ("Wye Test Service", 2)]
    assert practitioners.total.values["practitioners"] == 5


def test_the_partnership_dashboard_shows_each_service_side_by_side(dataset: Dataset) -> None:
    dashboard = dashboards.build(View.PARTNERSHIP, dataset.scope_partnership, YEAR)
    referrals = next(table for table in dashboard.tables if table.figure.key == "referrals")
    assert referrals.dimension == Dimension.SERVICE
    assert _rows(referrals, "received") == [("Severn Test Service", 19), ("Wye Test Service", 5)]
    assert _rows(referrals, "redirected") == [("Severn Test Service", 1), ("Wye Test Service", 0)]
    timeliness = next(table for table in dashboard.tables if table.figure.key == "timeliness")
    assert _differences(timeliness, YEAR_SEVERN["timeliness"], timeliness.rows[0].values) == []
    assert _differences(timeliness, YEAR_WYE["timeliness"], timeliness.rows[1].values) == []


def test_by_area_blank_areas_are_not_recorded(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.AREA)
    assert _rows(table, "received") == [("Gloucester", 10), ("Stroud", 6), ("Not recorded", 3)]


def test_by_offence(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.OFFENCE)
    assert _rows(table, "received") == [
        ("Violence with injury", 3),
        ("Violence without injury", 1),
        ("Burglary", 7),
        ("Theft", 4),
        ("Criminal damage and arson", 3),
        ("Stalking and harassment", 1),
    ]
    funnel = _compute(dataset, "funnel", Dimension.OFFENCE)
    burglary = next(row for row in funnel.rows if row.key == "burglary")
    assert [burglary.values[f"step_{step}"] for step in range(6)] == [7, 5, 4, 3, 2, 1]
    assert burglary.values["completed_share"] == pytest.approx(1 / 7)


def test_by_stage(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.STAGE)
    assert [(row.key, row.values["received"]) for row in table.rows] == [
        ("not_reported", 2),
        ("pre_charge", 11),
        ("out_of_court", 3),
        ("community_sentence", 2),
        ("custody", 1),
    ]


def test_by_source(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.SOURCE)
    assert [(row.key, row.values["received"]) for row in table.rows] == [
        ("police", 11),
        ("youth_justice", 1),
        ("probation", 2),
        ("victim_service", 2),
        ("court", 1),
        ("self", 2),
    ]
    police = table.rows[0].values
    assert (police["accepted"], police["declined"], police["redirected"], police["awaiting"]) == (7, 2, 1, 1)


def test_by_age_group_referrals_not_accepted_are_not_recorded(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.AGE_GROUP)
    assert [(row.key, row.values["received"]) for row in table.rows] == [("child", 1), ("adult", 13), ("", 5)]
    assert table.rows[-1].label == "Not recorded"
    funnel = _compute(dataset, "funnel", Dimension.AGE_GROUP)
    assert [funnel.rows[0].values[f"step_{step}"] for step in range(6)] == [1, 1, 1, 1, 1, 1]


def test_by_process_kind(dataset: Dataset) -> None:
    processes = _compute(dataset, "processes", Dimension.PROCESS_KIND)
    assert [(row.key, row.values["processes"]) for row in processes.rows] == [
        ("face_to_face", 5),
        ("virtual", 1),
        ("shuttle", 1),
        ("letters", 1),
    ]
    referrals = _compute(dataset, "referrals", Dimension.PROCESS_KIND)
    assert [(row.key, row.values["received"]) for row in referrals.rows] == [
        ("face_to_face", 5),
        ("virtual", 1),
        ("shuttle", 1),
        ("letters", 1),
        ("", 11),
    ]


def test_by_role(dataset: Dataset) -> None:
    welsh = _compute(dataset, "welsh", Dimension.ROLE)
    assert [(row.key, row.values["participants"], row.values["asked"], row.values["welsh"]) for row in welsh.rows] == [
        ("person_harmed", 14, 5, 3),
        ("person_responsible", 14, 4, 1),
        ("supporter", 1, 1, 0),
    ]
    feedback = _compute(dataset, "feedback", Dimension.ROLE)
    assert [(row.key, row.values["surveys"]) for row in feedback.rows] == [
        ("person_harmed", 5),
        ("person_responsible", 2),
    ]


def test_by_ethnicity_a_case_counts_its_person_harmed_and_a_survey_its_own_person(dataset: Dataset) -> None:
    referrals = _compute(dataset, "referrals", Dimension.ETHNICITY)
    assert _rows(referrals, "received") == [
        ("Asian, Asian British or Asian Welsh", 1),
        ("Black, Black British, Black Welsh, Caribbean or African", 1),
        ("White", 3),
        ("Not recorded", 14),
    ]
    feedback = _compute(dataset, "feedback", Dimension.ETHNICITY)
    assert _rows(feedback, "surveys") == [
        ("Asian, Asian British or Asian Welsh", 1),
        ("Black, Black British, Black Welsh, Caribbean or African", 1),
        ("White", 4),
        ("Not recorded", 1),
    ]
    assert next(row for row in feedback.rows if row.label == "White").values["fear_before_mean"] == pytest.approx(7.5)


def test_by_sex_prefer_not_to_say_is_a_row_of_its_own(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.SEX)
    assert _rows(table, "received") == [("Female", 2), ("Male", 2), ("Prefer not to say", 1), ("Not recorded", 14)]


def test_by_age_band_a_question_left_blank_is_not_recorded(dataset: Dataset) -> None:
    table = _compute(dataset, "referrals", Dimension.AGE_BAND)
    assert _rows(table, "received") == [("25 to 34", 1), ("35 to 44", 2), ("45 to 54", 1), ("Not recorded", 15)]
    welsh = _compute(dataset, "welsh", Dimension.AGE_BAND)
    assert ("Under 18", 1) in _rows(welsh, "participants")


def _adds_up(dataset: Dataset, dimensions: set[Dimension]) -> None:
    for figure in definitions.FIGURES:
        total = definitions.compute(figure, dataset.scope_severn, YEAR).total.values
        for dimension in sorted(figure.dimensions & dimensions):
            table = definitions.compute(figure, dataset.scope_severn, YEAR, dimension)
            assert table.total.values == total, (figure.key, dimension)
            for measure in figure.measures:
                if measure.kind == Kind.COUNT:
                    parts = sum(row.values[measure.key] for row in table.rows)
                    assert parts == total[measure.key], (figure.key, dimension, measure.key)


def test_a_breakdown_adds_up_to_the_total(dataset: Dataset) -> None:
    _adds_up(dataset, set(Dimension) - PROTECTED - {Dimension.NONE})


def test_a_breakdown_by_a_protected_characteristic_adds_up_to_the_total(dataset: Dataset) -> None:
    _adds_up(dataset, set(PROTECTED))
    # And it finds the answers: not everyone is "not recorded".
    assert len(_compute(dataset, "referrals", Dimension.ETHNICITY).rows) == 4


def test_the_funnel_and_why_cases_stopped(dataset: Dataset) -> None:
    funnel = _compute(dataset, "funnel")
    assert [funnel.total.values[f"step_{step}"] for step in range(6)] == [19, 14, 12, 8, 7, 5]
    stops = dashboards.stops_table(dataset.scope_severn, YEAR)
    found = {row.key: {int(k.split("_")[1]): v for k, v in row.values.items() if v} for row in stops.rows}
    assert found == STOPS_SEVERN
    assert [row.key for row in stops.rows] == list(STOPS_SEVERN)  # triage decisions, still open, then the reasons
    assert [stops.total.values[f"stopped_{step}"] for step in range(5)] == [5, 2, 4, 1, 2]
    # Every referral that did not complete stopped somewhere: 19 referrals, 5 completed.
    assert sum(stops.total.values.values()) == 19 - 5


def test_the_service_dashboard_has_every_figure_and_why_cases_stopped_after_the_funnel(dataset: Dataset) -> None:
    dashboard = dashboards.build(View.SERVICE, dataset.scope_severn, YEAR)
    keys = [table.figure.key for table in dashboard.tables]
    assert keys.index("stops") == keys.index("funnel") + 1
    assert set(keys) == {figure.key for figure in definitions.FIGURES} | {"stops"}
    for table in dashboard.tables:
        if table.figure.key in YEAR_SEVERN:
            assert _differences(table, YEAR_SEVERN[table.figure.key]) == [], table.figure.key
        assert not table.suppressed


def test_the_published_values_are_rounded_as_worked_by_hand(dataset: Dataset) -> None:
    def shown(key: str, measure: str, scope: Scope) -> str:
        table = definitions.compute(definitions.BY_KEY[key], scope, YEAR)
        return presenters.display(table.figure.measure(measure), table.total)

    with translation.override("en"):
        assert shown("victims_code", "told_share", dataset.scope_severn) == "78.9%"
        assert shown("victims_code", "in_time_share", dataset.scope_partnership) == "68.8%"  # 68.75, half up
        assert shown("funnel", "completed_share", dataset.scope_partnership) == "29.2%"
        assert shown("timeliness", "closure_p90", dataset.scope_severn) == "108.6"
        assert shown("feedback", "fear_after_mean", dataset.scope_severn) == "3.4"
        assert shown("reoffending", "frequency_before", dataset.scope_partnership) == "2.43"
        assert shown("reoffending", "change", dataset.scope_severn) == "-33.3%"
        assert shown("reoffending", "change", dataset.scope_partnership) == "-35.3%"
        assert shown("agreements", "completed_share", dataset.scope_partnership) == "76.9%"
        assert shown("referrals", "redirected", dataset.scope_wye) == "0"
        assert shown("complaints", "median_days", dataset.scope_severn) == "13.0"
        assert shown("complaints", "in_time_share", dataset.scope_severn) == "66.7%"
        assert shown("complaints", "median_days", dataset.scope_wye) == "-"
        assert shown("complaints", "in_time_share", dataset.scope_wye) == "-"


def test_a_period_with_nothing_in_it_gives_zeros_and_no_shares(dataset: Dataset) -> None:
    empty = Period.month(2024, 7)
    for figure in definitions.FIGURES:
        values = definitions.compute(figure, dataset.scope_severn, empty).total.values
        for measure in figure.measures:
            if measure.kind == Kind.COUNT and figure is not definitions.PRACTITIONERS:
                assert values[measure.key] == 0, (figure.key, measure.key)
            elif measure.kind != Kind.COUNT and figure is not definitions.PRACTITIONERS:
                assert values[measure.key] is None, (figure.key, measure.key)
