"""Referral orders, their panels, reviews and breaches, and the report to a court that deferred sentence: every rule,
through the services."""

import datetime
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, State, Task, TaskKind, TimelineEntry, TimelineKind
from amends.core.errors import DomainError
from amends.core.workdays import add_working_days, is_working_day, working_days_between
from amends.meetings import services as meeting_services
from amends.meetings.models import Meeting, MeetingStatus
from amends.youth import services
from amends.youth.models import (
    CourtReport,
    FinalOutcome,
    PanelMember,
    PanelRole,
    ReferralOrder,
    VictimInvolvement,
)
from tests.case_builders import BuiltCase, build_case
from tests.personas import Personas
from tests.youth.builders import book_panel, make_panel, record_order, referral_order_case

pytestmark = pytest.mark.django_db


def preparing(personas: Personas) -> BuiltCase:
    return referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
    )


def case_of(built: BuiltCase) -> Case:
    return Case.objects.select_related("service", "lead_facilitator").get(pk=built.case.pk)


def review_tasks(built: BuiltCase) -> list[Task]:
    return list(Task.objects.open().filter(case=built.case, kind=TaskKind.PANEL_REVIEW))


def seated(personas: Personas, built: BuiltCase, **booking: object) -> Meeting:
    meeting = book_panel(built.case, personas.facilitator, **booking)  # type: ignore[arg-type]
    meeting.case = case_of(built)
    services.seat_panel(
        meeting=meeting, actor=personas.facilitator, members=make_panel(personas.service, personas.coordinator)
    )
    return meeting


def record_held(meeting: Meeting, actor: object) -> Meeting:
    meeting = Meeting.objects.select_related("case__service").get(pk=meeting.pk)
    return meeting_services.record_meeting(
        meeting=meeting,
        actor=actor,  # type: ignore[arg-type]
        outcome=MeetingStatus.HELD,
        attended={a.pk for a in meeting.attendees.all()},
        summary="The panel agreed a contract with Jay.",
    )


# The register.


def test_a_coordinator_keeps_the_register_and_a_facilitator_may_not(personas: Personas) -> None:
    member = services.save_panel_member(
        service=personas.service,
        actor=personas.coordinator,
        details={"name": "Gwen Price", "role": PanelRole.COMMUNITY, "trained_on": datetime.date(2025, 1, 5)},
    )
    assert member.in_use
    assert AuditEvent.objects.filter(action=AuditAction.PANEL_MEMBER_SAVED, target_id=str(member.pk)).exists()
    with pytest.raises(DomainError, match="keeps its panel members"):
        services.save_panel_member(
            service=personas.service,
            actor=personas.facilitator,
            details={"name": "Tom Hughes", "role": PanelRole.COMMUNITY},
        )


def test_it_refuses_a_second_member_of_the_same_name_and_a_training_date_to_come(personas: Personas) -> None:
    make_panel(personas.service, personas.coordinator)
    with pytest.raises(DomainError, match="already has a panel member"):
        services.save_panel_member(
            service=personas.service,
            actor=personas.coordinator,
            details={"name": "gwen price", "role": PanelRole.COMMUNITY},
        )
    with pytest.raises(DomainError, match="future"):
        services.save_panel_member(
            service=personas.service,
            actor=personas.coordinator,
            details={
                "name": "New Person",
                "role": PanelRole.COMMUNITY,
                "trained_on": timezone.localdate() + datetime.timedelta(days=1),
            },
        )


# The order and its reviews.


def test_it_records_the_order_and_a_review_task_three_months_on_for_the_lead(personas: Personas) -> None:
    built = preparing(personas)
    made_on = timezone.localdate() - datetime.timedelta(days=10)
    order = record_order(built.case, personas.facilitator, made_on=made_on, months=6)
    assert order.ends_on == services.add_months(made_on, 6)
    [task] = review_tasks(built)
    assert task.assigned_to == personas.facilitator
    assert task.due_on == services.add_months(made_on, 3)
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.REFERRAL_ORDER_RECORDED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_ORDER_SAVED, target_id=str(order.pk)).exists()


