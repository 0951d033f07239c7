"""The COMPLAINTS figure on complaints made by hand, its values worked out by hand."""

import datetime

import pytest

from amends.complaints import services
from amends.complaints.models import Complaint, ComplaintKind, EscalatedTo, Outcome
from amends.figures.definitions import COMPLAINTS, Scope, compute
from amends.figures.dimensions import Dimension
from amends.figures.periods import Period
from tests.complaints.builders import record
from tests.personas import Personas

pytestmark = pytest.mark.django_db

SEPTEMBER = Period.month(2026, 9)


def answer(complaint: Complaint, day: datetime.date, outcome: Outcome) -> None:
    assert complaint.handler is not None
    services.respond_to_complaint(
        complaint=complaint, actor=complaint.handler, responded_on=day, outcome=outcome, response="Our answer."
    )


def sep(day: int) -> datetime.date:
    return datetime.date(2026, 9, day)


def test_the_complaints_figure_counts_answers_in_time_and_their_median(personas: Personas) -> None:
    ours, coordinator = personas.service, personas.coordinator
    # 1. Tuesday 1 September: due Tuesday 15th (10 working days); answered on the 8th, 7 days, upheld: in time.
    first = record(ours, coordinator, received_on=sep(1))
    assert first.due_on == sep(15)
    answer(first, sep(8), Outcome.UPHELD)
    # 2. Thursday 3rd: due Thursday 17th; answered on the 24th, 21 days, not upheld: late. Then escalated.
    second = record(ours, coordinator, received_on=sep(3))
    assert second.due_on == sep(17)
    answer(second, sep(24), Outcome.NOT_UPHELD)
    services.escalate_complaint(
        complaint=second, actor=coordinator, escalated_on=sep(30), escalated_to=EscalatedTo.COMMISSIONER
    )
    # 3. Monday 14th: due Monday 28th; answered that day, 14 days, partly upheld: in time (on the day).
    third = record(ours, coordinator, received_on=sep(14))
    assert third.due_on == sep(28)
    answer(third, sep(28), Outcome.PARTLY_UPHELD)
    # 4. Tuesday 15th, withdrawn the next day: a complaint, but not an answer.
    answer(record(ours, coordinator, received_on=sep(15)), sep(16), Outcome.WITHDRAWN)
    # 5. Wednesday 30th, not answered yet.
    record(ours, coordinator, received_on=sep(30))
    # A compliment and other feedback.
    record(ours, coordinator, received_on=sep(10), kind=ComplaintKind.COMPLIMENT)
    record(ours, coordinator, received_on=sep(11), kind=ComplaintKind.OTHER)
    # Not counted: received in August (answered in September), and another service's complaint.
    answer(record(ours, coordinator, received_on=datetime.date(2026, 8, 31)), sep(1), Outcome.UPHELD)
    theirs = record(personas.other_service, personas.other_coordinator, received_on=sep(5))
    answer(theirs, sep(7), Outcome.UPHELD)

    table = compute(COMPLAINTS, Scope(service_ids=(ours.pk,)), SEPTEMBER)
    values = table.total.values
    assert values["complaints"] == 5
    assert values["compliments"] == 1
    assert values["answered"] == 3  # 1, 2 and 3; the withdrawn one is not an answer
    assert values["answered_in_time"] == 2  # 1 and 3
    assert values["in_time_share"] == pytest.approx(2 / 3)
    assert values["median_days"] == 14  # of 7, 21 and 14
    assert values["upheld"] == 2  # 1 upheld, 3 partly upheld
    assert values["escalated"] == 1

    both = compute(COMPLAINTS, Scope(service_ids=(ours.pk, personas.other_service.pk)), SEPTEMBER, Dimension.SERVICE)
    by_service = {row.label: row.values for row in both.rows}
    assert by_service[ours.name]["complaints"] == 5
    assert by_service[personas.other_service.name]["complaints"] == 1
    assert by_service[personas.other_service.name]["median_days"] == 2
    assert both.total.values["complaints"] == 6


def test_the_figure_is_broken_down_by_service_only() -> None:
    assert frozenset({Dimension.NONE, Dimension.SERVICE}) == COMPLAINTS.dimensions
