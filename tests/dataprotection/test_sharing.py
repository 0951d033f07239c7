"""The register of information sharing agreements, the check referral intake makes against it, and the disclosure
log: each rule, and what each write audits."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amends.accounts.models import Role, Service, User
from amends.audit.models import AuditAction, AuditEvent
from amends.audit.services import CONCEALED
from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.dataprotection import sharing
from amends.dataprotection.models import Disclosure, PartnerKind, SharingAgreement, SharingBasis
from amends.dataprotection.sharing_selectors import AgreementStatus, agreement_status
from amends.people.models import ParticipantRole
from amends.referrals import services as referral_services
from amends.referrals.models import Initiator, JusticeStage, OffenceCategory, Referral, ReferralSource, Setting
from tests.case_builders import build_case
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

POLICE = "Western Area Police"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def add_agreement(service: Service, coordinator: User, **details: Any) -> SharingAgreement:
    """An agreement with the police in force from a year ago, unless `details` say else."""
    values: dict[str, Any] = {
        "partner": POLICE,
        "partner_kind": PartnerKind.POLICE,
        "reference": "ISA-1",
        "purpose": "Referrals of people harmed and people responsible.",
        "starts_on": days_ago(365),
    }
    values.update(details)
    return sharing.save_sharing_agreement(service=service, actor=coordinator, details=values)


def partner_referral(
    service: Service,
    actor: User,
    *,
    organisation: str = POLICE,
    source: ReferralSource = ReferralSource.POLICE,
    received_on: datetime.date | None = None,
) -> Referral:
    """A referral from a partner organisation, naming the person harmed and the person responsible."""
    details: dict[str, Any] = {
        "source": source,
        "referrer_organisation": organisation,
        "offence_category": OffenceCategory.BURGLARY,
        "justice_stage": JusticeStage.PRE_CHARGE,
        "initiated_by": Initiator.PERSON_HARMED,
        "setting": Setting.CRIMINAL_JUSTICE,
    }
    if received_on is not None:
        details["received_on"] = received_on
    return referral_services.create_referral(
        service=service,
        actor=actor,
        details=details,
        people=[
            referral_services.NamedPerson(ParticipantRole.PERSON_HARMED, {"given_name": "Ann", "family_name": "Lee"}),
            referral_services.NamedPerson(ParticipantRole.PERSON_RESPONSIBLE, {"given_name": "Rob"}),
        ],
    )


def a_case(personas: Personas) -> Case:
    return build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case


def disclose(case: Case, actor: User, **details: Any) -> Disclosure:
    """A disclosure of the person harmed's information to a court with their consent, unless `details` say else."""
    values: dict[str, Any] = {
        "person": case.participants.get(role=ParticipantRole.PERSON_HARMED).person,
        "shared_on": timezone.localdate(),
        "recipient": "Gloucester Crown Court",
        "recipient_kind": PartnerKind.COURT,
        "what": "That they took part, for sentencing.",
        "basis": SharingBasis.CONSENT,
    }
    values.update(details)
    return sharing.record_disclosure(case=case, actor=actor, **values)


def refused(field: str | None, call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    assert error.value.field == field, error.value.message
    return error.value.message


# --- The register -------------------------------------------------------------------------------------------------


def test_a_coordinator_adds_an_agreement_and_it_is_audited(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator, partner="  Western   Area Police ")
    assert agreement.partner == "Western Area Police"
    assert agreement.recorded_by == personas.coordinator
    event = AuditEvent.objects.get(action=AuditAction.SHARING_AGREEMENT_SAVED)
    assert event.target_id == str(agreement.pk)
    assert event.changes["partner"] == {"before": None, "after": "Western Area Police"}


def test_an_administrator_keeps_the_register_too_but_a_facilitator_does_not(personas: Personas) -> None:
    add_agreement(personas.service, personas.administrator)
    message = refused(None, add_agreement, personas.service, personas.facilitator, partner="Probation")
    assert "keeps its sharing agreements" in message


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"partner": " "}, "partner"),
        ({"partner_kind": "nobody"}, "partner_kind"),
        ({"purpose": ""}, "purpose"),
        ({"starts_on": None}, "starts_on"),
        ({"review_on": days_ago(400)}, "review_on"),
        ({"ends_on": days_ago(400)}, "ends_on"),
    ],
)
def test_an_agreement_needs_its_partner_purpose_and_dates_in_order(
    personas: Personas, details: dict[str, Any], field: str
) -> None:
    refused(field, add_agreement, personas.service, personas.coordinator, **details)
    assert not SharingAgreement.objects.exists()