def test_the_reviews_due_run_every_three_months_to_the_end_of_the_order(personas: Personas) -> None:
    built = preparing(personas)
    made_on = datetime.date(2026, 1, 15)
    order = record_order(built.case, personas.facilitator, made_on=made_on, months=12)
    assert services.reviews_due(order, None) == [
        datetime.date(2026, 4, 15),
        datetime.date(2026, 7, 15),
        datetime.date(2026, 10, 15),
        datetime.date(2027, 1, 15),
    ]
    # A review held late moves the rest on: three months after it, and the last on the end date.
    assert services.reviews_due(order, datetime.date(2026, 5, 1)) == [
        datetime.date(2026, 8, 1),
        datetime.date(2026, 11, 1),
        datetime.date(2027, 1, 15),
    ]


def test_a_three_month_order_has_its_review_on_the_day_it_ends(personas: Personas) -> None:
    built = preparing(personas)
    order = record_order(built.case, personas.facilitator, months=3)
    [task] = review_tasks(built)
    assert task.due_on == order.ends_on


@pytest.mark.parametrize("months", [2, 13])
def test_it_refuses_an_order_shorter_than_3_or_longer_than_12_months(personas: Personas, months: int) -> None:
    built = preparing(personas)
    with pytest.raises(DomainError, match="between 3 and 12 months"):
        record_order(built.case, personas.facilitator, months=months)


def test_it_refuses_an_order_dated_in_the_future(personas: Personas) -> None:
    built = preparing(personas)
    with pytest.raises(DomainError, match="future"):
        record_order(built.case, personas.facilitator, made_on=timezone.localdate() + datetime.timedelta(days=1))


