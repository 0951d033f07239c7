"""Demo stories: cases written as RJ practice looks, made through the same services a facilitator uses.

Loaded once per service by load_demo (skipped when the service already has referrals). Every name is invented.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from amends.accounts.models import Service, User
from amends.cases import services as case_services
from amends.cases.models import RECORDED_PROCESSES, Case, ClosureReason, ProcessKind, SensitivityFlag
from amends.complaints.demo import complaints_received
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.followup.demo import bike_theft_followed_up
from amends.meetings import services as meeting_services
from amends.meetings.models import MeetingPurpose, Venue
from amends.outcomes import services as outcome_services
from amends.outcomes.models import ActionKind, AgreementAction, AgreementMethod
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome, Language, Participant, ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import (
    EnhancedRightsGround,
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
)
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskOutcome, SignOffDecision


@dataclass(frozen=True)
class Staff:
    coordinator: User
    facilitator: User
    supervisor: User


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _refer(
    service: Service,
    staff: Staff,
    *,
    harmed: dict[str, Any],
    responsible: dict[str, Any],
    offence: OffenceCategory,
    stage: JusticeStage,
    initiated_by: Initiator,
    days_ago: int,
    crime_reference: str,
    summary: str,
    enhanced: EnhancedRightsGround = EnhancedRightsGround.NONE,
    source: ReferralSource = ReferralSource.POLICE,
) -> Referral:
    # Spread over the service's areas so that its figures have more than one; a duplicate falls in the same area.
    areas = referral_services.service_areas(service)
    area = areas[sum(map(ord, crime_reference)) % len(areas)] if areas else ""
    return referral_services.create_referral(
        service=service,
        actor=staff.coordinator,
        details={
            "received_on": _days_ago(days_ago),
            "source": source,
            "referrer_name": "PC Sam Hughes",
            "referrer_organisation": "Western Area Police",
            "referrer_contact": "sam.hughes@police.example",
            "crime_reference": crime_reference,
            "offence_category": offence,
            "offence_date": _days_ago(days_ago + 30),
            "reported_on": _days_ago(days_ago + 2),
            "justice_stage": stage,
            "area": area,
            "initiated_by": initiated_by,
            "setting": Setting.CRIMINAL_JUSTICE,
            "enhanced_rights": enhanced,
            "victim_told_about_rj_on": _days_ago(days_ago + 1),
            "victim_told_about_rj_by": "PC Sam Hughes, at the victim's statement",
            "summary": summary,
        },
        people=[
            referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, harmed),
            referral_services.NamedPerson(ParticipantRole.PERSON_RESPONSIBLE, responsible),
        ],
    )


def _open(
    referral: Referral, staff: Staff, *, flags: tuple[SensitivityFlag, ...] = (), supervised: bool = False
) -> Case:
    case = referral_services.accept_referral(
        referral=referral,
        actor=staff.coordinator,
        reason="Identified person responsible; both parties local.",
        flags=flags,
    )
    case = case_services.allocate_case(
        case=case,
        actor=staff.coordinator,
        lead=staff.facilitator,
        supervisor=staff.supervisor if supervised else None,
    )
    case_services.declare_conflict(case=case, actor=staff.facilitator, has_conflict=False)
    return case_services.transition_case(case=case, actor=staff.facilitator, name="start_contact")


def _participants(case: Case) -> tuple[Participant, Participant]:
    return (
        case.participants.select_related("case").get(role=ParticipantRole.PERSON_HARMED),
        case.participants.select_related("case").get(role=ParticipantRole.PERSON_RESPONSIBLE),
    )


def _reach(case: Case, staff: Staff, participant: Participant, summary: str) -> None:
    participant = Participant.objects.select_related("case").get(pk=participant.pk)
    people_services.log_contact(
        participant=participant,
        actor=staff.facilitator,
        occurred_at=timezone.now() - datetime.timedelta(days=20),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        duration_minutes=25,
        summary=summary,
    )
    consent_services.record_information_given(
        participant=participant,
        actor=staff.facilitator,
        items=list(InformationItem),
        given_on=_days_ago(18),
        format=InformationFormat.IN_PERSON,
    )


def _consent(staff: Staff, participant: Participant, process: ProcessKind, witness: str = "") -> None:
    participant = Participant.objects.select_related("case").get(pk=participant.pk)
    recorded = [ConsentScope.RECORDING] if process in RECORDED_PROCESSES else []
    consent_services.give_consent(
        participant=participant,
        actor=staff.facilitator,
        scopes=[ConsentScope.TAKE_PART, ConsentScope.FEEDBACK, *recorded],
        process_kinds=[process],
        method=ConsentMethod.VERBAL if witness else ConsentMethod.WRITTEN,
        witnessed_by=witness,
        evidence="" if witness else "Signed consent form, scanned to the case file",
        occurred_at=timezone.now() - datetime.timedelta(days=10),
    )


def _assess(
    staff: Staff,
    participant: Participant,
    narrative: str,
    *,
    outcome: RiskOutcome = RiskOutcome.SUITABLE,
    conditions: tuple[RiskCondition, ...] = (),
    factors: dict[str, str] | None = None,
) -> None:
    participant = Participant.objects.select_related("case").get(pk=participant.pk)
    risk_services.record_risk_assessment(
        participant=participant,
        actor=staff.facilitator,
        factors=factors or {},
        narrative=narrative,
        conditions=list(conditions),
        outcome=outcome,
        assessed_on=_days_ago(8),
        review_on=_days_ago(8) + datetime.timedelta(days=60),
    )


def _responsibility(staff: Staff, participant: Participant, level: ResponsibilityLevel, words: str) -> None:
    participant = Participant.objects.select_related("case").get(pk=participant.pk)
    consent_services.record_responsibility(
        participant=participant,
        actor=staff.facilitator,
        basis=ResponsibilityBasis.GUILTY_PLEA,
        level=level,
        in_their_words=words,
        recorded_on=_days_ago(15),
    )


def _choose(case: Case, staff: Staff, process: ProcessKind) -> Case:
    return case_services.update_case_details(
        case=Case.objects.get(pk=case.pk),
        actor=staff.facilitator,
        details={"process_kind": process},
        expected_version=None,
    )


def burglary_with_a_supporter(service: Service, staff: Staff) -> None:
    """Both want to meet face to face; the person harmed brings her sister. The conference is booked."""
    referral = _refer(
        service,
        staff,
        harmed={
            "given_name": "Margaret",
            "family_name": "Ellis",
            "date_of_birth": datetime.date(1958, 3, 14),
            "phone": "07700 900123",
            "safe_times": "Weekday mornings",
            "correspondence_language": Language.ENGLISH,
        },
        responsible={"given_name": "Liam", "family_name": "Carter", "date_of_birth": datetime.date(2001, 7, 2)},
        offence=OffenceCategory.BURGLARY,
        stage=JusticeStage.COMMUNITY_SENTENCE,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=40,
        crime_reference="WA/24871/26",
        summary="Burglary at Mrs Ellis's home while she was out. She wants to ask why her house was chosen.",
    )
    case = _open(referral, staff)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "Talked through what a meeting would be like. She would like her sister there.")
    _reach(case, staff, responsible, "Visited at the probation office. Wants to apologise in person.")
    case = case_services.transition_case(
        case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment"
    )
    sister = people_services.add_participant(
        case=Case.objects.get(pk=case.pk),
        actor=staff.facilitator,
        role=ParticipantRole.SUPPORTER,
        supports=harmed,
        details={"given_name": "Joan", "family_name": "Ellis", "phone": "07700 900456"},
    )
    consent_services.record_information_given(
        participant=Participant.objects.select_related("case").get(pk=sister.pk),
        actor=staff.facilitator,
        items=list(InformationItem),
        given_on=_days_ago(12),
        format=InformationFormat.PHONE,
    )
    _choose(case, staff, ProcessKind.FACE_TO_FACE)
    _responsibility(
        staff,
        responsible,
        ResponsibilityLevel.FULL,
        "I did it. I needed money and I didn't think about who lived there. I want to say sorry to her face.",
    )
    for participant in (harmed, responsible, sister):
        _consent(staff, participant, ProcessKind.FACE_TO_FACE)
    _assess(staff, harmed, "Keen to meet, well supported by her sister. No concerns.")
    _assess(staff, responsible, "Remorseful, engaging with probation. Low risk at a neutral venue.")
    _assess(staff, sister, "Protective of her sister but supportive of the meeting. Agreed ground rules.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_preparing")
    # Booking the conference schedules the case: Liam arrives first and leaves last, so the sisters never wait
    # with him or meet him outside.
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=10), datetime.time(10, 30))
    )
    meeting_services.book_meeting(
        case=Case.objects.select_related("service", "lead_facilitator", "co_facilitator").get(pk=case.pk),
        actor=staff.facilitator,
        purpose=MeetingPurpose.RESTORATIVE,
        starts_at=start,
        duration_minutes=90,
        attendees=[harmed, responsible, Participant.objects.get(pk=sister.pk)],
        venue=Venue.objects.get(service=service, name=DEMO_VENUES[0]["name"]),
        supporters_agreed=True,
    )


# The service's register of neutral venues.
DEMO_VENUES: tuple[dict[str, Any], ...] = (
    {
        "name": "Riverside Community Centre",
        "address": "12 Quay Street\nGloucester\nGL1 2LG",
        "step_free": True,
        "separate_waiting_rooms": True,
        "hearing_loop": True,
        "notes": "Two rooms off separate corridors; park in the rear car park.",
    },
    {
        "name": "HMP Severn visits hall",
        "address": "Prison Lane\nGloucester\nGL1 9ZZ",
        "step_free": True,
        "separate_waiting_rooms": True,
        "is_prison": True,
        "security_notes": "Book visits through the prison's RJ lead 10 working days ahead; photo ID for everyone.",
    },
    {
        "name": "Stroud Library meeting room",
        "address": "Lansdown\nStroud\nGL5 1BB",
        "step_free": False,
        "separate_waiting_rooms": False,
        "notes": "First floor, no lift: preparation meetings only.",
    },
)


def register_venues(service: Service, staff: Staff) -> None:
    for details in DEMO_VENUES:
        meeting_services.save_venue(service=service, actor=staff.coordinator, details=details)


def assault_by_letter(service: Service, staff: Staff) -> None:
    """The person harmed prefers letters: indirect only, signed off by the coordinator. Preparing."""
    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Priya", "family_name": "Kaur", "date_of_birth": datetime.date(1994, 11, 21)},
        responsible={"given_name": "Dean", "family_name": "Morgan", "date_of_birth": datetime.date(1987, 1, 9)},
        offence=OffenceCategory.VIOLENCE_WITH_INJURY,
        stage=JusticeStage.CUSTODY,
        initiated_by=Initiator.PERSON_RESPONSIBLE,
        days_ago=60,
        crime_reference="WA/11209/26",
        summary="Assault outside a bar. Mr Morgan, now in custody, asked to write to Ms Kaur.",
    )
    case = _open(referral, staff, supervised=True)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "She does not want to meet but would read a letter and may reply.")
    _reach(case, staff, responsible, "Prison visit. Understands it will be letters only.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.LETTERS)
    _responsibility(staff, responsible, ResponsibilityLevel.FULL, "I hit her friend and then her. There's no excuse.")
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.LETTERS)
    _assess(
        staff,
        harmed,
        "Still anxious in town at night. Letters only; no face-to-face contact.",
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.INDIRECT_ONLY,),
        factors={"emotional_harm": "medium", "revictimisation": "low"},
    )
    _assess(staff, responsible, "Custody; letters go through the facilitator.")
    # Custody makes the case sensitive, so both assessments carry the coordinator's sign-off.
    for participant in (harmed, responsible):
        assessment = Participant.objects.get(pk=participant.pk).risk_assessments.order_by("-version").first()
        if assessment is not None:
            risk_services.sign_off_risk_assessment(
                assessment=assessment,
                actor=staff.coordinator,
                decision=SignOffDecision.APPROVED,
                note="Letters only, through the facilitator.",
            )
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_preparing")


def denies_responsibility(service: Service, staff: Staff) -> None:
    """Closed: the person responsible denies responsibility, so nothing restorative can happen."""
    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Tom", "family_name": "Bradley", "date_of_birth": datetime.date(1975, 6, 30)},
        responsible={"given_name": "Kyle", "family_name": "Nash", "date_of_birth": datetime.date(1999, 4, 18)},
        offence=OffenceCategory.CRIMINAL_DAMAGE,
        stage=JusticeStage.OUT_OF_COURT,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=90,
        crime_reference="WA/07733/26",
        summary="Damage to a van. Mr Bradley would like the damage put right.",
    )
    case = _open(referral, staff)
    _harmed, responsible = _participants(case)
    _reach(case, staff, responsible, "Says he was not there and will not take part.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _responsibility(staff, responsible, ResponsibilityLevel.DENIES, "")
    case_services.transition_case(
        case=Case.objects.get(pk=case.pk),
        actor=staff.facilitator,
        name="close",
        closure_reason=ClosureReason.DENIES_RESPONSIBILITY,
    )


def sensitive_awaiting_sign_off(service: Service, staff: Staff) -> None:
    """A hate crime, so sensitive: the assessments wait for the coordinator's sign-off."""
    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Yusuf", "family_name": "Adeyemi", "date_of_birth": datetime.date(1969, 9, 5)},
        responsible={"given_name": "Connor", "family_name": "Price", "date_of_birth": datetime.date(2003, 12, 12)},
        offence=OffenceCategory.PUBLIC_ORDER,
        stage=JusticeStage.OUT_OF_COURT,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=30,
        crime_reference="WA/19004/26",
        enhanced=EnhancedRightsGround.MOST_SERIOUS_CRIME,
        summary="Racially abusive shouting at Mr Adeyemi's shop. He wants Mr Price to understand the effect on him.",
    )
    case = _open(referral, staff, flags=(SensitivityFlag.HATE_CRIME,), supervised=True)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "Wants a meeting with his son there. Understands sign-off is needed first.")
    _reach(case, staff, responsible, "Ashamed; his youth worker will support him.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.FACE_TO_FACE)
    _responsibility(staff, responsible, ResponsibilityLevel.FULL, "What I said was racist and it was wrong.")
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.FACE_TO_FACE)
    _assess(staff, harmed, "Clear about what he wants; no concerns.", factors={"hate_motivation": "high"})
    _assess(
        staff,
        responsible,
        "Accepts the hate element. Co-facilitation and separate arrival.",
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        conditions=(RiskCondition.SEPARATE_ARRIVAL, RiskCondition.NEUTRAL_VENUE),
        factors={"hate_motivation": "high", "power_imbalance": "medium"},
    )
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="request_sign_off")