def test_two_agreements_with_one_partner_are_never_in_force_at_once(personas: Personas) -> None:
    first = add_agreement(personas.service, personas.coordinator, starts_on=days_ago(700))
    message = refused("starts_on", add_agreement, personas.service, personas.coordinator, partner="western area POLICE")
    assert "already has an agreement with Western Area Police" in message
    # Another service, or another partner, may have its own.
    add_agreement(personas.other_service, personas.other_coordinator)
    add_agreement(personas.service, personas.coordinator, partner="Victim Support")
    # Once the first has ended, the next starts after it.
    sharing.end_sharing_agreement(agreement=first, actor=personas.coordinator, ends_on=days_ago(31))
    refused("starts_on", add_agreement, personas.service, personas.coordinator, starts_on=days_ago(31))
    add_agreement(personas.service, personas.coordinator, starts_on=days_ago(30))


def test_changing_an_agreement_keeps_the_rules_and_audits_what_changed(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    refused(
        "review_on",
        sharing.save_sharing_agreement,
        service=personas.service,
        actor=personas.coordinator,
        agreement=agreement,
        details={"review_on": days_ago(366)},
    )
    sharing.save_sharing_agreement(
        service=personas.service,
        actor=personas.administrator,
        agreement=agreement,
        details={"reference": "ISA-2", "review_on": days_ago(10)},
    )
    agreement.refresh_from_db()
    assert agreement.reference == "ISA-2"
    event = AuditEvent.objects.filter(action=AuditAction.SHARING_AGREEMENT_SAVED).latest("pk")
    assert event.changes == {
        "reference": {"before": "ISA-1", "after": "ISA-2"},
        "review_on": {"before": None, "after": days_ago(10).isoformat()},
    }
    refused(
        None,
        sharing.save_sharing_agreement,
        service=personas.other_service,
        actor=personas.other_coordinator,
        agreement=agreement,
        details={"reference": "ISA-3"},
    )


def test_ending_an_agreement_records_its_last_day(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    refused(
        "ends_on", sharing.end_sharing_agreement, agreement=agreement, actor=personas.coordinator, ends_on=days_ago(366)
    )
    refused(None, sharing.end_sharing_agreement, agreement=agreement, actor=personas.facilitator, ends_on=days_ago(1))
    sharing.end_sharing_agreement(agreement=agreement, actor=personas.coordinator, ends_on=days_ago(1))
    agreement.refresh_from_db()
    assert agreement.ends_on == days_ago(1)
    assert AuditEvent.objects.filter(action=AuditAction.SHARING_AGREEMENT_SAVED).latest("pk").changes == {
        "ends_on": {"before": None, "after": days_ago(1).isoformat()}
    }
    message = refused(
        None, sharing.end_sharing_agreement, agreement=agreement, actor=personas.coordinator, ends_on=days_ago(0)
    )
    assert "already ended" in message


def test_an_agreement_is_in_force_overdue_for_review_ended_or_not_yet_in_force(personas: Personas) -> None:
    today = timezone.localdate()
    agreement = SharingAgreement(starts_on=days_ago(10), review_on=today)
    assert agreement_status(agreement, today) == AgreementStatus.IN_FORCE
    agreement.review_on = days_ago(1)
    assert agreement_status(agreement, today) == AgreementStatus.REVIEW_OVERDUE
    agreement.ends_on = days_ago(1)
    assert agreement_status(agreement, today) == AgreementStatus.ENDED
    agreement.ends_on, agreement.starts_on, agreement.review_on = None, today + datetime.timedelta(days=1), None
    assert agreement_status(agreement, today) == AgreementStatus.NOT_YET


# --- Referral intake ----------------------------------------------------------------------------------------------


def test_a_partners_referral_comes_under_the_agreement_in_force_on_the_day_it_came(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    referral = partner_referral(personas.service, personas.coordinator, organisation="  western area police ")
    assert referral.sharing_agreement == agreement
    assert not sharing.lacks_sharing_agreement(referral)
    case = referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope")
    referral.refresh_from_db()
    assert referral.case == case
    assert referral.received_without_agreement == ""
    event = AuditEvent.objects.filter(action=AuditAction.REFERRAL_TRIAGED).latest("pk")
    assert event.changes["sharing_agreement"] == agreement.pk


@pytest.mark.parametrize(
    "dates",
    [
        {"starts_on": days_ago(5)},
        {"starts_on": days_ago(100), "ends_on": days_ago(11)},
    ],
    ids=["starts after", "ended before"],
)
def test_an_agreement_not_in_force_that_day_does_not_count(personas: Personas, dates: dict[str, Any]) -> None:
    add_agreement(personas.service, personas.coordinator, **dates)
    referral = partner_referral(personas.service, personas.coordinator, received_on=days_ago(10))
    assert referral.sharing_agreement is None
    assert sharing.lacks_sharing_agreement(referral)


def test_another_services_or_partners_agreement_does_not_count(personas: Personas) -> None:
    add_agreement(personas.other_service, personas.other_coordinator)
    add_agreement(personas.service, personas.coordinator, partner="Eastern Area Police")
    referral = partner_referral(personas.service, personas.coordinator)
    assert referral.sharing_agreement is None


def test_accepting_without_an_agreement_waits_for_the_reason(personas: Personas) -> None:
    referral = partner_referral(personas.service, personas.coordinator)
    message = refused(
        "received_without_agreement",
        referral_services.accept_referral,
        referral=referral,
        actor=personas.coordinator,
        reason="In scope",
        received_without_agreement="  ",
    )
    assert "no information sharing agreement with Western Area Police in force on" in message
    referral.refresh_from_db()
    assert referral.case is None
    referral_services.accept_referral(
        referral=referral,
        actor=personas.coordinator,
        reason="In scope",
        received_without_agreement=" The person gave consent to the referral. ",
    )
    referral.refresh_from_db()
    assert referral.case is not None
    assert referral.received_without_agreement == "The person gave consent to the referral."
    event = AuditEvent.objects.filter(action=AuditAction.REFERRAL_TRIAGED).latest("pk")
    assert event.changes["received_without_agreement"] == CONCEALED
    assert "consent" not in str(event.changes)


def test_self_referrals_and_referrals_naming_no_organisation_are_not_checked(personas: Personas) -> None:
    unnamed = partner_referral(personas.service, personas.coordinator, organisation=" ")
    self_referral = partner_referral(personas.service, personas.coordinator, source=ReferralSource.SELF)
    for referral in (unnamed, self_referral):
        assert not sharing.checks_sharing_agreement(referral)
        assert not sharing.lacks_sharing_agreement(referral)
    referral_services.accept_referral(referral=unnamed, actor=personas.coordinator, reason="In scope")
    unnamed.refresh_from_db()
    assert unnamed.case is not None
    assert unnamed.sharing_agreement is None


def test_a_self_referral_naming_an_organisation_is_not_linked(personas: Personas) -> None:
    add_agreement(personas.service, personas.coordinator)
    referral = partner_referral(personas.service, personas.coordinator, source=ReferralSource.SELF)
    assert referral.sharing_agreement is None


def test_an_agreement_added_later_links_the_referrals_waiting_for_triage(personas: Personas) -> None:
    waiting = partner_referral(personas.service, personas.coordinator, received_on=days_ago(3))
    version = waiting.version
    agreement = add_agreement(personas.service, personas.coordinator, partner="WESTERN AREA POLICE")
    waiting.refresh_from_db()
    assert waiting.sharing_agreement == agreement
    assert waiting.version == version
    sharing.end_sharing_agreement(agreement=agreement, actor=personas.coordinator, ends_on=days_ago(4))
    waiting.refresh_from_db()
    assert waiting.sharing_agreement is None


def test_an_agreement_registered_since_is_found_on_accepting(personas: Personas) -> None:
    referral = partner_referral(personas.service, personas.coordinator, received_on=days_ago(3))
    # Registered behind the register's back (as a data import would): acceptance looks again.
    agreement = SharingAgreement.objects.create(
        service=personas.service,
        partner=POLICE,
        partner_kind=PartnerKind.POLICE,
        purpose="Referrals",
        starts_on=days_ago(30),
        recorded_by=personas.coordinator,
    )
    referral_services.accept_referral(referral=referral, actor=personas.coordinator, reason="In scope")
    referral.refresh_from_db()
    assert referral.sharing_agreement == agreement


def test_correcting_the_referrers_organisation_checks_again(personas: Personas) -> None:
    agreement = add_agreement(personas.service, personas.coordinator)
    referral = partner_referral(personas.service, personas.coordinator, organisation="Western Police")
    assert referral.sharing_agreement is None
    referral_services.update_referral(
        referral=referral,
        actor=personas.coordinator,
        details={"referrer_organisation": POLICE},
        expected_version=referral.version,
    )
    referral.refresh_from_db()
    assert referral.sharing_agreement == agreement


# --- The disclosure log -------------------------------------------------------------------------------------------


def test_a_coordinator_records_a_disclosure_and_approves_it(personas: Personas) -> None:
    case = a_case(personas)
    disclosure = disclose(case, personas.coordinator, what="Their  address.")
    assert disclosure.service == personas.service
    assert disclosure.case == case
    assert disclosure.approved_by == personas.coordinator
    assert disclosure.recorded_by == personas.coordinator
    assert disclosure.agreement is None
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE_RECORDED)
    assert event.changes["what"] == CONCEALED
    assert event.changes["approved_by"] == personas.coordinator.pk
    assert event.changes["recipient"] == {"before": None, "after": "Gloucester Crown Court"}
    assert "address" not in str(event.changes)


def test_a_facilitator_names_the_coordinator_who_approved_it(personas: Personas) -> None:
    case = a_case(personas)
    message = refused("approved_by", disclose, case, personas.facilitator)
    assert "Choose the coordinator who approved it" in message
    refused("approved_by", disclose, case, personas.facilitator, approved_by=personas.facilitator)
    refused("approved_by", disclose, case, personas.facilitator, approved_by=personas.administrator)
    refused("approved_by", disclose, case, personas.facilitator, approved_by=personas.other_coordinator)
    disclosure = disclose(case, personas.facilitator, approved_by=personas.coordinator)
    assert disclosure.approved_by == personas.coordinator
    assert disclosure.recorded_by == personas.facilitator


def test_a_coordinator_may_name_another_coordinator_as_approver(personas: Personas) -> None:
    case = a_case(personas)
    colleague = UserFactory(full_name="Second Coordinator")
    MembershipFactory(user=colleague, service=personas.service, role=Role.COORDINATOR)
    assert disclose(case, personas.coordinator, approved_by=colleague).approved_by == colleague


def test_only_those_working_on_the_case_record_a_disclosure_from_it(personas: Personas) -> None:
    case = a_case(personas)
    stranger = UserFactory(full_name="Another Facilitator")
    MembershipFactory(user=stranger, service=personas.service, role=Role.FACILITATOR)
    for person in (stranger, personas.supervisor, personas.administrator, personas.other_coordinator):
        refused(None, disclose, case, person, approved_by=personas.coordinator)
    assert not Disclosure.objects.exists()


def test_the_information_is_someone_in_the_case(personas: Personas) -> None:
    case = a_case(personas)
    other = a_case(personas)
    someone_else = other.participants.get(role=ParticipantRole.PERSON_HARMED).person
    refused("person", disclose, case, personas.coordinator, person=someone_else)
    refused("person", disclose, case, personas.coordinator, person=None)


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"shared_on": timezone.localdate() + datetime.timedelta(days=1)}, "shared_on"),
        ({"recipient": "  "}, "recipient"),
        ({"recipient_kind": "nobody"}, "recipient_kind"),
        ({"what": " "}, "what"),
        ({"basis": "because"}, "basis"),
    ],
)
def test_a_disclosure_says_when_with_whom_what_and_why(personas: Personas, details: dict[str, Any], field: str) -> None:
    refused(field, disclose, a_case(personas), personas.coordinator, **details)


