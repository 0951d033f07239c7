"""The demo tells its stories (the five the issue asked for, a case of every other kind of process, and an agreement
being monitored) through the real services."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from amends.cases.models import Case, ClosureReason, ProcessKind, SensitivityFlag, State
from amends.consent.models import ConsentKind
from amends.meetings.models import MeetingStatus, Party
from amends.outcomes.models import ActionKind, ActionStatus
from amends.people.models import ParticipantRole
from amends.referrals.models import Referral, TriageDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_cases() -> dict[str, Case]:
    call_command("load_demo", "--quiet-sign-ins")
    return {case.referral.crime_reference: case for case in Case.objects.select_related("referral")}


def test_it_has_a_burglary_scheduled_face_to_face_with_the_victims_sister(demo_cases: dict[str, Case]) -> None:
    case = demo_cases["WA/24871/26"]
    assert case.state == State.SCHEDULED
    assert case.process_kind == ProcessKind.FACE_TO_FACE
    sister = case.participants.get(role=ParticipantRole.SUPPORTER)
    assert sister.supports.role == ParticipantRole.PERSON_HARMED
    meeting = case.meetings.get()
    assert meeting.status == MeetingStatus.BOOKED
    assert meeting.venue.separate_waiting_rooms
    place = meeting.attendees.get(participant=sister)
    assert place.party == Party.HARMED
    assert place.agreed_by == case.lead_facilitator


def test_it_has_an_assault_where_the_victim_prefers_letters(demo_cases: dict[str, Case]) -> None:
    case = demo_cases["WA/11209/26"]
    assert case.state == State.PREPARING
    assert case.process_kind == ProcessKind.LETTERS


def test_it_has_a_case_closed_because_responsibility_is_denied(demo_cases: dict[str, Case]) -> None:
    case = demo_cases["WA/07733/26"]
    assert case.state == State.CLOSED
    assert case.closure_reason == ClosureReason.DENIES_RESPONSIBILITY


def test_it_has_a_sensitive_case_awaiting_sign_off(demo_cases: dict[str, Case]) -> None:
    case = demo_cases["WA/19004/26"]
    assert case.state == State.AWAITING_SIGNOFF
    assert SensitivityFlag.HATE_CRIME in case.sensitivity_flags


def test_it_has_a_case_where_consent_was_withdrawn(demo_cases: dict[str, Case]) -> None:
    case = demo_cases["WA/15552/26"]
    assert case.state == State.ASSESSING
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED)
    assert harmed.consent_records.order_by("-occurred_at").first().kind == ConsentKind.WITHDRAWN


def test_it_has_an_agreement_monitored_with_an_apology_done_and_garden_work_overdue(
    demo_cases: dict[str, Case],
) -> None:
    case = demo_cases["WA/20517/26"]
    assert case.state == State.AGREEMENT_MONITORING
    actions = {action.kind: action for action in case.outcome_agreement.actions.all()}
    assert actions[ActionKind.APOLOGY].status == ActionStatus.COMPLETED
    assert actions[ActionKind.REPARATION].is_overdue(timezone.localdate())


def test_it_leaves_referrals_waiting_for_triage_and_loads_once(demo_cases: dict[str, Case]) -> None:
    waiting = Referral.objects.filter(decision=TriageDecision.AWAITING).count()
    assert waiting >= 2
    call_command("load_demo", "--quiet-sign-ins")
    assert Referral.objects.filter(decision=TriageDecision.AWAITING).count() == waiting
    assert Case.objects.count() == len(demo_cases)


def test_it_has_a_referral_order_panel_with_its_panel_seated_and_a_review_due(demo_cases: dict[str, Case]) -> None:
    from amends.cases.models import TaskKind
    from amends.youth.models import PanelRole

    case = demo_cases["WA/31840/26"]
    assert case.process_kind == ProcessKind.REFERRAL_ORDER_PANEL
    assert case.state == State.SCHEDULED
    order = case.referral_order
    assert order.length_months == 6
    assert order.victim_involvement == "attending"
    assert order.invitation_reasons
    meeting = case.meetings.get(purpose="panel")
    roles = sorted(seat.member.role for seat in meeting.panel_seats.select_related("member"))
    assert roles == [PanelRole.COMMUNITY, PanelRole.COMMUNITY, PanelRole.YOUTH_JUSTICE]
    task = case.tasks.get(kind=TaskKind.PANEL_REVIEW, completed_at__isnull=True)
    assert task.assigned_to == case.lead_facilitator
    assert task.due_on > timezone.localdate()


def test_it_has_a_case_of_every_kind_of_process(demo_cases: dict[str, Case]) -> None:
    assert {case.process_kind for case in demo_cases.values() if case.process_kind} == set(ProcessKind.values)
    virtual = demo_cases["WA/30711/26"]
    assert virtual.process_kind == ProcessKind.VIRTUAL
    assert virtual.state == State.PREPARING
    # Mrs Pritchard's assessment allows virtual meetings only, signed off by the coordinator.
    harmed = virtual.participants.get(role=ParticipantRole.PERSON_HARMED)
    assert harmed.risk_assessments.get().conditions == ["virtual_only"]
