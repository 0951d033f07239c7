"""Every transition of the workflow table: allowed from each of its sources, refused from every other state, and
each named guard refusing it on its own."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases import workflow
from amends.cases.models import Case, ClosureReason, HoldReason, ProcessKind, SensitivityFlag, State
from amends.cases.services import TransitionRefusedError
from amends.cases.workflow import TRANSITIONS, Gate, TransitionName
from amends.consent import services as consent_services
from amends.consent.models import ConsentMethod, ConsentScope, InformationFormat, InformationItem
from amends.core.errors import DomainError
from amends.outcomes import services as outcome_services
from amends.outcomes.models import ActionStatus, AgreementAction
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome, Participant, ParticipantRole
from amends.risk import services as risk_services
from amends.risk.models import RiskAssessment, RiskCondition, RiskOutcome, SignOffDecision
from tests.case_builders import BuiltCase, agree_outcome, build_case, meet_gates
from tests.personas import Personas

pytestmark = pytest.mark.django_db

HARMED_NAME = "Ann Harmed"
RESPONSIBLE_NAME = "Rob Responsible"


# Helpers shared by the workflow, gate, consent and risk tests ------------------------------------------------------


def case_in(personas: Personas, state: State, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> BuiltCase:
    """A case built through the services up to `state`; awaiting sign-off is a sensitive case that asked for it."""
    if state != State.AWAITING_SIGNOFF:
        return build_case(
            service=personas.service,
            coordinator=personas.coordinator,
            facilitator=personas.facilitator,
            state=state,
            process=process,
        )
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    make_sensitive(built.case, personas.facilitator)
    meet_gates(built.case, personas.facilitator)
    move(built.case, personas.facilitator, TransitionName.REQUEST_SIGN_OFF)
    return refreshed(built)


def refreshed(built: BuiltCase) -> BuiltCase:
    built.case.refresh_from_db()
    return built


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def make_sensitive(case: Case, actor: User, flag: SensitivityFlag = SensitivityFlag.DOMESTIC_ABUSE) -> None:
    case_services.update_case_details(
        case=reload(case), actor=actor, details={"sensitivity_flags": [flag]}, expected_version=None
    )


def move(case: Case, actor: User, name: TransitionName | str, **kwargs: Any) -> Case:
    return case_services.transition_case(case=reload(case), actor=actor, name=name, **kwargs)


def refused(case: Case, actor: User, name: TransitionName | str, **kwargs: Any) -> TransitionRefusedError:
    """Take the transition, expecting the guards to refuse it; the case stays where it was."""
    before = reload(case).state
    with pytest.raises(TransitionRefusedError) as caught:
        case_services.transition_case(case=reload(case), actor=actor, name=name, **kwargs)
    assert reload(case).state == before
    return caught.value


def guards_of(error: TransitionRefusedError) -> set[str]:
    return {item.guard for item in error.missing}


def missing_for(error: TransitionRefusedError, participant: Participant) -> list[workflow.Missing]:
    return [item for item in error.missing if item.participant_id == participant.pk]


def sign_off_all(case: Case, coordinator: User) -> None:
    for participant in reload(case).participants.filter(takes_part=True):
        latest = participant.risk_assessments.order_by("-version").first()
        assert latest is not None
        risk_services.sign_off_risk_assessment(assessment=latest, actor=coordinator, decision=SignOffDecision.APPROVED)


def assess(
    participant: Participant,
    actor: User,
    *,
    outcome: RiskOutcome = RiskOutcome.SUITABLE,
    conditions: tuple[RiskCondition, ...] = (),
    assessed_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
) -> RiskAssessment:
    return risk_services.record_risk_assessment(
        participant=participant,
        actor=actor,
        factors={},
        narrative="Assessed at a home visit.",
        conditions=list(conditions),
        outcome=outcome,
        review_on=review_on or timezone.localdate() + datetime.timedelta(days=60),
        assessed_on=assessed_on,
    )


def ready_participant(
    participant: Participant,
    actor: User,
    *,
    items: tuple[InformationItem, ...] = tuple(InformationItem),
    consent: bool = True,
    scopes: tuple[ConsentScope, ...] = (ConsentScope.TAKE_PART,),
    process_kinds: tuple[ProcessKind, ...] = (ProcessKind.FACE_TO_FACE,),
    risk: bool = True,
) -> None:
    """Record what the gates ask of one participant, leaving out what the test says."""
    consent_services.record_information_given(
        participant=participant,
        actor=actor,
        items=list(items),
        given_on=timezone.localdate(),
        format=InformationFormat.IN_PERSON,
    )
    if consent:
        consent_services.give_consent(
            participant=participant,
            actor=actor,
            scopes=list(scopes),
            process_kinds=list(process_kinds),
            method=ConsentMethod.WRITTEN,
            evidence="Signed form on file",
            occurred_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    if risk:
        assess(participant, actor)


def add_person(
    case: Case,
    actor: User,
    role: ParticipantRole,
    *,
    given_name: str,
    supports: Participant | None = None,
    takes_part: bool = True,
) -> Participant:
    return people_services.add_participant(
        case=reload(case),
        actor=actor,
        role=role,
        details={"given_name": given_name, "family_name": "Added", "date_of_birth": datetime.date(1975, 1, 1)},
        supports=supports,
        takes_part=takes_part,
    )


# Allowed from each source ----------------------------------------------------------------------------------------


def _prepare(transition: TransitionName, built: BuiltCase, personas: Personas) -> dict[str, Any]:
    """Make the guards of the transition hold for the built case; return what the person gives with it."""
    case, facilitator = built.case, personas.facilitator
    if transition == TransitionName.START_CONTACT:
        case_services.declare_conflict(case=case, actor=facilitator, has_conflict=False)
    elif transition == TransitionName.START_ASSESSMENT:
        people_services.log_contact(
            participant=built.harmed,
            actor=facilitator,
            occurred_at=timezone.now(),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.SPOKE,
        )
        consent_services.record_information_given(
            participant=built.harmed,
            actor=facilitator,
            items=[InformationItem.PROCESS],
            given_on=timezone.localdate(),
            format=InformationFormat.PHONE,
        )
    elif transition == TransitionName.REQUEST_SIGN_OFF:
        make_sensitive(case, facilitator)
        meet_gates(case, facilitator)
    elif transition == TransitionName.START_PREPARING:
        if case.state == State.AWAITING_SIGNOFF:
            sign_off_all(case, personas.coordinator)
        else:
            meet_gates(case, facilitator)
    elif transition == TransitionName.RECORD_AGREEMENT:
        agree_outcome(case, facilitator)
    elif transition == TransitionName.FINISH_MONITORING:
        for action in AgreementAction.objects.filter(agreement__case=case, status=ActionStatus.OPEN):
            outcome_services.verify_action(action=action, actor=facilitator, completed=True)
    return given_with(transition)


def given_with(transition: TransitionName) -> dict[str, Any]:
    """What a person gives with the transition: a reason, a closure reason, or a hold reason and review date."""
    needs = TRANSITIONS[transition].needs
    given: dict[str, Any] = {}
    if workflow.Needs.REASON in needs:
        given["reason"] = "Because the participants asked."
    if workflow.Needs.CLOSURE_REASON in needs:
        given["closure_reason"] = ClosureReason.OTHER
    if workflow.Needs.HOLD in needs:
        given["hold_reason"] = HoldReason.HEALTH
        given["hold_review_on"] = timezone.localdate() + datetime.timedelta(days=7)
    return given


ALLOWED = sorted(
    (transition.name, source)
    for transition in TRANSITIONS.values()
    if transition.offered
    for source in transition.sources
)


@pytest.mark.parametrize(("transition", "source"), ALLOWED)
def test_it_allows_each_transition_from_each_of_its_sources(
    personas: Personas, transition: TransitionName, source: State
) -> None:
    # A process that meets is scheduled and postponed through its meeting (tests/meetings); a letter exchange is not.
    meets_through_a_meeting = transition in (TransitionName.SCHEDULE, TransitionName.POSTPONE)
    built = case_in(personas, source, ProcessKind.LETTERS if meets_through_a_meeting else ProcessKind.FACE_TO_FACE)
    kwargs = _prepare(transition, built, personas)

    case = move(built.case, personas.coordinator, transition, **kwargs)

    expected = workflow.target_of(TRANSITIONS[transition], built.case)
    assert reload(case).state == expected
    assert case.timeline.filter(from_state=source, to_state=expected).exists()


REFUSED = sorted(
    (transition.name, state)
    for transition in TRANSITIONS.values()
    if transition.offered
    for state in State
    if state not in transition.sources
)


@pytest.mark.parametrize(("transition", "state"), REFUSED)
def test_it_refuses_each_transition_from_a_state_outside_its_sources(
    personas: Personas, transition: TransitionName, state: State
) -> None:
    built = case_in(personas, state)

    # A gated step asked for too early is refused with what stops the gates (RefusedError), the rest plainly.
    with pytest.raises(DomainError, match=r"is not possible (from there|yet)"):
        move(built.case, personas.coordinator, transition, **given_with(transition))
    assert reload(built.case).state == state


@pytest.mark.parametrize("state", list(State))
def test_it_allocates_only_through_the_allocation_service(personas: Personas, state: State) -> None:
    built = case_in(personas, state)

    with pytest.raises(DomainError, match="its own form"):
        move(built.case, personas.coordinator, TransitionName.ALLOCATE)
    assert reload(built.case).state == state


def test_it_refuses_a_step_that_does_not_exist(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError, match="no such step"):
        move(built.case, personas.facilitator, "teleport")


def test_it_refuses_someone_who_does_not_work_on_the_case(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)

    with pytest.raises(DomainError, match="cannot work on this case"):
        move(built.case, personas.other_facilitator, TransitionName.START_PREPARING)
    assert reload(built.case).state == State.ASSESSING


@pytest.mark.parametrize(
    "transition", [TransitionName.RETURN_TO_ASSESSING, TransitionName.POSTPONE, TransitionName.HALT]
)
def test_it_asks_for_a_reason_where_the_step_needs_one(personas: Personas, transition: TransitionName) -> None:
    source = next(iter(sorted(TRANSITIONS[transition].sources - {State.AWAITING_SIGNOFF})))
    built = case_in(personas, source)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.facilitator, transition, reason="  ")
    assert caught.value.field == "reason"
    assert reload(built.case).state == source


# Each named guard, failing on its own ------------------------------------------------------------------------------


def test_it_names_lead_allocated_when_no_lead_is_allocated(personas: Personas) -> None:
    # No service takes a case out of REFERRED without a lead: allocate_case sets one before it moves the case, so the
    # guard is checked here against the facts of a case nobody leads.
    built = case_in(personas, State.REFERRED)

    missing = workflow.check(TRANSITIONS[TransitionName.ALLOCATE], workflow.load_facts(built.case))

    assert [item.guard for item in missing] == ["lead_allocated"]
    assert workflow.check(TRANSITIONS[TransitionName.START_CONTACT], workflow.load_facts(built.case))[0].guard == (
        "lead_allocated"
    )


def test_it_refuses_to_start_contact_until_the_lead_declares_conflicts(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)

    error = refused(built.case, personas.facilitator, TransitionName.START_CONTACT)

    assert guards_of(error) == {"conflicts_declared"}
    assert "conflict of interest" in error.message


def test_it_refuses_to_start_preparing_when_a_new_co_facilitator_has_not_declared(personas: Personas) -> None:
    from tests.cases.test_allocation import eligible_facilitator

    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    co_facilitator = eligible_facilitator(personas)
    case_services.allocate_case(
        case=reload(built.case), actor=personas.coordinator, lead=personas.facilitator, co_facilitator=co_facilitator
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"conflicts_declared"}
    case_services.declare_conflict(case=reload(built.case), actor=co_facilitator, has_conflict=False)
    assert move(built.case, personas.facilitator, TransitionName.START_PREPARING).state == State.PREPARING


def test_it_refuses_to_start_assessing_before_anyone_is_reached(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)
    consent_services.record_information_given(
        participant=built.harmed,
        actor=personas.facilitator,
        items=[InformationItem.PROCESS],
        given_on=timezone.localdate(),
        format=InformationFormat.PHONE,
    )
    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.NO_ANSWER,
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_ASSESSMENT)

    assert guards_of(error) == {"contact_made"}


def test_it_refuses_to_start_assessing_before_anyone_is_told_about_rj(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)
    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_ASSESSMENT)

    assert guards_of(error) == {"information_given"}


def test_it_refuses_to_start_preparing_before_the_process_is_chosen(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    case_services.update_case_details(
        case=reload(built.case), actor=personas.facilitator, details={"process_kind": ""}, expected_version=None
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"process_chosen"}
    assert [item.gate for item in error.missing] == [Gate.CONSENT]
    assert f"{Gate.CONSENT.label}:" in error.message


def test_it_names_the_person_responsible_who_denies_responsibility(personas: Personas) -> None:
    from tests.cases.test_gates import deny_responsibility

    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    deny_responsibility(built.responsible, personas.facilitator)

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"responsibility_accepted"}
    assert [item.participant_id for item in error.missing] == [built.responsible.pk]
    assert f"{Gate.RESPONSIBILITY.label}:" in error.message
    assert RESPONSIBLE_NAME in error.message


def test_it_names_the_person_who_withdrew_consent(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"all_participants_consent"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert f"{Gate.CONSENT.label}:" in error.message
    assert HARMED_NAME in error.message


def test_it_names_the_person_whose_risk_assessment_is_not_safe(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    assess(built.responsible, personas.facilitator, outcome=RiskOutcome.NOT_SUITABLE_NOW)

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.responsible.pk]
    assert f"{Gate.RISK.label}:" in error.message
    assert RESPONSIBLE_NAME in error.message


def test_it_refuses_pre_sentence_rj_without_the_deferment_order(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)
    case_services.update_case_details(
        case=reload(built.case), actor=personas.facilitator, details={"pre_sentence": True}, expected_version=None
    )

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert guards_of(error) == {"court_order_recorded"}
    assert [item.gate for item in error.missing] == [Gate.COURT_ORDER]
    assert f"{Gate.COURT_ORDER.label}:" in error.message


def test_it_refuses_to_ask_for_sign_off_when_nothing_needs_it(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator)

    error = refused(built.case, personas.facilitator, TransitionName.REQUEST_SIGN_OFF)

    assert guards_of(error) == {"sign_off_outstanding"}


def test_it_refuses_to_ask_for_sign_off_once_every_assessment_is_signed_off(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    make_sensitive(built.case, personas.facilitator)
    meet_gates(built.case, personas.facilitator)
    sign_off_all(built.case, personas.coordinator)

    error = refused(built.case, personas.facilitator, TransitionName.REQUEST_SIGN_OFF)

    assert guards_of(error) == {"sign_off_outstanding"}


def test_it_refuses_to_ask_for_sign_off_of_an_assessment_that_is_not_suitable(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    make_sensitive(built.case, personas.facilitator)
    meet_gates(built.case, personas.facilitator)
    sign_off_all(built.case, personas.coordinator)
    assess(built.harmed, personas.facilitator, outcome=RiskOutcome.NOT_SUITABLE_NOW)

    error = refused(built.case, personas.facilitator, TransitionName.REQUEST_SIGN_OFF)

    assert guards_of(error) == {"sign_off_outstanding"}


def test_it_refuses_a_completed_closure_before_follow_up(personas: Personas) -> None:
    built = case_in(personas, State.IN_PROCESS)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.facilitator, TransitionName.CLOSE, closure_reason=ClosureReason.COMPLETED_DIRECT)

    assert caught.value.field == "closure_reason"
    assert workflow.closure_problems(reload(built.case), ClosureReason.COMPLETED_DIRECT)[0].guard == "closure_reason"
    assert reload(built.case).state == State.IN_PROCESS


def test_it_lists_every_gate_that_does_not_hold_at_once(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    error = refused(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert {item.gate for item in error.missing} == {Gate.RESPONSIBILITY, Gate.CONSENT, Gate.RISK}
    assert {item.participant_id for item in error.missing} >= {built.harmed.pk, built.responsible.pk}


def test_it_offers_only_the_transitions_from_the_current_state(personas: Personas) -> None:
    built = case_in(personas, State.SCHEDULED)

    names = {transition.name for transition in workflow.available(built.case)}

    assert names == {
        TransitionName.POSTPONE,
        TransitionName.START_PROCESS,
        TransitionName.RETURN_TO_ASSESSING,
        TransitionName.CLOSE,
        TransitionName.HOLD,
    }


# Closing, holding and reopening ----------------------------------------------------------------------------------


def test_it_closes_as_completed_direct_after_follow_up_of_a_direct_process(personas: Personas) -> None:
    built = case_in(personas, State.FOLLOWING_UP)

    case = move(built.case, personas.facilitator, TransitionName.CLOSE, closure_reason=ClosureReason.COMPLETED_DIRECT)

    assert case.state == State.CLOSED
    assert case.closure_reason == ClosureReason.COMPLETED_DIRECT
    assert case.closed_at is not None


@pytest.mark.parametrize("state", sorted(workflow.OPEN - {State.FOLLOWING_UP}))
@pytest.mark.parametrize("reason", [ClosureReason.COMPLETED_DIRECT, ClosureReason.COMPLETED_INDIRECT])
def test_it_closes_as_completed_only_from_following_up(personas: Personas, state: State, reason: ClosureReason) -> None:
    built = case_in(personas, state)

    with pytest.raises(DomainError, match="only after its process and follow-up") as caught:
        move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=reason)
    assert caught.value.field == "closure_reason"
    assert reload(built.case).state == state


def _letters_case_following_up(personas: Personas) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.FOLLOWING_UP,
        process=ProcessKind.LETTERS,
    )


@pytest.mark.parametrize("state", sorted(workflow.PROCESS_FIXED_STATES))
def test_it_keeps_the_process_once_it_is_scheduled_or_has_taken_place(personas: Personas, state: State) -> None:
    built = case_in(personas, state)

    with pytest.raises(DomainError, match="cannot change once it is scheduled") as caught:
        case_services.update_case_details(
            case=reload(built.case),
            actor=personas.coordinator,
            details={"process_kind": ProcessKind.LETTERS},
            expected_version=None,
        )
    assert caught.value.field == "process_kind"
    assert reload(built.case).process_kind == ProcessKind.FACE_TO_FACE


def test_it_refuses_completed_direct_for_an_indirect_process(personas: Personas) -> None:
    built = _letters_case_following_up(personas)

    with pytest.raises(DomainError, match="choose the matching completed reason"):
        move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.COMPLETED_DIRECT)
    assert reload(built.case).state == State.FOLLOWING_UP


def test_it_closes_an_indirect_process_as_completed_indirect(personas: Personas) -> None:
    built = _letters_case_following_up(personas)

    case = move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.COMPLETED_INDIRECT)

    assert case.closure_reason == ClosureReason.COMPLETED_INDIRECT


def test_it_refuses_completed_indirect_for_a_direct_process(personas: Personas) -> None:
    built = case_in(personas, State.FOLLOWING_UP)

    with pytest.raises(DomainError, match="choose the matching completed reason"):
        move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.COMPLETED_INDIRECT)


@pytest.mark.parametrize("state", sorted(workflow.OPEN))
def test_it_closes_for_any_other_reason_from_every_open_state(personas: Personas, state: State) -> None:
    built = case_in(personas, state)

    case = move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.HARMED_DECLINED)

    assert case.state == State.CLOSED
    assert case.closure_reason == ClosureReason.HARMED_DECLINED


@pytest.mark.parametrize("closure_reason", ["", "bored"])
def test_it_asks_why_the_case_is_closing(personas: Personas, closure_reason: str) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=closure_reason)
    assert caught.value.field == "closure_reason"
    assert reload(built.case).state == State.ASSESSING


def test_it_closes_every_open_task_when_the_case_closes(personas: Personas) -> None:
    from amends.cases.models import Task

    built = case_in(personas, State.ALLOCATED)
    assert Task.objects.open().filter(case=built.case).exists()

    move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.NO_CONTACT)

    assert not Task.objects.open().filter(case=built.case).exists()
    assert set(Task.objects.filter(case=built.case).values_list("completed_by", flat=True)) == {personas.coordinator.pk}


def test_it_reopens_a_closed_case_into_assessing_with_a_reason(personas: Personas) -> None:
    built = case_in(personas, State.CLOSED)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.coordinator, TransitionName.REOPEN, reason="")
    assert caught.value.field == "reason"

    case = move(built.case, personas.coordinator, TransitionName.REOPEN, reason="The person harmed asked again.")

    assert case.state == State.ASSESSING
    assert case.closure_reason == ""
    assert case.closed_at is None
    entry = case.timeline.filter(from_state=State.CLOSED, to_state=State.ASSESSING).get()
    assert entry.detail == "The person harmed asked again."


def test_it_reopens_a_case_nobody_leads_into_allocation(personas: Personas) -> None:
    built = case_in(personas, State.REFERRED)
    move(built.case, personas.coordinator, TransitionName.CLOSE, closure_reason=ClosureReason.OUT_OF_SCOPE)

    case = move(built.case, personas.coordinator, TransitionName.REOPEN, reason="Scope was wrong.")

    assert case.state == State.REFERRED


def test_it_puts_a_case_on_hold_with_a_reason_and_review_date(personas: Personas) -> None:
    from amends.cases.models import Task, TaskKind

    built = case_in(personas, State.PREPARING)
    review_on = timezone.localdate() + datetime.timedelta(days=10)

    case = move(
        built.case, personas.facilitator, TransitionName.HOLD, hold_reason=HoldReason.HEALTH, hold_review_on=review_on
    )

    assert case.state == State.ON_HOLD
    assert (case.hold_reason, case.hold_review_on, case.state_before_hold) == (
        HoldReason.HEALTH,
        review_on,
        State.PREPARING,
    )
    task = Task.objects.get(case=case, kind=TaskKind.HOLD_REVIEW)
    assert (task.assigned_to, task.due_on, task.completed_at) == (personas.facilitator, review_on, None)
    resumed = move(built.case, personas.facilitator, TransitionName.RESUME)
    assert resumed.state == State.PREPARING
    assert not Task.objects.open().filter(case=case, kind=TaskKind.HOLD_REVIEW).exists()


NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"hold_reason": "", "hold_review_on": NEXT_WEEK}, "hold_reason"),
        ({"hold_reason": "nap", "hold_review_on": NEXT_WEEK}, "hold_reason"),
        ({"hold_reason": HoldReason.HEALTH, "hold_review_on": None}, "hold_review_on"),
        ({"hold_reason": HoldReason.HEALTH, "hold_review_on": datetime.date(2000, 1, 1)}, "hold_review_on"),
        ({"hold_reason": HoldReason.HEALTH, "hold_review_on": datetime.date(2099, 1, 1)}, "hold_review_on"),
        ({"hold_reason": HoldReason.OTHER, "hold_review_on": NEXT_WEEK}, "reason"),
    ],
)
def test_it_asks_why_and_until_when_a_case_goes_on_hold(personas: Personas, given: dict[str, Any], field: str) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.facilitator, TransitionName.HOLD, **given)
    assert caught.value.field == field
    assert reload(built.case).state == State.ASSESSING


def test_it_accepts_a_hold_review_date_of_today(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    case = move(
        built.case,
        personas.facilitator,
        TransitionName.HOLD,
        hold_reason=HoldReason.HEALTH,
        hold_review_on=timezone.localdate(),
    )

    assert (case.state, case.hold_review_on) == (State.ON_HOLD, timezone.localdate())


def test_it_keeps_a_hold_review_within_the_services_own_number_of_days(personas: Personas) -> None:
    personas.service.hold_review_days = 10
    personas.service.save(update_fields=["hold_review_days"])
    built = case_in(personas, State.ASSESSING)
    latest = timezone.localdate() + datetime.timedelta(days=10)

    with pytest.raises(DomainError, match="within 10 days") as caught:
        move(
            built.case,
            personas.facilitator,
            TransitionName.HOLD,
            hold_reason=HoldReason.HEALTH,
            hold_review_on=latest + datetime.timedelta(days=1),
        )
    assert caught.value.field == "hold_review_on"

    case = move(
        built.case, personas.facilitator, TransitionName.HOLD, hold_reason=HoldReason.HEALTH, hold_review_on=latest
    )
    assert case.hold_review_on == latest


def test_the_hold_page_offers_the_latest_review_date_the_service_allows(personas: Personas) -> None:
    from tests.conftest import signed_in_client

    built = case_in(personas, State.ASSESSING)
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/steps/hold/").content.decode()

    latest = timezone.localdate() + datetime.timedelta(days=personas.service.hold_review_days)
    assert f'name="hold_review_on" value="{latest.strftime("%d/%m/%Y")}"' in page


def test_it_records_each_move_in_the_audit_and_the_timeline(personas: Personas) -> None:
    from amends.audit.models import AuditAction, AuditEvent

    built = case_in(personas, State.SCHEDULED)

    move(built.case, personas.facilitator, TransitionName.START_PROCESS)

    event = AuditEvent.objects.filter(action=AuditAction.CASE_STATE_CHANGED, target_id=str(built.case.pk)).first()
    assert event is not None
    assert event.changes == {"state": ["scheduled", "in_process"], "transition": "start_process"}
    assert event.actor == personas.facilitator
    assert built.case.timeline.filter(from_state=State.SCHEDULED, to_state=State.IN_PROCESS).exists()


def test_it_refuses_a_move_from_a_stale_version(personas: Personas) -> None:
    built = case_in(personas, State.SCHEDULED)
    version = reload(built.case).version
    move(built.case, personas.facilitator, TransitionName.START_PROCESS)

    with pytest.raises(DomainError) as caught:
        move(built.case, personas.facilitator, TransitionName.HALT, reason="Threats", expected_version=version)
    assert caught.value.field == "version"
    assert reload(built.case).state == State.IN_PROCESS
