"""The four gates in detail: responsibility, consent, risk and the court order, checked on entering preparing,
scheduled and under way, and again when a case resumes into one of them."""

import datetime

import pytest
from django.utils import timezone

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import ProcessKind, State
from amends.cases.workflow import Fix, Gate, TransitionName
from amends.consent import services as consent_services
from amends.consent.models import (
    REQUIRED_INFORMATION,
    ConsentMethod,
    ConsentScope,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.core.errors import DomainError
from amends.people.models import Participant, ParticipantRole
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskInformationKind, RiskOutcome, SignOffDecision
from tests.case_builders import BuiltCase, meet_gates
from tests.cases.test_workflow import (
    HARMED_NAME,
    add_person,
    assess,
    case_in,
    guards_of,
    make_sensitive,
    move,
    ready_participant,
    refused,
    reload,
    sign_off_all,
)
from tests.factories import FacilitatorRecordFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PREPARE = TransitionName.START_PREPARING


def deny_responsibility(participant: Participant, actor: User) -> None:
    consent_services.record_responsibility(
        participant=participant,
        actor=actor,
        basis=ResponsibilityBasis.ADMISSION,
        level=ResponsibilityLevel.DENIES,
        in_their_words="",
        recorded_on=timezone.localdate(),
    )


def gated(personas: Personas, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> BuiltCase:
    """A case in assessing with every gate met for the harmed and responsible people."""
    built = case_in(personas, State.ASSESSING)
    meet_gates(built.case, personas.facilitator, process)
    return built


def make_assessor(user: User) -> None:
    """Let a coordinator assess risk too: a facilitator record and training in date."""
    from tests.case_builders import make_trained

    FacilitatorRecordFactory(user=user)
    make_trained(user)


# Gate 1: responsibility ------------------------------------------------------------------------------------------


def test_it_holds_the_responsibility_gate_until_acceptance_is_recorded(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    case_services.update_case_details(
        case=reload(built.case),
        actor=personas.facilitator,
        details={"process_kind": ProcessKind.FACE_TO_FACE},
        expected_version=None,
    )
    ready_participant(built.harmed, personas.facilitator)
    ready_participant(built.responsible, personas.facilitator)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"responsibility_accepted"}
    assert [(item.participant_id, item.fix) for item in error.missing] == [(built.responsible.pk, Fix.RESPONSIBILITY)]


def test_it_holds_the_responsibility_gate_when_the_person_denies_it(personas: Personas) -> None:
    built = gated(personas)
    deny_responsibility(built.responsible, personas.facilitator)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"responsibility_accepted"}
    assert "does not accept responsibility" in error.message


def test_it_lets_partial_responsibility_through(personas: Personas) -> None:
    built = gated(personas)
    consent_services.record_responsibility(
        participant=built.responsible,
        actor=personas.facilitator,
        basis=ResponsibilityBasis.GUILTY_PLEA,
        level=ResponsibilityLevel.PARTIAL,
        in_their_words="I was there but it was not all me.",
        recorded_on=timezone.localdate(),
    )

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_records_responsibility_for_a_person_responsible_only(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)

    with pytest.raises(DomainError):
        deny_responsibility(built.harmed, personas.facilitator)


# Gate 2: consent -------------------------------------------------------------------------------------------------


def test_it_asks_for_every_required_item_of_information(personas: Personas) -> None:
    built = gated(personas)
    witness = add_person(built.case, personas.facilitator, ParticipantRole.COMMUNITY_MEMBER, given_name="Wyn")
    left_out = InformationItem.SENTENCE_UNCHANGED
    ready_participant(witness, personas.facilitator, items=tuple(REQUIRED_INFORMATION - {left_out}))

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"all_participants_consent"}
    assert [(item.participant_id, item.fix) for item in error.missing] == [(witness.pk, Fix.INFORMATION)]
    assert "Wyn Added" in error.message
    consent_services.record_information_given(
        participant=witness,
        actor=personas.facilitator,
        items=[left_out],
        given_on=timezone.localdate(),
        format="letter",
    )
    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_asks_for_consent_from_everyone_taking_part(personas: Personas) -> None:
    built = gated(personas)
    witness = add_person(built.case, personas.facilitator, ParticipantRole.COMMUNITY_MEMBER, given_name="Wyn")
    ready_participant(witness, personas.facilitator, consent=False)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"all_participants_consent"}
    assert [(item.participant_id, item.fix) for item in error.missing] == [(witness.pk, Fix.CONSENT)]
    assert "has not given consent" in error.message