def consent_withdrawn(service: Service, staff: Staff) -> None:
    """The person harmed withdrew consent while the meeting was being prepared: back to assessing at once."""
    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Helen", "family_name": "Walsh", "date_of_birth": datetime.date(1982, 2, 27)},
        responsible={"given_name": "Jordan", "family_name": "Reid", "date_of_birth": datetime.date(2000, 8, 8)},
        offence=OffenceCategory.THEFT,
        stage=JusticeStage.COMMUNITY_SENTENCE,
        initiated_by=Initiator.REFERRER,
        days_ago=50,
        crime_reference="WA/15552/26",
        summary="Theft of a bicycle from Ms Walsh's garden.",
    )
    case = _open(referral, staff)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "Interested in a meeting.")
    _reach(case, staff, responsible, "Willing to meet and to pay for the bicycle.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.FACE_TO_FACE)
    _responsibility(staff, responsible, ResponsibilityLevel.FULL, "I took it. I'll pay her back.")
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.FACE_TO_FACE, witness="Alex Morgan, co-worker, by phone")
        _assess(staff, participant, "No concerns found.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_preparing")
    consent_services.withdraw_consent(
        participant=Participant.objects.select_related("case").get(pk=harmed.pk),
        actor=staff.facilitator,
        reason="She has decided she would rather move on.",
    )


