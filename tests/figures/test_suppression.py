"""The commissioner's suppression (amends/figures/suppression.py), each of its six rules proven on a table made by hand
and on the hand-built dataset. Each test fails if its rule is taken out."""

from typing import Any

import pytest
from django.utils import translation

from amends.figures import dashboards, definitions, presenters
from amends.figures.dashboards import View
from amends.figures.definitions import Figure, FigureTable, Row
from amends.figures.dimensions import Dimension
from amends.figures.suppression import suppress, suppress_all
from tests.figures.dataset import YEAR, Dataset


def _row(figure: Figure, key: str, **values: Any) -> Row:
    counted = {measure.key: values.get(measure.key, 0) for measure in figure.counted}
    return Row(key, key or "Total", definitions._derived(figure, counted))


def _table(figure: Figure, total: dict[str, Any], rows: dict[str, dict[str, Any]] | None = None) -> FigureTable:
    made = [_row(figure, key, **values) for key, values in (rows or {}).items()]
    return FigureTable(figure, Dimension.AREA if rows else Dimension.NONE, YEAR, made, _row(figure, "", **total))


def _shown(table: FigureTable, measure: str, row: Row | None = None) -> str:
    with translation.override("en"):
        return presenters.display(table.figure.measure(measure), row or table.total)


def test_a_count_from_1_to_4_is_hidden_and_zero_and_5_are_shown() -> None:
    table = suppress(
        _table(definitions.REFERRALS, {"received": 11, "accepted": 5, "declined": 4, "redirected": 0, "awaiting": 2})
    )
    assert [_shown(table, key) for key in ("received", "accepted", "declined", "redirected", "awaiting")] == [
        "11",
        "5",
        "[c]",
        "0",
        "[c]",
    ]
    assert table.total.shown("declined") is None
    assert table.total.values["declined"] == 4  # kept, never shown
    assert table.suppressed


def test_a_second_part_is_hidden_so_one_hidden_part_cannot_be_worked_out() -> None:
    table = suppress(
        _table(definitions.REFERRALS, {"received": 20, "accepted": 9, "declined": 3, "redirected": 0, "awaiting": 8})
    )
    # The smallest part shown that is not zero goes with the hidden one; zero identifies no one and stays.
    assert [_shown(table, key) for key in ("received", "accepted", "declined", "redirected", "awaiting")] == [
        "20",
        "9",
        "[c]",
        "0",
        "[c]",
    ]


def test_the_whole_is_hidden_when_no_other_part_could_go_with_a_hidden_one() -> None:
    table = suppress(
        _table(definitions.REFERRALS, {"received": 9, "accepted": 0, "declined": 3, "redirected": 0, "awaiting": 0})
    )
    assert _shown(table, "declined") == "[c]"
    assert _shown(table, "received") == "[c]"
    assert _shown(table, "accepted") == "0"


def test_a_second_row_is_hidden_so_one_hidden_row_cannot_be_worked_out_from_the_total() -> None:
    rows = {
        "Gloucester": {"received": 10, "accepted": 10},
        "Stroud": {"received": 6, "accepted": 6},
        "": {"received": 3, "accepted": 3},
    }
    table = suppress(_table(definitions.REFERRALS, {"received": 19, "accepted": 19}, rows))
    gloucester, stroud, not_recorded = table.rows
    assert [_shown(table, "received", row) for row in table.rows] == ["10", "[c]", "[c]"]
    assert _shown(table, "received") == "19"
    assert "received" in not_recorded.suppressed
    assert "received" in stroud.suppressed
    assert not gloucester.suppressed


def test_a_gap_in_a_chain_of_counts_hides_the_inner_one() -> None:
    # People offered RJ are among the people harmed; those accepting among those offered.
    table = suppress(_table(definitions.OFFERED, {"people": 50, "offered": 48, "accepted": 30}))
    assert [_shown(table, key) for key in ("people", "offered", "accepted")] == ["50", "[c]", "30"]
    assert (_shown(table, "offered_share"), _shown(table, "accepted_share")) == ("[c]", "[c]")


