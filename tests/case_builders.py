"""Build referrals and cases through the real services, up to any state of the workflow.

Tests use these instead of writing rows directly, so every case they see was made the way a facilitator makes one.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from amends.accounts.models import Service, TrainingRecord, User
from amends.cases import services as case_services
from amends.cases.models import INDIRECT_PROCESSES, Case, ProcessKind, State
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.meetings import services as meeting_services
from amends.meetings.models import Meeting, MeetingPurpose, Venue
from amends.outcomes import services as outcome_services
from amends.outcomes.models import ActionKind, AgreementAction, AgreementMethod
from amends.people import services as people_services
from amends.people.models import PRINCIPAL_ROLES, ContactChannel, ContactOutcome, Participant, ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import (
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
)
from amends.risk import services as risk_services
from amends.risk.models import RiskOutcome
from tests.factories import FacilitatorRecordFactory

# The order a case passes through on its way to a completed process (on hold and closed are reached from any).
PATH = (
    State.REFERRED,
    State.ALLOCATED,
    State.CONTACTING,
    State.ASSESSING,
    State.PREPARING,
    State.SCHEDULED,
    State.IN_PROCESS,
    State.AGREEMENT_MONITORING,
    State.FOLLOWING_UP,
)


def make_referral(
    *,
    service: Service,
    actor: User,
    crime_reference: str = "",
    harmed: dict | None = None,
    responsible: dict | None = None,
    justice_stage: JusticeStage = JusticeStage.PRE_CHARGE,
    reported_on: datetime.date | None = None,
) -> Referral:
    people = [
        referral_services.NamedPerson(
            ParticipantRole.PERSON_HARMED,
            harmed or {"given_name": "Ann", "family_name": "Harmed", "date_of_birth": datetime.date(1980, 5, 1)},
        ),
        referral_services.NamedPerson(
            ParticipantRole.PERSON_RESPONSIBLE,
            responsible
            or {"given_name": "Rob", "family_name": "Responsible", "date_of_birth": datetime.date(1990, 2, 3)},
        ),
    ]
    return referral_services.create_referral(
        service=service,
        actor=actor,
        details={
            "source": ReferralSource.POLICE,
            "crime_reference": crime_reference,
            "offence_category": OffenceCategory.BURGLARY,
            "justice_stage": justice_stage,
            "initiated_by": Initiator.PERSON_HARMED,
            "setting": Setting.CRIMINAL_JUSTICE,
            "reported_on": reported_on or timezone.localdate(),
        },
        people=people,
    )


def make_trained(user: User) -> None:
    """Give a person what allocation asks of a facilitator: a record and training in date."""
    record = getattr(user, "facilitator_record", None) or FacilitatorRecordFactory(user=user)
    if not record.training.exists():
        TrainingRecord.objects.create(
            record=record, title="Restorative justice facilitation", provider="RJC", completed_on=timezone.localdate()
        )


@dataclass
class BuiltCase:
    case: Case
    harmed: Participant
    responsible: Participant


def ready_to_take_part(participant: Participant, facilitator: User, process: ProcessKind | str) -> None:
    """What the consent and risk gates ask of one participant: information, consent to the process, a suitable
    assessment."""
    consent_services.record_information_given(
        participant=participant,
        actor=facilitator,
        items=list(InformationItem),
        given_on=timezone.localdate(),
        format=InformationFormat.IN_PERSON,
    )
    consent_services.give_consent(
        participant=participant,
        actor=facilitator,
        scopes=[ConsentScope.TAKE_PART, ConsentScope.RECORDING],
        process_kinds=[process],
        method=ConsentMethod.WRITTEN,
        evidence="Signed form on file",
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    risk_services.record_risk_assessment(
        participant=participant,
        actor=facilitator,
        factors={},
        narrative="No concerns found at the home visit.",
        conditions=[],
        outcome=RiskOutcome.SUITABLE,
        review_on=timezone.localdate() + datetime.timedelta(days=60),
    )


def meet_gates(case: Case, facilitator: User, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> None:
    """Record everything the four gates ask for, for everyone taking part."""
    case = Case.objects.get(pk=case.pk)
    case_services.update_case_details(
        case=case, actor=facilitator, details={"process_kind": process}, expected_version=None
    )
    for participant in case.participants.filter(takes_part=True):
        if participant.role == ParticipantRole.PERSON_RESPONSIBLE:
            consent_services.record_responsibility(
                participant=participant,
                actor=facilitator,
                basis=ResponsibilityBasis.ADMISSION,
                level=ResponsibilityLevel.FULL,
                in_their_words="I broke in and I'm sorry.",
                recorded_on=timezone.localdate(),
            )
        ready_to_take_part(participant, facilitator, process)


def agree_outcome(case: Case, facilitator: User) -> AgreementAction:
    """What "Outcome agreement made" asks for: an agreement with an apology, agreed by the person harmed and the person
    responsible who take part. Returns the apology."""
    today = timezone.localdate()
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)
    outcome_services.make_agreement(
        case=case,
        actor=facilitator,
        made_on=today,
        summary="Rob will write to Ann to say sorry and to explain why he chose her home.",
    )
    for participant in case.participants.filter(takes_part=True, role__in=PRINCIPAL_ROLES).order_by("pk"):
        outcome_services.record_participant_agreement(
            case=case, actor=facilitator, participant=participant, agreed_on=today, method=AgreementMethod.IN_PERSON
        )
    return outcome_services.add_action(
        case=case,
        actor=facilitator,
        kind=ActionKind.APOLOGY,
        description="A letter of apology to Ann, through the facilitator.",
        owner=case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE),
        due_on=today + datetime.timedelta(days=14),
    )


def build_case(
    *,
    service: Service,
    coordinator: User,
    facilitator: User,
    state: State = State.ASSESSING,
    crime_reference: str = "",
    process: ProcessKind = ProcessKind.FACE_TO_FACE,
) -> BuiltCase:
    """A case with a person harmed and a person responsible, taken through the services to `state`."""
    referral = make_referral(service=service, actor=coordinator, crime_reference=crime_reference)
    case = referral_services.accept_referral(referral=referral, actor=coordinator, reason="Within scope")
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED)
    responsible = case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE)
    target = PATH.index(state) if state in PATH else PATH.index(State.ASSESSING)
    if target >= PATH.index(State.ALLOCATED):
        make_trained(facilitator)
        case = case_services.allocate_case(case=case, actor=coordinator, lead=facilitator)
    if target >= PATH.index(State.CONTACTING):
        case_services.declare_conflict(case=case, actor=facilitator, has_conflict=False)
        case = case_services.transition_case(case=case, actor=facilitator, name="start_contact")
    harmed = case.participants.get(role=ParticipantRole.PERSON_HARMED)
    responsible = case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE)
    if target >= PATH.index(State.ASSESSING):
        people_services.log_contact(
            participant=harmed,
            actor=facilitator,
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.SPOKE,
        )
        consent_services.record_information_given(
            participant=harmed,
            actor=facilitator,
            items=[InformationItem.PROCESS],
            given_on=timezone.localdate(),
            format=InformationFormat.PHONE,
        )
        case = case_services.transition_case(case=case, actor=facilitator, name="start_assessment")
    if target >= PATH.index(State.PREPARING):
        meet_gates(case, facilitator, process)
        case = case_services.transition_case(case=case, actor=facilitator, name="start_preparing")
    if target >= PATH.index(State.SCHEDULED):
        case = schedule(case, facilitator)
    apology = None
    for name, state_reached in (
        ("start_process", State.IN_PROCESS),
        ("record_agreement", State.AGREEMENT_MONITORING),
        ("finish_monitoring", State.FOLLOWING_UP),
    ):
        if target < PATH.index(state_reached):
            continue
        if name == "record_agreement":
            apology = agree_outcome(case, facilitator)
        elif name == "finish_monitoring" and apology is not None:
            outcome_services.verify_action(
                action=apology, actor=facilitator, completed=True, note="Letter read and passed on."
            )
        case = case_services.transition_case(case=case, actor=facilitator, name=name)
    if state == State.ON_HOLD:
        case = case_services.transition_case(
            case=case,
            actor=facilitator,
            name="hold",
            hold_reason="trial_pending",
            hold_review_on=timezone.localdate() + datetime.timedelta(days=14),
        )
    elif state == State.AWAITING_SIGNOFF:
        raise ValueError("Build a sensitive case and request sign-off in the test itself.")
    elif state == State.CLOSED:
        case = case_services.transition_case(case=case, actor=coordinator, name="close", closure_reason="other")
    case.refresh_from_db()
    harmed.refresh_from_db()
    responsible.refresh_from_db()
    return BuiltCase(case=case, harmed=harmed, responsible=responsible)


def make_venue(service: Service, coordinator: User, **details: object) -> Venue:
    """A venue in the service's register, step-free with separate waiting rooms unless told otherwise."""
    values: dict[str, object] = {
        "name": "Riverside Community Centre",
        "address": "1 Quay Street\nGloucester",
        "step_free": True,
        "separate_waiting_rooms": True,
        "hearing_loop": True,
        **details,
    }
    known = Venue.objects.filter(service=service, name=values["name"]).first()
    return known or meeting_services.save_venue(service=service, actor=coordinator, details=values)