def damage_agreement_monitored(service: Service, staff: Staff) -> None:
    """Shuttle mediation about damage to a corner shop: the facilitator went between them until they agreed. The
    agreement is monitored, the apology is done and the garden work is overdue."""
    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Kwame", "family_name": "Osei", "date_of_birth": datetime.date(1966, 6, 30)},
        responsible={"given_name": "Kieran", "family_name": "Doyle", "date_of_birth": datetime.date(2007, 4, 18)},
        offence=OffenceCategory.CRIMINAL_DAMAGE,
        stage=JusticeStage.OUT_OF_COURT,
        initiated_by=Initiator.REFERRER,
        days_ago=70,
        crime_reference="WA/20517/26",
        summary="Graffiti sprayed on the shutters of Mr Osei's shop, twice in a week.",
    )
    case = _open(referral, staff)
    harmed, responsible = _participants(case)
    _reach(
        case, staff, harmed, "Wants Kieran to see what it cost him to clean, and to understand the shop is his life."
    )
    _reach(
        case,
        staff,
        responsible,
        "Embarrassed; would rather put things right than go to court, but cannot face Mr Osei yet.",
    )
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.SHUTTLE)
    _responsibility(
        staff, responsible, ResponsibilityLevel.FULL, "It was me both times. It was a dare and it was stupid."
    )
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.SHUTTLE)
        _assess(staff, participant, "No concerns found. Messages carried by the facilitator, one visit each at a time.")
    for name in ("start_preparing", "schedule", "start_process"):
        case = case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name=name)
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)
    outcome_services.make_agreement(
        case=case,
        actor=staff.facilitator,
        made_on=_days_ago(21),
        summary=(
            'Mr Osei: "I want him to know I was up at five scrubbing those shutters." Kieran: "I\'ll say sorry '
            "properly, in writing, and I'll put the hours in to make up for it.\" Both agreed that Kieran writes a "
            "letter of apology and gives four Saturday mornings to the community garden by the shop."
        ),
    )
    for participant in (harmed, responsible):
        outcome_services.record_participant_agreement(
            case=case,
            actor=staff.facilitator,
            participant=Participant.objects.get(pk=participant.pk),
            agreed_on=_days_ago(21),
            method=AgreementMethod.IN_PERSON,
        )
    owner = Participant.objects.get(pk=responsible.pk)
    apology = outcome_services.add_action(
        case=case,
        actor=staff.facilitator,
        kind=ActionKind.APOLOGY,
        description="A handwritten letter of apology to Mr Osei, passed on by the facilitator.",
        owner=owner,
        due_on=_days_ago(14),
    )
    outcome_services.add_action(
        case=case,
        actor=staff.facilitator,
        kind=ActionKind.REPARATION,
        description="Four Saturday mornings at the Riverside community garden, signed off by its volunteer lead.",
        owner=owner,
        due_on=_days_ago(3),
    )
    case = case_services.transition_case(case=case, actor=staff.facilitator, name="record_agreement")
    outcome_services.verify_action(
        action=AgreementAction.objects.select_related("agreement__case").get(pk=apology.pk),
        actor=staff.facilitator,
        completed=True,
        note="Read the letter before passing it on; Mr Osei said it sounded like Kieran meant it.",
    )