def test_it_counts_a_withdrawal_as_no_consent(personas: Personas) -> None:
    built = gated(personas)
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator, reason="")

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "withdrawn consent" in error.message


def test_it_asks_for_consent_to_the_chosen_process(personas: Personas) -> None:
    built = gated(personas)
    case_services.update_case_details(
        case=reload(built.case),
        actor=personas.facilitator,
        details={"process_kind": ProcessKind.VIRTUAL},
        expected_version=None,
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"all_participants_consent"}
    assert {item.participant_id for item in error.missing} == {built.harmed.pk, built.responsible.pk}
    assert "has not consented to this process" in error.message


def test_it_asks_for_consent_to_take_part(personas: Personas) -> None:
    built = gated(personas)
    consent_services.give_consent(
        participant=built.harmed,
        actor=personas.facilitator,
        scopes=[ConsentScope.FEEDBACK],
        process_kinds=[ProcessKind.FACE_TO_FACE],
        method=ConsentMethod.VERBAL,
        witnessed_by="A colleague",
        occurred_at=timezone.now(),
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "consented to take part" in error.message


def test_it_asks_for_consent_to_recording_in_a_recorded_process(personas: Personas) -> None:
    built = gated(personas, ProcessKind.AUDIO)
    consent_services.give_consent(
        participant=built.harmed,
        actor=personas.facilitator,
        scopes=[ConsentScope.TAKE_PART],
        process_kinds=[ProcessKind.AUDIO],
        method=ConsentMethod.WRITTEN,
        evidence="Signed form on file",
        occurred_at=timezone.now(),
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"all_participants_consent"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "being recorded" in error.message


def test_it_asks_a_supporter_taking_part_for_consent(personas: Personas) -> None:
    built = gated(personas)
    supporter = add_person(
        built.case, personas.facilitator, ParticipantRole.SUPPORTER, given_name="Sian", supports=built.harmed
    )
    ready_participant(supporter, personas.facilitator, consent=False)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [supporter.pk]
    assert "Sian Added" in error.message


def test_it_asks_nothing_of_someone_who_does_not_take_part(personas: Personas) -> None:
    built = gated(personas)
    add_person(built.case, personas.facilitator, ParticipantRole.PROFESSIONAL, given_name="Pat", takes_part=False)

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_asks_for_a_person_harmed_in_a_direct_process(personas: Personas) -> None:
    built = gated(personas)
    from amends.people import services as people_services

    people_services.update_participant(participant=built.harmed, actor=personas.facilitator, takes_part=False)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"all_participants_consent"}
    assert "Nobody taking part is a person harmed" in error.message


def test_a_referral_order_panel_goes_ahead_without_the_person_harmed(personas: Personas) -> None:
    built = gated(personas, ProcessKind.REFERRAL_ORDER_PANEL)
    from amends.people import services as people_services

    people_services.update_participant(participant=built.harmed, actor=personas.facilitator, takes_part=False)

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


# Gate 3: risk ----------------------------------------------------------------------------------------------------


def test_it_asks_for_a_risk_assessment_of_everyone_taking_part(personas: Personas) -> None:
    built = gated(personas)
    supporter = add_person(
        built.case, personas.facilitator, ParticipantRole.SUPPORTER, given_name="Sian", supports=built.harmed
    )
    ready_participant(supporter, personas.facilitator, risk=False)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [(item.participant_id, item.fix) for item in error.missing] == [(supporter.pk, Fix.RISK)]
    assert "has no risk assessment" in error.message


@pytest.mark.parametrize("outcome", [RiskOutcome.NOT_SUITABLE_NOW, RiskOutcome.UNSUITABLE])
def test_it_holds_the_risk_gate_when_the_latest_assessment_is_not_suitable(
    personas: Personas, outcome: RiskOutcome
) -> None:
    built = gated(personas)
    assess(built.harmed, personas.facilitator, outcome=outcome)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert HARMED_NAME in error.message


def test_it_counts_an_assessment_stale_after_the_services_number_of_days(personas: Personas) -> None:
    built = gated(personas)
    valid_days = personas.service.risk_assessment_valid_days
    assess(
        built.harmed, personas.facilitator, assessed_on=timezone.localdate() - datetime.timedelta(days=valid_days + 1)
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "out of date" in error.message


def test_it_counts_an_assessment_current_on_its_last_valid_day(personas: Personas) -> None:
    built = gated(personas)
    valid_days = personas.service.risk_assessment_valid_days
    assess(built.harmed, personas.facilitator, assessed_on=timezone.localdate() - datetime.timedelta(days=valid_days))

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_counts_an_assessment_stale_past_its_review_date(personas: Personas) -> None:
    built = gated(personas)
    today = timezone.localdate()
    assess(
        built.responsible,
        personas.facilitator,
        assessed_on=today - datetime.timedelta(days=10),
        review_on=today - datetime.timedelta(days=1),
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.responsible.pk]
    assert "out of date" in error.message


def test_it_counts_an_assessment_current_on_its_review_date(personas: Personas) -> None:
    built = gated(personas)
    today = timezone.localdate()
    assess(
        built.responsible,
        personas.facilitator,
        assessed_on=today - datetime.timedelta(days=10),
        review_on=today,
    )

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_counts_an_assessment_stale_once_new_risk_information_arrives(personas: Personas) -> None:
    built = gated(personas)
    risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="Police report a new incident.",
        participant=built.responsible,
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.responsible.pk]
    assess(built.responsible, personas.facilitator)
    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_counts_every_assessment_stale_after_information_about_everyone(personas: Personas) -> None:
    built = gated(personas)
    risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="A neighbour dispute has started.",
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert {item.participant_id for item in error.missing} == {built.harmed.pk, built.responsible.pk}


def _conditional(personas: Personas, built_case_participant: Participant, *conditions: RiskCondition) -> None:
    assess(
        built_case_participant,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=conditions,
    )
    latest = built_case_participant.risk_assessments.order_by("-version").first()
    assert latest is not None
    risk_services.sign_off_risk_assessment(
        assessment=latest, actor=personas.coordinator, decision=SignOffDecision.APPROVED
    )


def test_it_refuses_a_face_to_face_meeting_when_only_indirect_contact_is_safe(personas: Personas) -> None:
    built = gated(personas)
    _conditional(personas, built.harmed, RiskCondition.INDIRECT_ONLY)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "indirect communication only" in error.message


@pytest.mark.parametrize(
    ("condition", "process", "reason"),
    [
        (RiskCondition.INDIRECT_ONLY, ProcessKind.FACE_TO_FACE, "indirect communication only"),
        (RiskCondition.VIRTUAL_ONLY, ProcessKind.COMMUNITY_CONFERENCE, "virtual meetings only"),
        (RiskCondition.NO_RECORDING, ProcessKind.VIDEO, "rule out recording"),
    ],
)
def test_choosing_a_process_the_risk_conditions_rule_out_is_refused_with_the_reason(
    personas: Personas, condition: RiskCondition, process: ProcessKind, reason: str
) -> None:
    built = gated(personas, ProcessKind.LETTERS)
    _conditional(personas, built.harmed, condition)
    case = reload(built.case)
    with pytest.raises(DomainError, match=reason) as error:
        case_services.update_case_details(
            case=case, actor=personas.facilitator, details={"process_kind": process}, expected_version=case.version
        )
    assert error.value.field == "process_kind"
    assert "Ann Harmed" in error.value.message
    assert reload(built.case).process_kind == ProcessKind.LETTERS


def test_it_allows_letters_when_only_indirect_contact_is_safe(personas: Personas) -> None:
    built = gated(personas, ProcessKind.LETTERS)
    _conditional(personas, built.harmed, RiskCondition.INDIRECT_ONLY)

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_refuses_a_meeting_in_person_when_only_virtual_meetings_are_safe(personas: Personas) -> None:
    built = gated(personas)
    _conditional(personas, built.responsible, RiskCondition.VIRTUAL_ONLY)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.responsible.pk]
    assert "virtual meetings only" in error.message


