"""Booking, moving, cancelling and recording meetings: every rule, through the services."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from amends.accounts.models import Role
from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind, State, Task, TaskKind
from amends.consent import services as consent_services
from amends.core.errors import DomainError
from amends.meetings import services
from amends.meetings.models import Attendee, Meeting, MeetingPurpose, MeetingStatus, Party, Platform, Venue
from amends.meetings.services import Window
from amends.people import services as people_services
from amends.people.models import AccessNeed, Participant, ParticipantRole
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskInformationKind, RiskOutcome
from tests.case_builders import BuiltCase, build_case, day_at, ready_to_take_part
from tests.case_builders import make_venue as build_venue
from tests.cases.test_allocation import eligible_facilitator
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def tomorrow_at(hour: int, days: int = 1) -> datetime.datetime:
    return day_at(hour, days)


def make_venue(personas: Personas, **details: object) -> Venue:
    return build_venue(personas.service, personas.coordinator, **details)


def preparing(personas: Personas, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
        process=process,
    )


def book(personas: Personas, built: BuiltCase, **overrides: object) -> Meeting:
    values: dict[str, object] = {
        "case": built.case,
        "actor": personas.facilitator,
        "purpose": MeetingPurpose.RESTORATIVE,
        "starts_at": tomorrow_at(10),
        "duration_minutes": 90,
        "attendees": [built.harmed, built.responsible],
        "venue": overrides.pop("venue", None) or make_venue(personas),
        **overrides,
    }
    return services.book_meeting(**values)  # type: ignore[arg-type]


def book_virtual(personas: Personas, built: BuiltCase, **overrides: object) -> Meeting:
    """A virtual conference tomorrow at 10, on Teams, with the person harmed and the person responsible."""
    values: dict[str, object] = {
        "case": built.case,
        "actor": personas.facilitator,
        "purpose": MeetingPurpose.RESTORATIVE,
        "starts_at": tomorrow_at(10),
        "duration_minutes": 60,
        "attendees": [built.harmed, built.responsible],
        "platform": Platform.TEAMS,
        **overrides,
    }
    return services.book_meeting(**values)  # type: ignore[arg-type]


def state_of(built: BuiltCase) -> str:
    return Case.objects.get(pk=built.case.pk).state


def supporter_for(personas: Personas, built: BuiltCase, *, ready: bool = True) -> Participant:
    supporter = people_services.add_participant(
        case=built.case,
        actor=personas.facilitator,
        role=ParticipantRole.SUPPORTER,
        details={"given_name": "Beth", "family_name": "Evans"},
        supports=built.harmed,
        takes_part=False,
    )
    if ready:
        ready_to_take_part(supporter, personas.facilitator, ProcessKind.FACE_TO_FACE)
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
        )
    return Participant.objects.get(pk=supporter.pk)


class TestBooking:
    def test_it_books_a_conference_with_each_side_apart_and_schedules_the_case(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        attendees = {a.party: a for a in Attendee.objects.filter(meeting=meeting)}
        harmed, responsible = attendees[Party.HARMED], attendees[Party.RESPONSIBLE]
        assert responsible.arrives_at < harmed.arrives_at < meeting.starts_at
        assert harmed.leaves_at < responsible.leaves_at
        assert attendees[Party.STAFF].staff == personas.facilitator
        assert attendees[Party.STAFF].arrives_at <= responsible.arrives_at
        assert state_of(built) == State.SCHEDULED
        reminder = Task.objects.get(case=built.case, kind=TaskKind.MEETING_REMINDER, completed_at__isnull=True)
        assert reminder.assigned_to == personas.facilitator
        assert reminder.due_on < meeting.starts_at.date()

    def test_each_facilitator_of_the_case_gets_a_reminder(self, personas: Personas) -> None:
        built = preparing(personas)
        co_facilitator = eligible_facilitator(personas)
        case_services.allocate_case(
            case=Case.objects.get(pk=built.case.pk),
            actor=personas.coordinator,
            lead=personas.facilitator,
            co_facilitator=co_facilitator,
        )
        case_services.declare_conflict(
            case=Case.objects.get(pk=built.case.pk), actor=co_facilitator, has_conflict=False
        )
        book(personas, built)
        reminded = Task.objects.open().filter(case=built.case, kind=TaskKind.MEETING_REMINDER)
        assert {task.assigned_to for task in reminded} == {personas.facilitator, co_facilitator}

    def test_it_refuses_when_a_gate_no_longer_holds(self, personas: Personas) -> None:
        built = preparing(personas)
        risk_services.record_risk_information(
            case=built.case,
            actor=personas.facilitator,
            kind=RiskInformationKind.NEW_INFORMATION,
            details="A new report came in.",
            participant=built.responsible,
        )
        with pytest.raises(DomainError, match=r"Risk:.*out of date"):
            book(personas, built)
        assert not Meeting.objects.filter(case=built.case).exists()

    def test_it_refuses_before_the_case_is_being_prepared(self, personas: Personas) -> None:
        built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
        with pytest.raises(DomainError, match="once the gates hold"):
            book(personas, built)

    def test_it_refuses_a_meeting_in_a_letter_exchange(self, personas: Personas) -> None:
        built = preparing(personas, ProcessKind.LETTERS)
        with pytest.raises(DomainError, match="nobody is brought together"):
            book(personas, built)

    def test_it_books_shuttle_meetings_with_one_side_at_a_time(self, personas: Personas) -> None:
        built = preparing(personas, ProcessKind.SHUTTLE)
        with pytest.raises(DomainError, match="never meet"):
            book(personas, built)
        meeting = book(personas, built, attendees=[built.responsible])
        assert list(meeting.attendees.exclude(party=Party.STAFF).values_list("party", flat=True)) == [Party.RESPONSIBLE]

    def test_an_indirect_only_condition_makes_a_conference_impossible(self, personas: Personas) -> None:
        built = preparing(personas)
        risk_services.record_risk_assessment(
            participant=built.harmed,
            actor=personas.facilitator,
            factors={},
            narrative="Still frightened of him.",
            conditions=[RiskCondition.INDIRECT_ONLY],
            outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
            review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        with pytest.raises(DomainError, match="indirect communication only"):
            book(personas, built)

    def test_a_preparation_meeting_is_with_one_side(self, personas: Personas) -> None:
        built = preparing(personas)
        with pytest.raises(DomainError, match="one side only"):
            book(personas, built, purpose=MeetingPurpose.PREPARATION)
        book(personas, built, purpose=MeetingPurpose.PREPARATION, attendees=[built.harmed])
        assert state_of(built) == State.PREPARING

    def test_a_supporter_comes_only_once_ready_and_with_the_facilitators_agreement(self, personas: Personas) -> None:
        built = preparing(personas)
        supporter = supporter_for(personas, built, ready=False)
        with pytest.raises(DomainError, match="does not take part"):
            book(personas, built, attendees=[built.harmed, built.responsible, supporter])
        supporter = supporter_for(personas, built)
        with pytest.raises(DomainError, match="agree each supporter"):
            book(personas, built, attendees=[built.harmed, built.responsible, supporter])
        meeting = book(personas, built, attendees=[built.harmed, built.responsible, supporter], supporters_agreed=True)
        place = meeting.attendees.get(participant=supporter)
        assert (place.party, place.agreed_by) == (Party.HARMED, personas.facilitator)

    def test_the_two_sides_must_arrive_and_leave_apart(self, personas: Personas) -> None:
        built = preparing(personas)
        start = tomorrow_at(10)
        same = Window(start - datetime.timedelta(minutes=20), start + datetime.timedelta(minutes=100))
        with pytest.raises(DomainError, match="10 minutes apart"):
            book(personas, built, starts_at=start, windows={Party.HARMED: same, Party.RESPONSIBLE: same})
        with pytest.raises(DomainError, match="before the start"):
            book(
                personas,
                built,
                starts_at=start,
                windows={
                    Party.HARMED: Window(start + datetime.timedelta(minutes=5), start + datetime.timedelta(hours=2))
                },
            )

    def test_a_virtual_conference_needs_a_platform_and_a_virtual_only_condition_refuses_a_venue(
        self, personas: Personas
    ) -> None:
        built = preparing(personas, ProcessKind.VIRTUAL)
        with pytest.raises(DomainError, match="video platform"):
            book(personas, built)
        meeting = book_virtual(personas, built, pre_checks_on=timezone.localdate())
        assert meeting.is_virtual
        assert meeting.venue is None

    def test_a_venue_must_meet_the_needs_of_those_coming(self, personas: Personas) -> None:
        built = preparing(personas)
        person = built.harmed.person
        people_services.update_person(
            person=person,
            actor=personas.facilitator,
            case=built.case,
            details={"access_needs": [AccessNeed.STEP_FREE]},
            expected_version=None,
        )
        stairs = make_venue(personas, name="Upstairs Room", step_free=False)
        with pytest.raises(DomainError, match="step-free"):
            book(personas, built, venue=stairs)
        one_room = make_venue(personas, name="Small Office", separate_waiting_rooms=False)
        with pytest.raises(DomainError, match="separate waiting rooms"):
            book(personas, built, venue=one_room)

    def test_a_prison_venue_needs_the_visit_booking_and_security_clearance(self, personas: Personas) -> None:
        built = preparing(personas)
        prison = make_venue(personas, name="HMP Gloucester visits hall", is_prison=True)
        with pytest.raises(DomainError, match="visit booking reference"):
            book(personas, built, venue=prison)
        meeting = book(personas, built, venue=prison, visit_booking_reference="VB-2231", security_cleared=True)
        assert Meeting.objects.get(pk=meeting.pk).visit_booking_reference == "VB-2231"

    def test_it_refuses_a_facilitator_a_venue_or_a_person_booked_twice(self, personas: Personas) -> None:
        first = preparing(personas)
        venue = make_venue(personas)
        book(personas, first, venue=venue, starts_at=tomorrow_at(10))
        second = preparing(personas)
        other_venue = make_venue(personas, name="Library meeting room")
        with pytest.raises(DomainError, match="already at another meeting"):
            book(personas, second, venue=other_venue, starts_at=tomorrow_at(11))
        with pytest.raises(DomainError, match="Riverside Community Centre is already booked"):
            book(personas, second, venue=venue, starts_at=tomorrow_at(11))
        # Later the same day, after everyone has gone, is free.
        book(personas, second, venue=other_venue, starts_at=tomorrow_at(15))

    def test_it_refuses_a_person_booked_twice_in_two_cases(self, personas: Personas) -> None:
        first = preparing(personas)
        book(personas, first, starts_at=tomorrow_at(10))
        colleague = UserFactory(full_name="Nia Rowlands")
        MembershipFactory(user=colleague, service=personas.service, role=Role.FACILITATOR)
        second = build_case(
            service=personas.service, coordinator=personas.coordinator, facilitator=colleague, state=State.PREPARING
        )
        again = people_services.add_participant(
            case=second.case,
            actor=colleague,
            role=ParticipantRole.COMMUNITY_MEMBER,
            person=first.harmed.person,
            takes_part=False,
        )
        ready_to_take_part(again, colleague, ProcessKind.FACE_TO_FACE)
        people_services.update_participant(participant=again, actor=colleague, takes_part=True)
        with pytest.raises(DomainError, match=f"{first.harmed.person.full_name} is already at another meeting"):
            book(
                personas,
                second,
                actor=colleague,
                venue=make_venue(personas, name="Library"),
                starts_at=tomorrow_at(11),
                attendees=[second.harmed, second.responsible, again],
            )

    def test_it_refuses_a_meeting_in_the_past_or_of_no_length(self, personas: Personas) -> None:
        built = preparing(personas)
        with pytest.raises(DomainError, match="future"):
            book(personas, built, starts_at=timezone.now() - datetime.timedelta(hours=1))
        with pytest.raises(DomainError, match="between"):
            book(personas, built, duration_minutes=5)

    def test_only_the_case_team_books(self, personas: Personas) -> None:
        built = preparing(personas)
        with pytest.raises(DomainError, match="cannot work on this case"):
            book(personas, built, actor=personas.supervisor)


class TestChanges:
    def test_a_virtual_meetings_connection_test_is_recorded_before_the_meeting(self, personas: Personas) -> None:
        built = preparing(personas, ProcessKind.VIRTUAL)
        meeting = book_virtual(personas, built)
        assert meeting.pre_checks_on is None
        today = timezone.localdate()
        with pytest.raises(DomainError, match="future"):
            services.record_pre_checks(
                meeting=meeting, actor=personas.facilitator, checked_on=today + datetime.timedelta(days=1)
            )
        checked = services.record_pre_checks(meeting=meeting, actor=personas.facilitator, checked_on=today)
        assert Meeting.objects.get(pk=meeting.pk).pre_checks_on == today
        event = AuditEvent.objects.filter(action=AuditAction.MEETING_CHANGED, target_id=str(meeting.pk)).get()
        assert event.changes["pre_checks_on"] == {"before": None, "after": today.isoformat()}
        with pytest.raises(DomainError, match="Someone else changed"):
            services.record_pre_checks(
                meeting=meeting, actor=personas.facilitator, checked_on=today, expected_version=1
            )
        assert checked.version == 2

    def test_only_a_virtual_meeting_has_a_connection_test(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        with pytest.raises(DomainError, match="Only a virtual meeting"):
            services.record_pre_checks(meeting=meeting, actor=personas.facilitator, checked_on=timezone.localdate())
        assert Meeting.objects.get(pk=meeting.pk).pre_checks_on is None

    def test_the_connection_is_tested_before_the_meeting_not_after(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas, ProcessKind.VIRTUAL)
        meeting = book_virtual(personas, built)
        later(datetime.timedelta(days=2))
        with pytest.raises(DomainError, match="before the meeting"):
            services.record_pre_checks(meeting=meeting, actor=personas.facilitator, checked_on=timezone.localdate())

    def test_moving_a_meeting_moves_everyone_and_keeps_the_sides_apart(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        before = {a.pk: a.arrives_at for a in meeting.attendees.all()}
        moved = services.move_meeting(
            meeting=meeting, actor=personas.facilitator, starts_at=tomorrow_at(14, days=3), reason="Ann is unwell."
        )
        shift = moved.starts_at - meeting.starts_at
        for attendee in Attendee.objects.filter(meeting=meeting):
            assert attendee.arrives_at == before[attendee.pk] + shift
        assert moved.times_moved == 1
        with pytest.raises(DomainError, match="why"):
            services.move_meeting(meeting=moved, actor=personas.facilitator, starts_at=tomorrow_at(9), reason=" ")

    def test_moving_onto_a_clash_is_refused(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        other = preparing(personas)
        book(personas, other, venue=make_venue(personas, name="Library"), starts_at=tomorrow_at(10, days=4))
        with pytest.raises(DomainError, match="already at another meeting"):
            services.move_meeting(
                meeting=meeting, actor=personas.facilitator, starts_at=tomorrow_at(10, days=4), reason="Clash"
            )
        assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at

    def test_cancelling_the_only_meeting_takes_the_case_back_to_preparing(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        services.cancel_meeting(meeting=meeting, actor=personas.facilitator, reason="Ann asked for more time.")
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
        assert state_of(built) == State.PREPARING
        assert not Task.objects.open().filter(case=built.case, kind=TaskKind.MEETING_REMINDER).exists()
        with pytest.raises(DomainError, match="cancelled"):
            services.cancel_meeting(meeting=meeting, actor=personas.facilitator, reason="Again")


class TestRecording:
    def test_it_records_a_held_meeting_and_starts_the_process(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        everyone = set(meeting.attendees.values_list("pk", flat=True))
        with pytest.raises(DomainError, match="once it has started"):
            services.record_meeting(
                meeting=meeting, actor=personas.facilitator, outcome=MeetingStatus.HELD, attended=everyone, summary="x"
            )
        later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
        services.record_meeting(
            meeting=meeting,
            actor=personas.facilitator,
            outcome=MeetingStatus.HELD,
            attended=everyone,
            summary="Both spoke; an apology was offered and accepted.",
        )
        assert state_of(built) == State.IN_PROCESS
        assert set(Attendee.objects.filter(meeting=meeting).values_list("attended", flat=True)) == {True}
        assert not Task.objects.open().filter(case=built.case, kind=TaskKind.MEETING_REMINDER).exists()

    def test_holding_it_re_checks_the_gates(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
        consent_services.withdraw_consent(
            participant=built.harmed, actor=personas.facilitator, reason="Changed her mind on the day."
        )
        with pytest.raises(DomainError):
            services.record_meeting(
                meeting=meeting,
                actor=personas.facilitator,
                outcome=MeetingStatus.HELD,
                attended={a.pk for a in meeting.attendees.all()},
                summary="Went ahead.",
            )

    def test_halting_for_safety_sends_the_case_back_to_assessing(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
        services.record_meeting(
            meeting=meeting,
            actor=personas.facilitator,
            outcome=MeetingStatus.HALTED,
            attended={a.pk for a in meeting.attendees.all()},
            summary="He became angry and threatening; we stopped.",
        )
        assert state_of(built) == State.ASSESSING
        assert Task.objects.open().filter(case=built.case, kind=TaskKind.RISK_REVIEW).exists()
        assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HALTED

    def test_nobody_coming_means_it_did_not_go_ahead(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
        staff_only = set(meeting.attendees.filter(party=Party.STAFF).values_list("pk", flat=True))
        with pytest.raises(DomainError, match="did not go ahead"):
            services.record_meeting(
                meeting=meeting,
                actor=personas.facilitator,
                outcome=MeetingStatus.HELD,
                attended=staff_only,
                summary="x",
            )
        services.record_meeting(
            meeting=meeting,
            actor=personas.facilitator,
            outcome=MeetingStatus.NOT_HELD,
            attended=staff_only,
            summary="Rob did not come.",
        )
        assert state_of(built) == State.PREPARING
        assert not Attendee.objects.filter(meeting=meeting, party=Party.RESPONSIBLE).get().attended


class TestVenues:
    def test_only_coordinators_and_administrators_keep_the_register(self, personas: Personas) -> None:
        with pytest.raises(DomainError, match="keeps its venues"):
            services.save_venue(
                service=personas.service, actor=personas.facilitator, details={"name": "X", "address": "Y"}
            )
        venue = make_venue(personas)
        changed = services.save_venue(
            service=personas.service,
            actor=personas.administrator,
            venue=venue,
            details={"in_use": False},
            expected_version=venue.version,
        )
        assert not changed.in_use

    def test_a_name_is_used_once_per_service(self, personas: Personas) -> None:
        make_venue(personas)
        with pytest.raises(DomainError, match="already has a venue"):
            services.save_venue(
                service=personas.service,
                actor=personas.coordinator,
                details={"name": "riverside community centre", "address": "Elsewhere"},
            )


class TestTheWorkflowKnowsAboutMeetings:
    def test_a_conference_is_scheduled_only_by_booking_its_meeting(self, personas: Personas) -> None:
        built = preparing(personas)
        with pytest.raises(DomainError, match="Book the meeting"):
            case_services.transition_case(case=built.case, actor=personas.facilitator, name="schedule")
        letters = preparing(personas, ProcessKind.LETTERS)
        scheduled = case_services.transition_case(case=letters.case, actor=personas.facilitator, name="schedule")
        assert scheduled.state == State.SCHEDULED

    def test_a_case_with_a_meeting_booked_is_not_postponed_around_it(self, personas: Personas) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        with pytest.raises(DomainError, match="move or cancel it"):
            case_services.transition_case(
                case=built.case, actor=personas.facilitator, name="postpone", reason="Venue closed"
            )
        services.cancel_meeting(meeting=meeting, actor=personas.facilitator, reason="Venue closed")
        assert state_of(built) == State.PREPARING

    def test_a_held_meeting_is_not_recorded_while_the_case_is_back_in_assessing(
        self, personas: Personas, later: Callable[[datetime.timedelta], None]
    ) -> None:
        built = preparing(personas)
        meeting = book(personas, built)
        case_services.transition_case(
            case=built.case, actor=personas.facilitator, name="return_to_assessing", reason="New concerns"
        )
        later(meeting.starts_at + datetime.timedelta(hours=2) - timezone.now())
        with pytest.raises(DomainError, match="assessing"):
            services.record_meeting(
                meeting=meeting,
                actor=personas.facilitator,
                outcome=MeetingStatus.HELD,
                attended={a.pk for a in meeting.attendees.all()},
                summary="Went ahead.",
            )