def letters_with_a_redaction(service: Service, staff: Staff) -> None:
    """A letter exchange under way: Mr Lloyd's letter named his street, which the facilitator redacted before
    releasing it; it was posted to Ms Jones, and her reply is still a draft."""
    from amends.relay import services as relay_services
    from amends.relay.models import DeliveryMethod, FlagResolution, MessageKind

    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Eleri", "family_name": "Jones", "date_of_birth": datetime.date(1983, 8, 12)},
        responsible={
            "given_name": "Gareth",
            "family_name": "Lloyd",
            "date_of_birth": datetime.date(1998, 12, 2),
            "address": "22 Brynglas Road\nNewport\nNP20 5QR",
        },
        offence=OffenceCategory.THEFT,
        stage=JusticeStage.COMMUNITY_SENTENCE,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=50,
        crime_reference="WA/17733/26",
        summary="Handbag taken from a car at the leisure centre. Ms Jones wants to know why, but not to meet.",
    )
    case = _open(referral, staff)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "Would like a letter; may write back. Does not want him to know where she lives.")
    _reach(case, staff, responsible, "Keen to write. Told that letters are read before they are passed on.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.LETTERS)
    _responsibility(staff, responsible, ResponsibilityLevel.FULL, "I took the bag. I sold what was in it.")
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.LETTERS)
        _assess(staff, participant, "No concerns found. Letters only, through the facilitator.")
    for name in ("start_preparing", "schedule", "start_process"):
        case = case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name=name)
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)
    harmed, responsible = _participants(case)
    letter = relay_services.create_message(
        case=case,
        actor=staff.facilitator,
        sender=responsible,
        recipient=harmed,
        kind=MessageKind.LETTER,
        body=(
            "Dear Eleri,\n\nI am sorry I took your bag. I did not think about the photos in it or how you would "
            "feel getting into your car after. I have moved back to my mum's on 22 Brynglas Road and I am working "
            "at the warehouse now, and I am paying back what I owe.\n\nGareth"
        ),
    )
    letter = relay_services.take_step(message=letter, actor=staff.facilitator, step="submit")
    for flag in letter.flags.all():
        flag.message = letter
        relay_services.resolve_flag(flag=flag, actor=staff.facilitator, resolution=FlagResolution.REDACTED)
    letter.refresh_from_db()
    letter.case = case
    for step in ("approve", "release"):
        letter = relay_services.take_step(message=letter, actor=staff.facilitator, step=step)
    letter = relay_services.take_step(
        message=letter, actor=staff.facilitator, step="deliver", delivery_method=DeliveryMethod.POST
    )
    reply = relay_services.take_step(message=letter, actor=staff.facilitator, step="reply")
    relay_services.edit_message(
        message=reply,
        actor=staff.facilitator,
        kind=MessageKind.LETTER,
        body="Gareth, thank you for your letter. I read it twice. I want to ask you about the photos.",
    )