def test_it_allows_a_virtual_conference_when_only_virtual_meetings_are_safe(personas: Personas) -> None:
    built = gated(personas, ProcessKind.VIRTUAL)
    _conditional(personas, built.responsible, RiskCondition.VIRTUAL_ONLY)

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_refuses_recording_when_the_assessment_rules_it_out(personas: Personas) -> None:
    built = gated(personas, ProcessKind.VIDEO)
    _conditional(personas, built.harmed, RiskCondition.NO_RECORDING)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "rule out recording" in error.message


def test_it_refuses_a_supporter_taking_part_when_no_supporters_are_safe(personas: Personas) -> None:
    built = gated(personas)
    supporter = add_person(
        built.case, personas.facilitator, ParticipantRole.SUPPORTER, given_name="Sian", supports=built.harmed
    )
    ready_participant(supporter, personas.facilitator)
    _conditional(personas, built.harmed, RiskCondition.NO_SUPPORTERS)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "no supporters" in error.message


def test_it_refuses_co_facilitation_conditions_without_a_co_facilitator(personas: Personas) -> None:
    from tests.cases.test_allocation import eligible_facilitator

    built = gated(personas)
    _conditional(personas, built.harmed, RiskCondition.CO_FACILITATION)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [item.participant_id for item in error.missing] == [built.harmed.pk]
    assert "co-facilitator" in error.message
    co_facilitator = eligible_facilitator(personas)
    case_services.allocate_case(
        case=reload(built.case), actor=personas.coordinator, lead=personas.facilitator, co_facilitator=co_facilitator
    )
    case_services.declare_conflict(case=reload(built.case), actor=co_facilitator, has_conflict=False)
    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_asks_for_sign_off_of_every_assessment_in_a_sensitive_case(personas: Personas) -> None:
    built = gated(personas)
    make_sensitive(built.case, personas.facilitator)

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"risk_assessed_safe"}
    assert {(item.participant_id, item.fix) for item in error.missing} == {
        (built.harmed.pk, Fix.SIGN_OFF),
        (built.responsible.pk, Fix.SIGN_OFF),
    }
    sign_off_all(built.case, personas.coordinator)
    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_asks_for_sign_off_of_a_conditional_assessment(personas: Personas) -> None:
    built = gated(personas)
    assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.NEUTRAL_VENUE,),
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [(item.participant_id, item.fix) for item in error.missing] == [(built.harmed.pk, Fix.SIGN_OFF)]