def test_a_share_is_hidden_with_its_counts() -> None:
    table = suppress(_table(definitions.VICTIMS_CODE, {"referrals": 30, "told": 3, "clocked": 2, "in_time": 2}))
    assert _shown(table, "told") == "[c]"
    assert _shown(table, "told_share") == "[c]"
    assert _shown(table, "in_time_share") == "[c]"
    assert _shown(table, "referrals") == "30"


@pytest.mark.parametrize(
    ("told", "share", "count"), [(48, "[c]", "[c]"), (49, "[c]", "[c]"), (46, "[c]", "[c]"), (45, "90.0%", "45")]
)
def test_a_count_inside_another_is_hidden_when_the_gap_is_1_to_4(told: int, share: str, count: str) -> None:
    # 48 of 50: the 2 who were not told would show, so the 48 is hidden, and with it the share.
    table = suppress(_table(definitions.VICTIMS_CODE, {"referrals": 50, "told": told}))
    assert (_shown(table, "told_share"), _shown(table, "told")) == (share, count)


def test_a_share_of_all_of_them_is_shown() -> None:
    table = suppress(_table(definitions.VICTIMS_CODE, {"referrals": 50, "told": 50}))
    assert (_shown(table, "told_share"), _shown(table, "told")) == ("100.0%", "50")


def test_a_median_of_fewer_than_5_values_is_hidden() -> None:
    table = suppress(
        _table(
            definitions.TIMELINESS,
            {
                "contact_cases": 4,
                "contact_median": 6.0,
                "contact_p90": 9.0,
                "process_cases": 5,
                "process_median": 40.0,
                "process_p90": 48.0,
                "closure_median": None,
                "closure_p90": None,
            },
        )
    )
    assert [_shown(table, key) for key in ("contact_cases", "contact_median", "contact_p90")] == ["[c]"] * 3
    assert [_shown(table, key) for key in ("process_cases", "process_median", "process_p90")] == ["5", "40.0", "48.0"]
    # With no values behind it there is nothing to hide: "-", not a secret.
    assert [_shown(table, key) for key in ("closure_cases", "closure_median", "closure_p90")] == ["0", "-", "-"]


def test_a_median_is_hidden_when_its_count_is_hidden_to_protect_another_row() -> None:
    rows = {
        "North": {"contact_cases": 3, "contact_median": 4.0, "contact_p90": 6.0},
        "South": {"contact_cases": 9, "contact_median": 7.0, "contact_p90": 12.0},
    }
    table = suppress(_table(definitions.TIMELINESS, {"contact_cases": 12}, rows))
    north, south = table.rows
    assert _shown(table, "contact_cases", south) == "[c]"  # goes with North's 3
    assert _shown(table, "contact_median", south) == "[c]"  # 9 values, but their count is hidden
    assert _shown(table, "contact_median", north) == "[c]"


def test_an_average_of_fewer_than_5_answers_is_hidden() -> None:
    table = suppress(
        _table(
            definitions.FEEDBACK, {"surveys": 12, "fear_answered": 3, "fear_before_mean": 7.0, "fear_after_mean": 3.0}
        )
    )
    assert (_shown(table, "fear_before_mean"), _shown(table, "fear_after_mean")) == ("[c]", "[c]")
    assert _shown(table, "surveys") == "12"


def test_a_rate_is_hidden_with_its_count_of_people() -> None:
    table = suppress(_table(definitions.REOFFENDING, {"people": 3, "before": 10, "after": 6}))
    assert [_shown(table, key) for key in ("people", "frequency_before", "frequency_after")] == ["[c]"] * 3
    assert _shown(table, "change") == "-40.0%"