def shop_theft_referral_order(service: Service, staff: Staff) -> None:
    """A 15-year-old's theft from a corner shop: the youth court made a 6-month referral order; the shopkeeper is
    invited to the panel; the service's register has two community panel members and a youth justice officer, who
    sit on the initial panel meeting booked for next week. The first review is on the lead facilitator's tasks."""
    from amends.youth import services as youth_services
    from amends.youth.models import PanelRole, VictimInvolvement

    referral = _refer(
        service,
        staff,
        harmed={"given_name": "Nasreen", "family_name": "Begum", "date_of_birth": datetime.date(1972, 5, 19)},
        responsible={
            "given_name": "Jayden",
            "family_name": "Walsh",
            "date_of_birth": timezone.localdate() - datetime.timedelta(days=15 * 365 + 120),
        },
        offence=OffenceCategory.THEFT,
        stage=JusticeStage.REFERRAL_ORDER,
        initiated_by=Initiator.REFERRER,
        days_ago=21,
        crime_reference="WA/31840/26",
        source=ReferralSource.YOUTH_JUSTICE,
        summary="Jayden took sweets and energy drinks from Mrs Begum's shop three times; he pleaded guilty.",
    )
    # A child takes part, so the case is sensitive and supervised.
    case = _open(referral, staff, supervised=True)
    harmed, responsible = _participants(case)
    _reach(case, staff, harmed, "Wants Jayden to know the shop is her family's living, and to hear why he did it.")
    _reach(case, staff, responsible, "Home visit with his mum. Quiet, but says he wants to make up for it.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    _choose(case, staff, ProcessKind.REFERRAL_ORDER_PANEL)
    _responsibility(staff, responsible, ResponsibilityLevel.FULL, "I took the stuff. My mates dared me. It was wrong.")
    for participant in (harmed, responsible):
        _consent(staff, participant, ProcessKind.REFERRAL_ORDER_PANEL)
    _assess(staff, harmed, "Clear about what she wants to say; no concerns.")
    _assess(staff, responsible, "Fifteen; his mum will come with him. Low risk at a neutral venue.")
    # A child takes part, so both assessments carry the coordinator's sign-off.
    for participant in (harmed, responsible):
        assessment = Participant.objects.get(pk=participant.pk).risk_assessments.order_by("-version").first()
        if assessment is not None:
            risk_services.sign_off_risk_assessment(
                assessment=assessment,
                actor=staff.coordinator,
                decision=SignOffDecision.APPROVED,
                note="Panel at the community centre, his mum attending.",
            )
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_preparing")
    case = Case.objects.select_related("service", "lead_facilitator", "co_facilitator").get(pk=case.pk)
    youth_services.record_referral_order(
        case=case,
        actor=staff.facilitator,
        made_on=_days_ago(14),
        length_months=6,
        court="Gloucester Youth Court",
    )
    youth_services.record_victim_involvement(
        case=case,
        actor=staff.facilitator,
        involvement=VictimInvolvement.ATTENDING,
        details="Mrs Begum asked to take part and to say how the thefts affected her family; no risk concerns.",
    )
    members = [
        youth_services.save_panel_member(
            service=service,
            actor=staff.coordinator,
            details={"name": name, "role": role, "trained_on": trained_on},
        )
        for name, role, trained_on in (
            ("Eleri Watkins", PanelRole.COMMUNITY, _days_ago(400)),
            ("Graham Fisher", PanelRole.COMMUNITY, _days_ago(200)),
            ("Dionne Clarke", PanelRole.YOUTH_JUSTICE, _days_ago(900)),
        )
    ]
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(16, 0))
    )
    meeting = meeting_services.book_meeting(
        case=case,
        actor=staff.facilitator,
        purpose=MeetingPurpose.PANEL,
        starts_at=start,
        duration_minutes=60,
        attendees=[harmed, responsible],
        venue=Venue.objects.get(service=service, name=DEMO_VENUES[0]["name"]),
    )
    meeting.case = Case.objects.select_related("service").get(pk=case.pk)
    youth_services.seat_panel(meeting=meeting, actor=staff.facilitator, members=members)