def day_at(hour: int, days: int = 1) -> datetime.datetime:
    """`days` from today at `hour` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def schedule(case: Case, facilitator: User) -> Case:
    """Schedule a case being prepared as a facilitator does: book its meeting when its process meets (on a day of
    its own, so cases built together do not clash), or mark it scheduled when the process is indirect. In the
    afternoon: a meeting booked for a morning (book_conference's own, say) never meets it, whatever the case's id
    (on PostgreSQL ids are not reused, so any day may come up)."""
    case = Case.objects.get(pk=case.pk)
    if case.process_kind in INDIRECT_PROCESSES:
        return case_services.transition_case(case=case, actor=facilitator, name="schedule")
    book_conference(case, facilitator, starts_at=day_at(15, days=1 + case.pk % 365))
    return Case.objects.get(pk=case.pk)


def book_conference(case: Case, facilitator: User, **overrides: object) -> Meeting:
    """A restorative meeting tomorrow at 10 with the person harmed and the person responsible who take part, at the
    service's usual venue (the case must be preparing or scheduled, with the gates holding)."""
    case = Case.objects.select_related("service", "lead_facilitator", "co_facilitator").get(pk=case.pk)
    values: dict[str, Any] = {
        "case": case,
        "actor": facilitator,
        "purpose": MeetingPurpose.RESTORATIVE,
        "starts_at": day_at(10),
        "duration_minutes": 90,
        "attendees": list(case.participants.filter(takes_part=True, role__in=PRINCIPAL_ROLES).order_by("pk")),
        **overrides,
    }
    if "venue" not in values and "platform" not in values:
        coordinator = next(iter(case_services.coordinators_of(case.service)), facilitator)
        values["venue"] = make_venue(case.service, coordinator)
    return meeting_services.book_meeting(**values)