def test_it_does_not_count_a_sign_off_that_was_not_approved(personas: Personas) -> None:
    built = gated(personas)
    assessment = assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.NEUTRAL_VENUE,),
    )
    risk_services.sign_off_risk_assessment(
        assessment=assessment,
        actor=personas.coordinator,
        decision=SignOffDecision.NOT_APPROVED,
        note="The venue is too close to home.",
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert [(item.participant_id, item.fix) for item in error.missing] == [(built.harmed.pk, Fix.SIGN_OFF)]


def test_it_lets_a_conditional_assessment_through_once_approved(personas: Personas) -> None:
    built = gated(personas)
    _conditional(personas, built.harmed, RiskCondition.NEUTRAL_VENUE)

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


def test_it_refuses_sign_off_by_the_assessor(personas: Personas) -> None:
    built = gated(personas)
    make_assessor(personas.coordinator)
    assessment = assess(
        built.harmed,
        personas.coordinator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.NEUTRAL_VENUE,),
    )

    with pytest.raises(DomainError, match="other than the assessor"):
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
        )
    assessment.refresh_from_db()
    assert assessment.sign_off_decision == ""


def test_it_signs_off_only_the_latest_version(personas: Personas) -> None:
    built = gated(personas)
    first = assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.NEUTRAL_VENUE,),
    )
    assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.SEPARATE_ARRIVAL,),
    )

    with pytest.raises(DomainError, match="Only the latest"):
        risk_services.sign_off_risk_assessment(
            assessment=first, actor=personas.coordinator, decision=SignOffDecision.APPROVED
        )


def test_it_refuses_sign_off_by_someone_who_is_not_a_coordinator(personas: Personas) -> None:
    built = gated(personas)
    assessment = assess(
        built.harmed,
        personas.facilitator,
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.NEUTRAL_VENUE,),
    )

    with pytest.raises(DomainError, match="Only a coordinator"):
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.supervisor, decision=SignOffDecision.APPROVED
        )


# Gate 4: the court order -----------------------------------------------------------------------------------------