def test_a_count_hidden_in_one_table_is_hidden_in_its_twin_on_the_same_dashboard() -> None:
    # The 3 declined are hidden, and with them the 6 accepted (the smallest part shown), else 20 - 6 - 11 gives the 3.
    # The funnel's accepted step is the same 6 referrals: alone it would be shown, beside the referrals it goes too.
    referrals = _table(definitions.REFERRALS, {"received": 20, "accepted": 6, "declined": 3, "awaiting": 11})
    steps = {"step_0": 20, "step_1": 6, "step_2": 6, "step_3": 6, "step_4": 6, "step_5": 6}
    funnel = _table(definitions.FUNNEL, steps)
    assert _shown(suppress(funnel), "step_1") == "6"
    suppressed_referrals, suppressed_funnel = suppress_all([referrals, funnel])
    assert _shown(suppressed_referrals, "accepted") == "[c]"
    assert _shown(suppressed_funnel, "step_1") == "[c]"
    assert _shown(suppressed_funnel, "step_0") == "20"


# On the hand-built dataset -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_commissioner_dashboard_passes_every_table_through_suppression(dataset: Dataset) -> None:
    dashboard = dashboards.build(View.COMMISSIONER, dataset.scope_severn, YEAR)
    assert all(table.suppressed for table in dashboard.tables)
    tables = {table.figure.key: table for table in dashboard.tables}
    referrals = tables["referrals"]
    # 19 received: 14 accepted, 2 declined, 1 redirected, 2 awaiting.
    assert [_shown(referrals, key) for key in ("received", "accepted", "declined", "redirected", "awaiting")] == [
        "19",
        "14",
        "[c]",
        "[c]",
        "[c]",
    ]
    victims = tables["victims_code"]
    # 15 of 19 told: the 4 not told would show; 9 of 13 in time: the 4 late would show.
    assert [_shown(victims, key) for key in ("referrals", "told", "told_share")] == ["19", "[c]", "[c]"]
    assert [_shown(victims, key) for key in ("clocked", "in_time", "in_time_share")] == ["13", "[c]", "[c]"]
    timeliness = tables["timeliness"]
    assert [_shown(timeliness, key) for key in ("process_cases", "process_median", "process_p90")] == [
        "8",
        "44.0",
        "49.0",
    ]
    funnel = tables["funnel"]
    # 19, 14, 12, 8, 7, 5: 12 is 2 short of 14, 7 is 1 short of 8, 5 is 3 short of 8.
    assert [_shown(funnel, f"step_{step}") for step in range(6)] == ["19", "14", "[c]", "8", "[c]", "[c]"]
    assert _shown(funnel, "completed_share") == "[c]"
    stops = tables["stops"]
    assert _shown(stops, "stopped_3") == "[c]"  # 1 referral stopped before the process


@pytest.mark.django_db
def test_on_the_dataset_a_small_wye_median_is_hidden_and_zero_shown(dataset: Dataset) -> None:
    dashboard = dashboards.build(View.COMMISSIONER, dataset.scope_wye, YEAR)
    tables = {table.figure.key: table for table in dashboard.tables}
    assert [_shown(tables["timeliness"], key) for key in ("contact_cases", "contact_median")] == ["[c]", "[c]"]
    assert _shown(tables["referrals"], "redirected") == "0"
    assert _shown(tables["referrals"], "received") == "5"


@pytest.mark.django_db
def test_on_the_dataset_a_second_area_is_hidden_beside_a_small_one(dataset: Dataset) -> None:
    table = suppress(definitions.compute(definitions.REFERRALS, dataset.scope_severn, YEAR, Dimension.AREA))
    assert [(row.label, _shown(table, "received", row)) for row in table.rows] == [
        ("Gloucester", "10"),
        ("Stroud", "[c]"),
        ("Not recorded", "[c]"),
    ]
    assert _shown(table, "received") == "19"
    # The unsuppressed table the service sees has every number.
    plain = definitions.compute(definitions.REFERRALS, dataset.scope_severn, YEAR, Dimension.AREA)
    assert [_shown(plain, "received", row) for row in plain.rows] == ["10", "6", "3"]