def test_sharing_with_the_police_says_why_it_was_necessary_and_proportionate(personas: Personas) -> None:
    case = a_case(personas)
    message = refused(
        "necessity", disclose, case, personas.coordinator, recipient=POLICE, recipient_kind=PartnerKind.POLICE
    )
    assert "necessary and proportionate" in message
    disclosure = disclose(
        case,
        personas.coordinator,
        recipient=POLICE,
        recipient_kind=PartnerKind.POLICE,
        necessity="The officer needed the date to vary bail conditions.",
    )
    assert disclosure.necessity == "The officer needed the date to vary bail conditions."
    assert AuditEvent.objects.get(action=AuditAction.DISCLOSURE_RECORDED).changes["necessity"] == CONCEALED


def test_sharing_under_an_agreement_names_one_in_force_with_that_organisation(personas: Personas) -> None:
    case = a_case(personas)
    police = add_agreement(personas.service, personas.coordinator, starts_on=days_ago(30))
    victim_support = add_agreement(personas.service, personas.coordinator, partner="Victim Support")
    elsewhere = add_agreement(personas.other_service, personas.other_coordinator)
    under: dict[str, Any] = {
        "recipient": " western area police",
        "recipient_kind": PartnerKind.POLICE,
        "basis": SharingBasis.AGREEMENT,
        "necessity": "To vary bail conditions.",
    }
    refused("agreement", disclose, case, personas.coordinator, **under)
    message = refused("agreement", disclose, case, personas.coordinator, agreement=victim_support, **under)
    assert "That agreement is with Victim Support, not western area police" in message
    refused("agreement", disclose, case, personas.coordinator, agreement=elsewhere, **under)
    message = refused(
        "agreement", disclose, case, personas.coordinator, agreement=police, shared_on=days_ago(31), **under
    )
    assert "was not in force on" in message
    disclosure = disclose(case, personas.coordinator, agreement=police, **under)
    assert disclosure.agreement == police
    assert disclosure.recipient == "western area police"


def test_another_basis_keeps_no_agreement(personas: Personas) -> None:
    case = a_case(personas)
    police = add_agreement(personas.service, personas.coordinator)
    disclosure = disclose(case, personas.coordinator, agreement=police, basis=SharingBasis.LEGAL_OBLIGATION)
    assert disclosure.agreement is None
