"""The demo's data protection: each organisation's settings and purposes, each service's sharing agreements (the
police force that refers every demo case among them, so its referrals pass the intake check), and a couple of
disclosures from the first service's cases. Made through the services, once."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from amends.accounts.models import Service, User
from amends.cases.models import Case
from amends.dataprotection import settings_services, sharing, sharing_selectors
from amends.dataprotection.models import (
    Condition,
    Disclosure,
    LawfulBasis,
    PartnerKind,
    ProcessingPurpose,
    Purpose,
    SharingAgreement,
    SharingBasis,
)

if TYPE_CHECKING:
    from amends.cases.demo import Staff

# The organisation every demo referral names (amends/cases/demo.py).
DEMO_POLICE = "Western Area Police"

# Each purpose with its basis, its condition, and its plain words in English and Welsh.
DEMO_PURPOSES = (
    (
        Purpose.DELIVERING_RJ,
        LawfulBasis.PUBLIC_TASK,
        Condition.SUBSTANTIAL_PUBLIC_INTEREST,
        (
            "To prepare and run restorative justice with you, we keep what you tell us about the harm and the people "
            "involved."
        ),
        (
            "I baratoi a chynnal cyfiawnder adferol gyda chi, rydym yn cadw'r hyn rydych yn ei ddweud wrthym am y "
            "niwed a'r bobl dan sylw."
        ),
    ),
    (
        Purpose.SAFEGUARDING,
        LawfulBasis.PUBLIC_TASK,
        Condition.SAFEGUARDING,
        "To keep everyone safe, we assess risks and may share a concern with those who can protect someone.",
        (
            "Er mwyn cadw pawb yn ddiogel, rydym yn asesu risgiau a gallwn rannu pryder â'r rhai sy'n gallu amddiffyn "
            "rhywun."
        ),
    ),
    (
        Purpose.TELLING_VICTIMS,
        LawfulBasis.PUBLIC_TASK,
        Condition.NONE,
        "To tell people harmed by crime about restorative justice, as the Victims' Code asks.",
        "I ddweud wrth bobl a niweidiwyd gan drosedd am gyfiawnder adferol, fel mae'r Cod Dioddefwyr yn ei ofyn.",
    ),
    (
        Purpose.FOLLOW_UP,
        LawfulBasis.PUBLIC_TASK,
        Condition.NONE,
        "To ask you afterwards how it went, and to check that what was agreed was done.",
        "I ofyn i chi wedyn sut aeth pethau, ac i wirio bod yr hyn a gytunwyd wedi'i wneud.",
    ),
    (
        Purpose.FIGURES,
        LawfulBasis.PUBLIC_TASK,
        Condition.NONE,
        "To count, without names, how many people we help and how, for those who fund us.",
        "I gyfrif, heb enwau, faint o bobl rydym yn eu helpu a sut, ar gyfer y rhai sy'n ein hariannu.",
    ),
    (
        Purpose.COMPLAINTS,
        LawfulBasis.LEGITIMATE_INTERESTS,
        Condition.NONE,
        "To answer your complaint or feedback and put things right.",
        "I ateb eich cwyn neu'ch adborth a chywiro pethau.",
    ),
    (
        Purpose.EQUALITY,
        LawfulBasis.LEGITIMATE_INTERESTS,
        Condition.EQUALITY,
        "To check that everyone is treated fairly: your answers are optional and counted without names.",
        "I wirio bod pawb yn cael eu trin yn deg: mae eich atebion yn ddewisol ac yn cael eu cyfrif heb enwau.",
    ),
)


def _years_ago(years: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=365 * years)


def _months_from_now(months: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30 * months)


def prepare_data_protection(service: Service, coordinator: User) -> None:
    """The organisation's settings and purposes, and the service's agreements, before its referrals come in."""
    organisation = service.organisation
    if not organisation.data_protection_officer_email:
        settings_services.save_data_protection_settings(
            organisation=organisation,
            service=service,
            actor=coordinator,
            details={
                "data_protection_officer_email": f"dpo.{service.code.lower()}@demo.amends.example",
                "controller_address": f"{organisation.name}\n1 Demo Street\nDemo Town",
                "appropriate_policy_url": f"https://{service.code.lower()}.demo.amends.example/appropriate-policy",
            },
        )
    if not ProcessingPurpose.objects.filter(organisation=organisation).exists():
        for purpose, basis, condition, words, words_cy in DEMO_PURPOSES:
            settings_services.save_purpose(
                organisation=organisation,
                service=service,
                actor=coordinator,
                details={
                    "purpose": purpose,
                    "lawful_basis": basis,
                    "condition": condition,
                    "explanation": words,
                    "explanation_cy": words_cy,
                },
            )
    if SharingAgreement.objects.filter(service=service).exists():
        return
    for details in (
        {
            "partner": DEMO_POLICE,
            "partner_kind": PartnerKind.POLICE,
            "reference": f"ISA-{service.code}-01",
            "purpose": "Referrals of people harmed and people responsible who have asked about restorative justice; "
            "outcomes reported back to the officer in the case.",
            "starts_on": _years_ago(3),
            "review_on": _months_from_now(5),
        },
        {
            "partner": "Western Area Victim Support",
            "partner_kind": PartnerKind.VICTIM_SERVICE,
            "reference": f"ISA-{service.code}-02",
            "purpose": "Referrals of people harmed who want to know about restorative justice, with their consent.",
            "starts_on": _years_ago(4),
            "review_on": _months_from_now(-2),
        },
        {
            "partner": "Western Area Community Rehabilitation Company",
            "partner_kind": PartnerKind.PROBATION,
            "reference": f"ISA-{service.code}-00",
            "purpose": "Referrals of people on licence (replaced when probation was reunified).",
            "starts_on": _years_ago(6),
            "ends_on": _years_ago(5),
        },
    ):
        sharing.save_sharing_agreement(service=service, actor=coordinator, details=details)


def record_demo_disclosures(service: Service, staff: "Staff") -> None:
    """Two disclosures from the service's first cases: to the police under the agreement, approved by the coordinator
    who records it; and to a court, recorded by the facilitator and approved by the coordinator."""
    if Disclosure.objects.filter(service=service).exists():
        return
    cases = list(
        Case.objects.filter(service=service, lead_facilitator=staff.facilitator)
        .select_related("service")
        .order_by("pk")[:2]
    )
    agreement = sharing.agreement_in_force(service=service, partner=DEMO_POLICE, on=timezone.localdate())
    if len(cases) < 2 or agreement is None:
        return
    first, second = (sharing_selectors.participants_of(case) for case in cases)
    if not first or not second:
        return
    sharing.record_disclosure(
        case=cases[0],
        actor=staff.coordinator,
        person=first[0].person,
        shared_on=timezone.localdate() - datetime.timedelta(days=5),
        recipient=DEMO_POLICE,
        recipient_kind=PartnerKind.POLICE,
        what="That the person harmed agreed to take part, and the date of the meeting.",
        basis=SharingBasis.AGREEMENT,
        agreement=agreement,
        necessity="The officer in the case needed to know a meeting was planned so that bail conditions could be "
        "varied for that day; nothing more was shared.",
    )
    sharing.record_disclosure(
        case=cases[1],
        actor=staff.facilitator,
        person=second[-1].person,
        shared_on=timezone.localdate() - datetime.timedelta(days=2),
        recipient="Gloucester Crown Court",
        recipient_kind=PartnerKind.COURT,
        what="A short report that the person responsible took part, for sentencing.",
        basis=SharingBasis.CONSENT,
        approved_by=staff.coordinator,
    )


def record_demo_requests(service: Service, staff: "Staff") -> None:
    """The person harmed in the letter exchange asked to see what the service holds about them: recorded ten days
    ago and approved, so the coordinator can read the export before releasing it. And a legal hold on the service's
    first closed case, for a civil claim."""
    from amends.dataprotection import legal_holds, rights
    from amends.dataprotection.models import LegalHold, ReceivedBy, RightsRequest, RightsRequestKind
    from amends.participation.demo import LETTERS_CRIME_REFERENCE
    from amends.people.models import Participant, ParticipantRole
    from amends.referrals.models import crime_reference_key

    if not RightsRequest.objects.filter(service=service).exists():
        harmed = (
            Participant.objects.select_related("person")
            .filter(
                case__service=service,
                case__referral__crime_reference_key=crime_reference_key(LETTERS_CRIME_REFERENCE),
                role=ParticipantRole.PERSON_HARMED,
            )
            .first()
        )
        if harmed is not None:
            request = rights.record_request(
                service=service,
                person=harmed.person,
                actor=staff.coordinator,
                kind=RightsRequestKind.ACCESS,
                received_on=timezone.localdate() - datetime.timedelta(days=10),
                received_by=ReceivedBy.LETTER,
                details="Please send me a copy of everything you hold about me.",
                identity_checked=True,
            )
            rights.decide_request(
                request=request, actor=staff.coordinator, approve=True, reason="Identity checked by phone."
            )
    closed = Case.objects.filter(service=service, closed_at__isnull=False).order_by("pk").first()
    if closed is not None and not LegalHold.objects.filter(case=closed).exists():
        legal_holds.place_legal_hold(
            case=closed,
            actor=staff.coordinator,
            reason="A civil claim about the burglary is expected; keep everything.",
        )