def awaiting_triage(service: Service, staff: Staff) -> None:
    """Two referrals in the triage queue; the second has the same crime reference as the burglary case."""
    _refer(
        service,
        staff,
        harmed={"given_name": "Aled", "family_name": "Pritchard", "date_of_birth": datetime.date(1990, 10, 1)},
        responsible={"given_name": "Ryan", "family_name": "Cole", "date_of_birth": datetime.date(2004, 3, 3)},
        offence=OffenceCategory.VEHICLE_OFFENCE,
        stage=JusticeStage.PRE_CHARGE,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=1,
        crime_reference="WA/30118/26",
        summary="Car broken into on the driveway; Mr Pritchard would like to explain the effect on his family.",
    )
    _refer(
        service,
        staff,
        harmed={"given_name": "Margaret", "family_name": "Ellis", "date_of_birth": datetime.date(1958, 3, 14)},
        responsible={"given_name": "Liam", "family_name": "Carter", "date_of_birth": datetime.date(2001, 7, 2)},
        offence=OffenceCategory.BURGLARY,
        stage=JusticeStage.COMMUNITY_SENTENCE,
        initiated_by=Initiator.REFERRER,
        days_ago=0,
        crime_reference="WA/24871/26",
        source=ReferralSource.PROBATION,
        summary="Probation referral for the same burglary (a possible duplicate).",
    )