def test_it_refuses_an_order_on_a_case_whose_process_is_not_a_referral_order_panel(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    with pytest.raises(DomainError, match="referral-order panel"):
        record_order(built.case, personas.facilitator)


def test_a_supervisor_reads_but_may_not_record_an_order(personas: Personas) -> None:
    built = preparing(personas)
    case_services.allocate_case(
        case=case_of(built), actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )
    with pytest.raises(DomainError, match="cannot work on this case"):
        record_order(built.case, personas.supervisor)
    order = record_order(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="cannot work on this case"):
        services.record_victim_involvement(
            case=case_of(built), actor=personas.supervisor, involvement=VictimInvolvement.INVITED
        )
    with pytest.raises(DomainError, match="cannot work on this case"):
        services.record_breach(
            case=case_of(built),
            actor=personas.supervisor,
            occurred_on=order.made_on,
            what_happened="Missed two sessions.",
            referred_to_court=False,
        )


# The part of the person harmed in the panel.


def _involve(built: BuiltCase, personas: Personas, **answer: str) -> ReferralOrder:
    return services.record_victim_involvement(case=case_of(built), actor=personas.facilitator, **answer)  # type: ignore[arg-type]


def test_not_inviting_the_person_harmed_needs_a_reason_and_the_reasons_in_words(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="why they are not invited") as no_reason:
        _involve(built, personas, involvement="not_invited", details="Mrs Hill asked us not to call again.")
    assert no_reason.value.field == "not_invited_reason"
    with pytest.raises(DomainError, match="reasons for not inviting") as no_words:
        _involve(built, personas, involvement="not_invited", not_invited_reason="asked_not_to_be_contacted")
    assert no_words.value.field == "details"
    order = _involve(
        built,
        personas,
        involvement="not_invited",
        not_invited_reason="asked_not_to_be_contacted",
        details="Mrs Hill asked us not to call again.",
    )
    order.refresh_from_db()
    assert (order.victim_involvement, order.not_invited_reason) == ("not_invited", "asked_not_to_be_contacted")
    assert order.invitation_decided_by == personas.facilitator
    event = AuditEvent.objects.get(action=AuditAction.VICTIM_INVITATION_DECIDED)
    assert "Hill" not in str(event.changes)
    assert event.changes["not_invited_reason"] == {"before": "", "after": "asked_not_to_be_contacted"}
    entry = TimelineEntry.objects.get(case=built.case, kind=TimelineKind.VICTIM_INVITATION_DECIDED)
    assert "Hill" not in entry.detail
    assert entry.detail == "Not invited: They asked not to be contacted"


def test_declining_to_attend_says_what_they_want_instead(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="what they want instead") as no_choice:
        _involve(built, personas, involvement="declined")
    assert no_choice.value.field == "declined_contribution"
    with pytest.raises(DomainError, match="how they want to take part"):
        _involve(built, personas, involvement="declined", declined_contribution="other_way")
    order = _involve(built, personas, involvement="declined", declined_contribution="statement")
    order.refresh_from_db()
    assert (order.victim_involvement, order.declined_contribution, order.not_invited_reason) == (
        "declined",
        "statement",
        "",
    )


def test_a_reason_or_a_choice_that_does_not_go_with_the_answer_is_refused(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="only for someone not invited"):
        _involve(built, personas, involvement="invited", not_invited_reason="other")
    with pytest.raises(DomainError, match="only for someone who declined"):
        _involve(built, personas, involvement="attending", declined_contribution="statement")
    with pytest.raises(DomainError, match="Choose what happens"):
        _involve(built, personas, involvement="")


def test_changing_the_answer_clears_what_went_with_the_old_one(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    _involve(built, personas, involvement="not_invited", not_invited_reason="could_not_be_contacted", details="x")
    order = _involve(built, personas, involvement="declined", declined_contribution="neither")
    order.refresh_from_db()
    assert (order.not_invited_reason, order.declined_contribution) == ("", "neither")


@pytest.mark.parametrize(
    "values",
    [
        {"victim_involvement": "not_invited"},
        {"victim_involvement": "declined"},
        {"victim_involvement": "invited", "not_invited_reason": "other"},
        {"victim_involvement": "attending", "declined_contribution": "statement"},
        {"victim_involvement": "maybe"},
    ],
)
def test_the_database_refuses_an_involvement_without_what_goes_with_it(
    personas: Personas, values: dict[str, str]
) -> None:
    built = preparing(personas)
    order = record_order(built.case, personas.facilitator)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralOrder.objects.filter(pk=order.pk).update(invitation_decided_by=personas.facilitator, **values)


def test_the_decision_needs_the_order_first(personas: Personas) -> None:
    built = preparing(personas)
    with pytest.raises(DomainError, match="referral order first"):
        _involve(built, personas, involvement="invited")


@pytest.mark.parametrize(
    ("answer", "refusal"),
    [
        (None, "Decide whether to invite"),
        ({"involvement": "not_invited", "not_invited_reason": "other", "details": "x"}, "decided not to invite"),
        ({"involvement": "declined", "declined_contribution": "statement"}, "declined to attend"),
        ({"involvement": "invited"}, None),
        ({"involvement": "attending"}, None),
    ],
)
def test_the_person_harmed_is_booked_for_a_panel_only_once_invited(
    personas: Personas, answer: dict[str, str] | None, refusal: str | None
) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    if answer is not None:
        _involve(built, personas, **answer)
    if refusal is None:
        meeting = book_panel(built.case, personas.facilitator, with_victim=True)
        assert meeting.attendees.filter(participant=built.harmed).exists()
        return
    with pytest.raises(DomainError, match=refusal):
        book_panel(built.case, personas.facilitator, with_victim=True)
    assert not Meeting.objects.filter(case=built.case).exists()
    assert book_panel(built.case, personas.facilitator).status == MeetingStatus.BOOKED


# The panel.


def test_a_panel_needs_two_community_members_and_a_youth_justice_officer(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = book_panel(built.case, personas.facilitator)
    meeting.case = case_of(built)
    gwen, tom, sara = make_panel(personas.service, personas.coordinator)
    with pytest.raises(DomainError, match="youth justice service officer"):
        services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[gwen, tom])
    with pytest.raises(DomainError, match="two community panel members"):
        services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[gwen, sara])
    seats = services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[gwen, tom, sara])
    assert len(seats) == 3
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.PANEL_SEATED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PANEL_SEATED).exists()