def test_it_refuses_consent_given_after_the_deferment_order(personas: Personas) -> None:
    built = gated(personas)
    case_services.update_case_details(
        case=reload(built.case),
        actor=personas.facilitator,
        details={"pre_sentence": True, "deferment_order_on": timezone.localdate() - datetime.timedelta(days=1)},
        expected_version=None,
    )

    error = refused(built.case, personas.facilitator, PREPARE)

    assert guards_of(error) == {"court_order_recorded"}
    assert {item.participant_id for item in error.missing} == {built.harmed.pk, built.responsible.pk}
    assert f"{Gate.COURT_ORDER.label}:" in error.message
    assert HARMED_NAME in error.message


def test_it_allows_pre_sentence_rj_with_consent_given_by_the_order_date(personas: Personas) -> None:
    built = gated(personas)
    case_services.update_case_details(
        case=reload(built.case),
        actor=personas.facilitator,
        details={"pre_sentence": True, "deferment_order_on": timezone.localdate()},
        expected_version=None,
    )

    assert move(built.case, personas.facilitator, PREPARE).state == State.PREPARING


# Gates checked again on entering each gated state ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "transition", "also"),
    [
        # A face-to-face conference is also scheduled by booking its meeting, which has not happened here.
        (State.PREPARING, TransitionName.SCHEDULE, {"meeting_booked"}),
        (State.SCHEDULED, TransitionName.START_PROCESS, set()),
    ],
)
def test_it_checks_the_gates_again_on_entering_each_gated_state(
    personas: Personas, state: State, transition: TransitionName, also: set[str]
) -> None:
    built = case_in(personas, state)
    risk_services.record_risk_information(
        case=reload(built.case),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="A new threat was reported.",
        participant=built.harmed,
    )

    error = refused(built.case, personas.facilitator, transition)

    assert guards_of(error) == {"risk_assessed_safe"} | also
    assert [item.participant_id for item in error.missing if item.gate] == [built.harmed.pk]


@pytest.mark.parametrize("state", [State.PREPARING, State.SCHEDULED])
def test_it_checks_the_gates_again_when_a_case_resumes_into_a_gated_state(personas: Personas, state: State) -> None:
    built = case_in(personas, state)
    move(
        built.case,
        personas.facilitator,
        TransitionName.HOLD,
        hold_reason="health",
        hold_review_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    deny_responsibility(built.responsible, personas.facilitator)

    error = refused(built.case, personas.facilitator, TransitionName.RESUME)

    assert guards_of(error) == {"responsibility_accepted"}
    assert reload(built.case).state == State.ON_HOLD


def test_it_resumes_into_a_gated_state_when_the_gates_still_hold(personas: Personas) -> None:
    built = case_in(personas, State.SCHEDULED)
    move(
        built.case,
        personas.facilitator,
        TransitionName.HOLD,
        hold_reason="health",
        hold_review_on=timezone.localdate() + datetime.timedelta(days=7),
    )

    assert move(built.case, personas.facilitator, TransitionName.RESUME).state == State.SCHEDULED


def test_it_resumes_into_assessing_without_the_gates(personas: Personas) -> None:
    built = case_in(personas, State.ON_HOLD)

    case = move(built.case, personas.facilitator, TransitionName.RESUME)

    assert case.state == State.ASSESSING
    assert case.hold_reason == ""
    assert case.hold_review_on is None


def test_it_keeps_the_process_fixed_once_scheduled(personas: Personas) -> None:
    built = case_in(personas, State.SCHEDULED)

    with pytest.raises(DomainError) as caught:
        case_services.update_case_details(
            case=reload(built.case),
            actor=personas.facilitator,
            details={"process_kind": ProcessKind.LETTERS},
            expected_version=None,
        )
    assert caught.value.field == "process_kind"


def test_it_reports_each_gate_with_what_is_missing(personas: Personas) -> None:
    from amends.cases.workflow import gate_report, load_facts

    built = gated(personas)
    deny_responsibility(built.responsible, personas.facilitator)

    report = {status.gate: status for status in gate_report(load_facts(reload(built.case)))}

    assert not report[Gate.RESPONSIBILITY].holds
    assert [item.participant_id for item in report[Gate.RESPONSIBILITY].missing] == [built.responsible.pk]
    assert report[Gate.CONSENT].holds
    assert report[Gate.RISK].holds
    assert report[Gate.COURT_ORDER].holds