@dataclass(frozen=True)
class Prepared:
    """A case of one process kind, prepared with both sides to the point the process is arranged."""

    kind: ProcessKind
    harmed: dict[str, Any]
    responsible: dict[str, Any]
    offence: OffenceCategory
    reference: str
    summary: str
    harmed_says: str
    responsible_says: str
    in_their_words: str
    assessment: str
    # On the person harmed's risk assessment (a coordinator signs it off, as conditions need).
    conditions: tuple[RiskCondition, ...] = ()


PREPARED = (
    Prepared(
        ProcessKind.VIRTUAL,
        {"given_name": "Gwen", "family_name": "Pritchard", "date_of_birth": datetime.date(1949, 2, 11)},
        {"given_name": "Callum", "family_name": "Reid", "date_of_birth": datetime.date(1996, 8, 3)},
        OffenceCategory.FRAUD,
        "WA/30711/26",
        "A doorstep roofing job paid for and never done.",
        "Housebound since a fall; happy to talk on a video call with her son beside her.",
        "Wants to explain and to pay the money back; works away during the week.",
        "I took her money for work I never meant to do.",
        "Meeting by video only: Mrs Pritchard cannot travel, and both prefer it.",
        (RiskCondition.VIRTUAL_ONLY,),
    ),
    Prepared(
        ProcessKind.AUDIO,
        {"given_name": "Harri", "family_name": "Lloyd", "date_of_birth": datetime.date(1979, 12, 1)},
        {"given_name": "Dean", "family_name": "Parry", "date_of_birth": datetime.date(2001, 5, 21)},
        OffenceCategory.VEHICLE_OFFENCE,
        "WA/30944/26",
        "A van broken into and tools taken from it.",
        "Does not want to meet, but would listen to what Dean has to say.",
        "Finds writing hard; would rather record what he wants to say.",
        "I broke into his van and sold the tools.",
        "Recorded messages, listened to with the facilitator; no meeting.",
    ),
    Prepared(
        ProcessKind.VIDEO,
        {"given_name": "Sunita", "family_name": "Rao", "date_of_birth": datetime.date(1984, 7, 17)},
        {"given_name": "Owen", "family_name": "Bevan", "date_of_birth": datetime.date(1999, 10, 9)},
        OffenceCategory.ROBBERY,
        "WA/31002/26",
        "A phone taken in the street with threats.",
        "Wants to see his face when he answers her questions, but not to be in the room.",
        "In custody; the prison allows recorded video through the chaplaincy.",
        "I threatened her and took her phone. She did nothing to deserve it.",
        "Recorded video only, viewed with the facilitator; no live contact.",
    ),
    Prepared(
        ProcessKind.COMMUNITY_CONFERENCE,
        {"given_name": "Elaine", "family_name": "Harding", "date_of_birth": datetime.date(1962, 3, 30)},
        {"given_name": "Tyler", "family_name": "Nash", "date_of_birth": datetime.date(2006, 1, 14)},
        OffenceCategory.ANTI_SOCIAL_BEHAVIOUR,
        "WA/31150/26",
        "Months of noise and damage around the community centre that Mrs Harding runs.",
        "Speaks for the centre's volunteers; wants the young people to hear how it has hit them.",
        "Was one of the group; wants to help put the centre right.",
        "We were there most nights and we wrecked the garden.",
        "A community conference at the centre, with the volunteers and a neighbourhood officer.",
    ),
    Prepared(
        ProcessKind.MEDIATION,
        {
            "given_name": "Rhys",
            "family_name": "Morgan",
            "date_of_birth": datetime.date(1971, 9, 8),
            "email": "rhys.morgan@example.org",
            "address": "3 Orchard Close\nStroud\nGL5 1AA",
        },
        {"given_name": "Paul", "family_name": "Whitfield", "date_of_birth": datetime.date(1968, 4, 22)},
        OffenceCategory.PUBLIC_ORDER,
        "WA/31298/26",
        "Threats shouted over a boundary fence between neighbours.",
        "Wants the shouting to stop and to agree what happens about the fence.",
        "Accepts he lost his temper; has his own complaint about the fence.",
        "I shouted at him and said things I should not have.",
        "Mediation between neighbours, at a neutral venue, both with the facilitator.",
    ),
    Prepared(
        ProcessKind.CIRCLE,
        {"given_name": "Bethan", "family_name": "Jones", "date_of_birth": datetime.date(1975, 11, 25)},
        {"given_name": "Lewis", "family_name": "Carter", "date_of_birth": datetime.date(2005, 6, 2)},
        OffenceCategory.VIOLENCE_WITHOUT_INJURY,
        "WA/31406/26",
        "A fight at a village football club in which a coach was pushed to the ground.",
        "The club's coach; wants the club, the players and the families to be part of putting it right.",
        "A player at the club; wants to stay part of it.",
        "I pushed her over in front of everyone.",
        "A restorative circle at the club with players, families and the committee.",
    ),
)