def test_only_trained_members_in_use_of_the_service_sit(personas: Personas) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = book_panel(built.case, personas.facilitator)
    meeting.case = case_of(built)
    gwen, tom, sara = make_panel(personas.service, personas.coordinator)
    untrained = services.save_panel_member(
        service=personas.service, actor=personas.coordinator, details={"name": "Ali Rees", "role": PanelRole.COMMUNITY}
    )
    with pytest.raises(DomainError, match="not trained"):
        services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[untrained, tom, sara])
    services.save_panel_member(
        service=personas.service, actor=personas.coordinator, member=gwen, details={"in_use": False}
    )
    gwen.refresh_from_db()
    with pytest.raises(DomainError, match="in use"):
        services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[gwen, tom, sara])
    elsewhere = PanelMember.objects.create(
        service=personas.other_service,
        name="Out Of Area",
        role=PanelRole.COMMUNITY,
        trained_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(DomainError, match="of this service"):
        services.seat_panel(meeting=meeting, actor=personas.facilitator, members=[elsewhere, tom, sara])


def test_a_panel_meeting_is_not_recorded_as_held_without_a_full_panel(
    personas: Personas, later: Callable[[datetime.timedelta], None]
) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = book_panel(built.case, personas.facilitator)
    later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
    with pytest.raises(DomainError, match="two community panel members"):
        record_held(meeting, personas.facilitator)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.BOOKED


def test_a_seated_panel_meeting_is_held_and_the_next_review_is_three_months_after_it(
    personas: Personas, later: Callable[[datetime.timedelta], None]
) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator, months=12)
    meeting = seated(personas, built)
    later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
    record_held(meeting, personas.facilitator)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    assert Case.objects.get(pk=built.case.pk).state == State.IN_PROCESS
    [task] = review_tasks(built)
    assert task.due_on == services.add_months(timezone.localdate(meeting.starts_at), 3)


def test_the_panel_is_chosen_only_while_the_meeting_is_booked(
    personas: Personas, later: Callable[[datetime.timedelta], None]
) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = seated(personas, built)
    later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
    record_held(meeting, personas.facilitator)
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.case = case_of(built)
    with pytest.raises(DomainError, match="while the meeting is booked"):
        services.seat_panel(
            meeting=meeting, actor=personas.facilitator, members=make_panel(personas.service, personas.coordinator)
        )


def test_a_panel_member_does_not_sit_on_two_panels_at_once(personas: Personas) -> None:
    first = preparing(personas)
    record_order(first.case, personas.facilitator)
    seated(personas, first, days=3)
    # Another case, led by the coordinator, so only the panel members clash.
    second = referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.coordinator
    )
    record_order(second.case, personas.coordinator)
    meeting = book_conference_elsewhere(personas, second)
    with pytest.raises(DomainError, match="Already sitting"):
        services.seat_panel(
            meeting=meeting, actor=personas.coordinator, members=make_panel(personas.service, personas.coordinator)
        )


def book_conference_elsewhere(personas: Personas, built: BuiltCase) -> Meeting:
    from tests.case_builders import book_conference, day_at, make_venue

    venue = make_venue(personas.service, personas.coordinator, name="Town Hall")
    meeting = book_conference(
        built.case,
        personas.coordinator,
        purpose="panel",
        starts_at=day_at(10, days=3),
        venue=venue,
        attendees=[built.responsible],
    )
    meeting.case = case_of(built)
    return meeting


# Breach and the final meeting.


def test_a_breach_needs_what_happened_and_is_on_the_timeline_without_it(personas: Personas) -> None:
    built = preparing(personas)
    order = record_order(built.case, personas.facilitator)
    with pytest.raises(DomainError, match="what happened"):
        services.record_breach(
            case=case_of(built),
            actor=personas.facilitator,
            occurred_on=order.made_on,
            what_happened=" ",
            referred_to_court=True,
        )
    with pytest.raises(DomainError, match="after the order"):
        services.record_breach(
            case=case_of(built),
            actor=personas.facilitator,
            occurred_on=order.made_on - datetime.timedelta(days=1),
            what_happened="Missed sessions.",
            referred_to_court=True,
        )
    breach = services.record_breach(
        case=case_of(built),
        actor=personas.facilitator,
        occurred_on=order.made_on,
        what_happened="Jay missed three reparation sessions.",
        referred_to_court=True,
    )
    assert breach.referred_to_court
    entry = TimelineEntry.objects.get(case=built.case, kind=TimelineKind.ORDER_BREACHED)
    assert "Jay" not in entry.detail
    event = AuditEvent.objects.get(action=AuditAction.ORDER_BREACHED)
    assert "Jay" not in str(event.changes)


def test_the_final_meeting_ends_the_reviews_and_a_breached_order_needs_its_breach(
    personas: Personas, later: Callable[[datetime.timedelta], None]
) -> None:
    built = preparing(personas)
    record_order(built.case, personas.facilitator)
    meeting = seated(personas, built)
    with pytest.raises(DomainError, match="as held first"):
        services.record_final_meeting(
            case=case_of(built), actor=personas.facilitator, meeting=meeting, outcome=FinalOutcome.COMPLETED
        )
    later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
    record_held(meeting, personas.facilitator)
    with pytest.raises(DomainError, match="breach first"):
        services.record_final_meeting(
            case=case_of(built), actor=personas.facilitator, meeting=meeting, outcome=FinalOutcome.BREACHED
        )
    order = services.record_final_meeting(
        case=case_of(built), actor=personas.facilitator, meeting=meeting, outcome=FinalOutcome.COMPLETED
    )
    assert order.final_outcome == FinalOutcome.COMPLETED
    assert review_tasks(built) == []
    assert services.reviews_due(order, None) == []


# The report to the court.


def pre_sentence(personas: Personas, *, deferred_days: int = 30) -> BuiltCase:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    today = timezone.localdate()
    case_services.update_case_details(
        case=case_of(built),
        actor=personas.facilitator,
        details={
            "pre_sentence": True,
            "deferment_order_on": today - datetime.timedelta(days=1),
            "deferred_until": today + datetime.timedelta(days=deferred_days),
        },
        expected_version=None,
    )
    return built


def test_recording_the_deferment_schedules_the_report_five_working_days_before_sentence(personas: Personas) -> None:
    built = pre_sentence(personas)
    case = case_of(built)
    report = CourtReport.objects.get(case=case)
    assert report.due_on < case.deferred_until
    assert is_working_day(report.due_on)
    assert working_days_between(report.due_on, case.deferred_until) >= 5
    # The latest such day: the next working day would leave fewer than five (across bank holidays too).
    assert working_days_between(add_working_days(report.due_on, 1), case.deferred_until) < 5
    [task] = Task.objects.open().filter(case=case, kind=TaskKind.COURT_REPORT)
    assert task.assigned_to == personas.facilitator
    assert task.due_on == report.due_on
    assert AuditEvent.objects.filter(action=AuditAction.COURT_REPORT_SAVED).exists()


def test_moving_the_sentence_date_moves_the_report_and_its_task(personas: Personas) -> None:
    built = pre_sentence(personas, deferred_days=20)
    first = CourtReport.objects.get(case=built.case).due_on
    case_services.update_case_details(
        case=case_of(built),
        actor=personas.facilitator,
        details={"deferred_until": timezone.localdate() + datetime.timedelta(days=60)},
        expected_version=None,
    )
    report = CourtReport.objects.get(case=built.case)
    assert report.due_on > first
    [task] = Task.objects.open().filter(case=built.case, kind=TaskKind.COURT_REPORT)
    assert task.due_on == report.due_on