def one_of_each_process(service: Service, staff: Staff) -> None:
    """A case for each of the other kinds of process, prepared and waiting for it to be arranged."""
    for number, story in enumerate(PREPARED):
        referral = _refer(
            service,
            staff,
            harmed=story.harmed,
            responsible=story.responsible,
            offence=story.offence,
            stage=JusticeStage.OUT_OF_COURT,
            initiated_by=Initiator.REFERRER,
            days_ago=60 + 3 * number,
            crime_reference=story.reference,
            summary=story.summary,
        )
        case = _open(referral, staff)
        harmed, responsible = _participants(case)
        _reach(case, staff, harmed, story.harmed_says)
        _reach(case, staff, responsible, story.responsible_says)
        case_services.transition_case(
            case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment"
        )
        _choose(case, staff, story.kind)
        _responsibility(staff, responsible, ResponsibilityLevel.FULL, story.in_their_words)
        for participant in (harmed, responsible):
            _consent(staff, participant, story.kind)
        outcome = RiskOutcome.SUITABLE_WITH_CONDITIONS if story.conditions else RiskOutcome.SUITABLE
        _assess(staff, harmed, story.assessment, outcome=outcome, conditions=story.conditions)
        _assess(staff, responsible, story.assessment)
        if story.conditions:
            assessment = Participant.objects.get(pk=harmed.pk).risk_assessments.order_by("-version")[0]
            risk_services.sign_off_risk_assessment(
                assessment=assessment, actor=staff.coordinator, decision=SignOffDecision.APPROVED
            )
        case_services.transition_case(
            case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_preparing"
        )


STORIES = (
    register_venues,
    burglary_with_a_supporter,
    assault_by_letter,
    denies_responsibility,
    sensitive_awaiting_sign_off,
    consent_withdrawn,
    damage_agreement_monitored,
    letters_with_a_redaction,
    bike_theft_followed_up,
    shop_theft_referral_order,
    one_of_each_process,
    complaints_received,
    awaiting_triage,
)


def load_demo_cases(service: Service, staff: Staff, stories: tuple[Callable[[Service, Staff], None], ...]) -> None:
    """Tell the stories in the service, once."""
    if Referral.objects.filter(service=service).exists():
        return
    for story in stories:
        story(service, staff)