def test_sending_the_report_closes_its_task(personas: Personas) -> None:
    built = pre_sentence(personas)
    with pytest.raises(DomainError, match="Summarise"):
        services.send_court_report(
            case=case_of(built), actor=personas.facilitator, sent_on=timezone.localdate(), summary=""
        )
    report = services.send_court_report(
        case=case_of(built),
        actor=personas.facilitator,
        sent_on=timezone.localdate(),
        summary="Both met; Dan apologised and agreed to repair the fence.",
    )
    assert report.sent_by == personas.facilitator
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.COURT_REPORT).exists()
    entry = TimelineEntry.objects.get(case=built.case, kind=TimelineKind.COURT_REPORT_SENT)
    assert "Dan" not in entry.detail
    with pytest.raises(DomainError, match="already been sent"):
        services.send_court_report(
            case=case_of(built), actor=personas.facilitator, sent_on=timezone.localdate(), summary="Again."
        )


def test_it_refuses_a_report_after_the_sentence_date(
    personas: Personas, later: Callable[[datetime.timedelta], None]
) -> None:
    built = pre_sentence(personas, deferred_days=10)
    later(datetime.timedelta(days=11))
    with pytest.raises(DomainError, match=r"sentence date .* has passed"):
        services.send_court_report(
            case=case_of(built), actor=personas.facilitator, sent_on=timezone.localdate(), summary="Late."
        )


def test_a_case_without_a_deferment_has_no_report_to_send(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    assert not CourtReport.objects.filter(case=built.case).exists()
    with pytest.raises(DomainError, match="deferment order"):
        services.send_court_report(
            case=case_of(built), actor=personas.facilitator, sent_on=timezone.localdate(), summary="x"
        )


def test_a_supervisor_may_not_send_the_report(personas: Personas) -> None:
    built = pre_sentence(personas)
    case_services.allocate_case(
        case=case_of(built), actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )
    with pytest.raises(DomainError, match="cannot work on this case"):
        services.send_court_report(
            case=case_of(built), actor=personas.supervisor, sent_on=timezone.localdate(), summary="x"
        )


def test_the_working_days_before_skip_weekends_and_bank_holidays() -> None:
    # Monday 4 January 2027: New Year's Day, Christmas Day and Boxing Day (moved to Monday 28th) are skipped.
    assert services.working_days_before(datetime.date(2027, 1, 4), 5) == datetime.date(2026, 12, 23)
    assert services.working_days_before(datetime.date(2026, 12, 4), 5) == datetime.date(2026, 11, 27)


def test_months_are_added_to_the_last_day_of_a_shorter_month() -> None:
    assert services.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


@pytest.mark.parametrize(
    ("made_on", "ends_on", "expected"),
    [
        # A short month on the way does not pull the later reviews earlier.
        (
            datetime.date(2026, 11, 30),
            datetime.date(2027, 5, 30),
            [datetime.date(2027, 2, 28), datetime.date(2027, 5, 30)],
        ),
        (
            datetime.date(2026, 8, 31),
            datetime.date(2027, 8, 31),
            [
                datetime.date(2026, 11, 30),
                datetime.date(2027, 2, 28),
                datetime.date(2027, 5, 31),
                datetime.date(2027, 8, 31),
            ],
        ),
        (
            datetime.date(2026, 1, 15),
            datetime.date(2026, 5, 15),
            [datetime.date(2026, 4, 15), datetime.date(2026, 5, 15)],
        ),
    ],
)
def test_reviews_fall_every_three_months_from_the_order_to_its_end(
    made_on: datetime.date, ends_on: datetime.date, expected: list[datetime.date]
) -> None:
    order = ReferralOrder(made_on=made_on, ends_on=ends_on)
    assert services.reviews_due(order, None) == expected
