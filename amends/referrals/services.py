"""Writes of referrals: intake (with the Victims' Code clocks) and triage (accept, decline, redirect)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import CONCEALED, changes_between, created_values, field_values, record_event
from amends.cases.models import Case, SensitivityFlag, TaskKind
from amends.cases.services import coordinators_of, create_task, open_case
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.dataprotection import sharing
from amends.people.models import PRINCIPAL_ROLES, ROLES_SUPPORTING_SOMEONE, Participant, ParticipantRole, Person
from amends.people.services import _clean_person_details
from amends.permissions import Capability, can
from amends.referrals.clocks import right_3_due, right_4_due
from amends.referrals.models import (
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    ReferredPerson,
    Setting,
    TriageDecision,
    crime_reference_key,
)

# As long as Referral.area holds.
AREA_MAX_LENGTH = 100

REFERRAL_FIELDS = (
    "received_on",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "crime_reference",
    "offence_category",
    "offence_date",
    "reported_on",
    "justice_stage",
    "area",
    "initiated_by",
    "setting",
    "enhanced_rights",
    "victim_told_about_rj_on",
    "victim_told_about_rj_by",
    "summary",
    "risk_information",
)


@dataclass(frozen=True)
class NamedPerson:
    """Someone a referral names, with their part; supporters come with the person they support."""

    role: ParticipantRole
    details: Mapping[str, Any]


def service_areas(service: Service) -> list[str]:
    """The areas a service lists as covered: one a line, or, when it is all on one line, separated by commas."""
    lines = [line.strip() for line in service.areas_covered.splitlines() if line.strip()]
    names = lines[0].split(",") if len(lines) == 1 else lines
    areas: dict[str, str] = {}
    for name in names:
        area = " ".join(name.split())
        if area:
            areas.setdefault(area.casefold(), area)
    return list(areas.values())


def _checked_area(service: Service, value: Any, *, current: str = "") -> str:
    """The area as stored: one the service lists (in its spelling), or, when it lists none, what was given."""
    area = " ".join(str(value or "").split())
    if not area:
        return ""
    covered = service_areas(service)
    # An area kept unchanged stays, even if the service has stopped listing it since.
    if covered and area != current:
        known = {name.casefold(): name for name in covered}.get(area.casefold())
        if known is None:
            raise DomainError(
                _("%(service)s does not list “%(area)s” among its areas. Choose one of: %(areas)s.")
                % {"service": service.name, "area": area, "areas": ", ".join(covered)},
                field="area",
            )
        area = known
    if len(area) > AREA_MAX_LENGTH:
        raise DomainError(_("Keep the area to %(most)s characters or fewer.") % {"most": AREA_MAX_LENGTH}, field="area")
    return area


def _clean_referral(details: Mapping[str, Any], *, service: Service, current_area: str = "") -> dict[str, Any]:
    unknown = set(details) - set(REFERRAL_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be given here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = dict(details)
    today = timezone.localdate()
    if "crime_reference" in values:
        values["crime_reference"] = " ".join(str(values["crime_reference"]).upper().split())
    if "area" in values:
        values["area"] = _checked_area(service, values["area"], current=current_area)
    for name in ("received_on", "offence_date", "reported_on", "victim_told_about_rj_on"):
        day = values.get(name)
        if day is not None and day > today:
            raise DomainError(_("The date cannot be in the future."), field=name)
    offence, reported = values.get("offence_date"), values.get("reported_on")
    if offence and reported and reported < offence:
        raise DomainError(_("The date reported is before the offence happened: check the dates."), field="reported_on")
    told_on, told_by = values.get("victim_told_about_rj_on"), (values.get("victim_told_about_rj_by") or "").strip()
    if told_on and not told_by:
        raise DomainError(_("Say who told them about RJ."), field="victim_told_about_rj_by")
    return values


@transaction.atomic
def create_referral(
    *, service: Service, actor: User, details: Mapping[str, Any], people: Iterable[NamedPerson]
) -> Referral:
    """Receive a referral. Its clocks start: triage, and telling the person harmed about RJ if nobody has yet."""
    if not can(actor, Capability.CREATE_REFERRAL, service):
        raise NotPermittedError(_("You cannot make referrals to this service."))
    values = _clean_referral(details, service=service)
    values.setdefault("received_on", timezone.localdate())
    named = list(people)
    _check_people_named(named)
    # A partner's referral is received under the service's sharing agreement with its organisation, if one is in force.
    values["sharing_agreement"] = sharing.agreement_for_referral(
        service=service,
        source=values.get("source", ""),
        organisation=values.get("referrer_organisation", ""),
        received_on=values["received_on"],
    )
    return _receive_referral(service=service, actor=actor, values=values, named=named)


def _check_people_named(named: list[NamedPerson]) -> None:
    if not any(person.role == ParticipantRole.PERSON_HARMED for person in named) and not any(
        person.role == ParticipantRole.PERSON_RESPONSIBLE for person in named
    ):
        raise DomainError(_("Name the person harmed or the person responsible."), field="people")
    if any(person.role in ROLES_SUPPORTING_SOMEONE for person in named):
        raise DomainError(_("Supporters are added to the case once it is open."), field="people")


def _receive_referral(
    *, service: Service, actor: User | None, values: Mapping[str, Any], named: list[NamedPerson]
) -> Referral:
    """What every referral goes through once its details are clean: the people it names, its audit event, and its
    clocks. The actor is None for a self-referral made through the service's public form."""
    referral = Referral.objects.create(service=service, entered_by=actor, **values)
    for named_person in named:
        person = Person(service=service, **_clean_person_details(named_person.details))
        person.match_key = person.compute_match_key()
        person.save()
        ReferredPerson.objects.create(referral=referral, person=person, role=named_person.role)
    record_event(
        action=AuditAction.REFERRAL_CREATED,
        actor=actor,
        target=referral,
        service=service,
        changes=created_values(referral, ("source", "offence_category", "justice_stage", "area", "received_on")),
    )
    coordinators = coordinators_of(service)
    if coordinators:
        # Victims' Code right 4: referral to a support service within 2 working days; triage keeps that promise.
        create_task(
            service=service,
            referral=referral,
            kind=TaskKind.TRIAGE,
            assigned_to=coordinators[0],
            due_on=right_4_due(referral.received_on),
        )
        if referral.victim_told_about_rj_on is None and any(
            person.role == ParticipantRole.PERSON_HARMED for person in named
        ):
            create_task(
                service=service,
                referral=referral,
                kind=TaskKind.TELL_ABOUT_RJ,
                assigned_to=coordinators[0],
                due_on=right_3_due(referral.reported_on or referral.received_on, bool(referral.enhanced_rights)),
            )
    return referral


# What a member of the public may tell the service about the harm, and about the person the request is for.
SELF_REFERRAL_FIELDS = (
    "initiated_by",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "crime_reference",
    "offence_category",
    "justice_stage",
    "summary",
)
SELF_REFERRAL_PERSON_FIELDS = (
    "given_name",
    "family_name",
    "phone",
    "email",
    "address",
    "no_voicemail",
    "no_letters",
    "safe_times",
    "safe_contact_notes",
    "correspondence_language",
    "interpreter_language",
    "access_needs",
    "access_needs_notes",
)
# Who may ask for themselves, and the part in the case that makes them.
ASKING_FOR_THEMSELVES = {
    Initiator.PERSON_HARMED: ParticipantRole.PERSON_HARMED,
    Initiator.PERSON_RESPONSIBLE: ParticipantRole.PERSON_RESPONSIBLE,
}
# Harm that is not a crime belongs to the community setting; everything else starts in criminal justice, and the
# coordinator corrects it at triage if need be.
NOT_A_CRIME = frozenset({OffenceCategory.ANTI_SOCIAL_BEHAVIOUR, OffenceCategory.NOT_A_CRIME})


@transaction.atomic
def create_self_referral(*, service: Service, details: Mapping[str, Any], people: Iterable[NamedPerson]) -> Referral:
    """A request for RJ from the public: from the person harmed, the person responsible, or someone on behalf of
    either. Nobody signs in, so there is no actor; it waits in the triage queue, marked as a self-referral, and is
    checked first where the service asks for that."""
    unknown = set(details) - set(SELF_REFERRAL_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be given here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    named = list(people)
    if len(named) != 1 or named[0].role not in PRINCIPAL_ROLES:
        raise DomainError(_("Name the one person the request is for."), field="people")
    person = named[0]
    unknown = set(person.details) - set(SELF_REFERRAL_PERSON_FIELDS)
    if unknown:
        raise DomainError(_("These details cannot be given here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = {name: value for name, value in details.items() if value is not None}
    values["initiated_by"] = _self_referral_initiator(values, person.role)
    values.update(_someone_asking(values))
    if values.get("offence_category") not in OffenceCategory.values:
        raise DomainError(_("Select what kind of harm it was"), field="offence_category")
    values.setdefault("justice_stage", JusticeStage.NOT_REPORTED.value)
    if values["justice_stage"] not in JusticeStage.values:
        raise DomainError(_("Select whether it was reported to the police"), field="justice_stage")
    values["setting"] = (
        Setting.COMMUNITY if values["offence_category"] in NOT_A_CRIME else Setting.CRIMINAL_JUSTICE
    ).value
    values["source"] = ReferralSource.SELF.value
    values["received_on"] = timezone.localdate()
    check_self_referral_contact(person.details, referrer_contact=values.get("referrer_contact", ""))
    if service.welsh_language_standards and not person.details.get("correspondence_language"):
        # The Welsh Language Standards: everyone is asked which language the service should write in.
        raise DomainError(_("Select the language we should use when we write to you"), field="correspondence_language")
    return _receive_referral(service=service, actor=None, values=_clean_referral(values, service=service), named=named)


def _self_referral_initiator(values: Mapping[str, Any], role: str) -> str:
    initiator = values.get("initiated_by")
    if initiator not in (*ASKING_FOR_THEMSELVES, Initiator.OTHER):
        raise DomainError(_("Select who is asking"), field="initiated_by")
    initiator = Initiator(initiator)
    if initiator in ASKING_FOR_THEMSELVES and ASKING_FOR_THEMSELVES[initiator] != role:
        raise DomainError(_("The person asking for themselves must be the person the request is for."), field="people")
    return initiator.value


def _someone_asking(values: Mapping[str, Any]) -> dict[str, str]:
    """The person asking on someone's behalf (their name, their relationship, how to reach them), or nobody."""
    if values["initiated_by"] != Initiator.OTHER:
        return {"referrer_name": "", "referrer_organisation": "", "referrer_contact": ""}
    asking = {
        name: " ".join(str(values.get(name) or "").split())
        for name in ("referrer_name", "referrer_organisation", "referrer_contact")
    }
    if not asking["referrer_name"]:
        raise DomainError(_("Enter your name"), field="referrer_name")
    if not asking["referrer_contact"]:
        raise DomainError(_("Enter your phone number or email address"), field="referrer_contact")
    return asking


def check_self_referral_contact(details: Mapping[str, Any], *, referrer_contact: str) -> None:
    """Someone must be reachable: the person, by phone, email or post, or whoever asked on their behalf."""
    phone, email, address = (str(details.get(name) or "").strip() for name in ("phone", "email", "address"))
    if not (phone or email or address or referrer_contact):
        raise DomainError(
            _("Give a phone number, an email address or a postal address, so that we can contact you"), field="phone"
        )
    if details.get("no_letters") and not (phone or email or referrer_contact):
        raise DomainError(
            _("You asked us not to send letters. Give a phone number or an email address as well"), field="phone"
        )


@transaction.atomic
def update_referral(
    *, referral: Referral, actor: User, details: Mapping[str, Any], expected_version: int | None
) -> Referral:
    """Correct a referral's details while it waits for triage."""
    if not can(actor, Capability.TRIAGE_REFERRALS, referral.service) and referral.entered_by_id != actor.pk:
        raise NotPermittedError(_("You cannot change this referral."))
    if referral.decision != TriageDecision.AWAITING:
        raise DomainError(_("This referral has been triaged; change the case instead."))
    values = _clean_referral(details, service=referral.service, current_area=referral.area)
    before = field_values(Referral.objects.get(pk=referral.pk), REFERRAL_FIELDS)
    for name, value in values.items():
        setattr(referral, name, value)
    referral.set_right_3_due()
    referral.crime_reference_key = crime_reference_key(referral.crime_reference)
    save_versioned(
        referral, expected_version=expected_version, fields=[*values, "right_3_due_on", "crime_reference_key"]
    )
    if {"source", "referrer_organisation", "received_on"} & set(values):
        sharing.link_referral(referral)
    changes = changes_between(referral, before, field_values(referral, REFERRAL_FIELDS))
    if changes:
        record_event(
            action=AuditAction.REFERRAL_UPDATED, actor=actor, target=referral, service=referral.service, changes=changes
        )
        if referral.victim_told_about_rj_on:
            referral.tasks.open().filter(kind=TaskKind.TELL_ABOUT_RJ).update(
                completed_at=timezone.now(), completed_by=actor
            )
    return referral


def _decide(
    *, referral: Referral, actor: User, decision: TriageDecision, reason: str, expected_version: int | None
) -> Referral:
    if not can(actor, Capability.TRIAGE_REFERRALS, referral.service):
        raise NotPermittedError(_("Only a coordinator of the service triages referrals."))
    referral = Referral.objects.select_for_update().select_related("service").get(pk=referral.pk)
    check_version(referral, expected_version)
    if referral.decision != TriageDecision.AWAITING:
        raise DomainError(_("This referral has already been triaged."))
    if referral.anonymised_at is not None:
        raise DomainError(_("This referral's details have been erased, so it cannot be triaged."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the decision."), field="reason")
    referral.decision = decision
    referral.decision_reason = reason.strip()
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    return referral


@transaction.atomic
def accept_referral(
    *,
    referral: Referral,
    actor: User,
    reason: str,
    flags: Iterable[SensitivityFlag | str] = (),
    expected_version: int | None = None,
    received_without_agreement: str = "",
) -> Case:
    """Accept: open a case with a service-scoped reference, and make the people named its participants. A partner's
    referral that came with no sharing agreement in force is accepted only with `received_without_agreement`: why it
    could be received without one."""
    referral = _decide(
        referral=referral,
        actor=actor,
        decision=TriageDecision.ACCEPTED,
        reason=reason,
        expected_version=expected_version,
    )
    if needs_check(referral):
        raise DomainError(
            _(
                "This self-referral has not been checked yet. Call the person back on the details they gave, "
                "record the check, then accept it."
            )
        )
    sharing_fields = sharing.check_sharing_agreement_at_acceptance(
        referral, received_without_agreement=received_without_agreement
    )
    chosen = {SensitivityFlag(flag) for flag in flags}
    if referral.justice_stage == JusticeStage.CUSTODY:
        chosen.add(SensitivityFlag.CUSTODY)
    case = open_case(
        service=referral.service,
        actor=actor,
        flags=chosen,
        pre_sentence=referral.justice_stage == JusticeStage.PRE_SENTENCE,
    )
    today = timezone.localdate()
    for named in referral.people.select_related("person"):
        Participant.objects.create(case=case, person=named.person, role=named.role)
        if named.person.is_child_on(today):
            chosen.add(SensitivityFlag.CHILD_PARTICIPANT)
    case.sensitivity_flags = sorted(flag.value for flag in chosen)
    case.save(update_fields=["sensitivity_flags"])
    referral.case = case
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["decision", "decision_reason", "decided_by", "decided_at", "case", *sharing_fields],
    )
    changes: dict[str, Any] = {"decision": TriageDecision.ACCEPTED.value, "case": case.reference}
    if "sharing_agreement" in sharing_fields:
        changes["sharing_agreement"] = referral.sharing_agreement_id
    if "received_without_agreement" in sharing_fields:
        changes["received_without_agreement"] = CONCEALED
    record_event(
        action=AuditAction.REFERRAL_TRIAGED, actor=actor, target=referral, service=referral.service, changes=changes
    )
    referral.tasks.open().filter(kind=TaskKind.TRIAGE).update(completed_at=timezone.now(), completed_by=actor)
    referral.tasks.open().update(case=case)
    return case


def awaiting_check(referral: Referral) -> bool:
    """A self-referral not yet checked, and not yet triaged: its check may be recorded."""
    return referral.is_self_referral and referral.verified_at is None and referral.decision == TriageDecision.AWAITING


def needs_check(referral: Referral) -> bool:
    """A self-referral waits for its check before it can be accepted, where its service asks for one."""
    return referral.is_self_referral and referral.service.verify_self_referrals and referral.verified_at is None


@transaction.atomic
def verify_self_referral(
    *, referral: Referral, actor: User, note: str, expected_version: int | None = None
) -> Referral:
    """Record that a coordinator checked a self-referral (called the person back on the number they gave, say)."""
    if not can(actor, Capability.TRIAGE_REFERRALS, referral.service):
        raise NotPermittedError(_("Only a coordinator of the service checks self-referrals."))
    referral = Referral.objects.select_for_update().select_related("service").get(pk=referral.pk)
    check_version(referral, expected_version)
    if not referral.is_self_referral:
        raise DomainError(_("Only a self-referral is checked this way."))
    if referral.verified_at is not None:
        raise DomainError(_("This self-referral has already been checked."))
    if referral.decision != TriageDecision.AWAITING:
        raise DomainError(_("This referral has already been triaged."))
    if not note.strip():
        raise DomainError(
            _("Say how you checked it, for example who you called and what they confirmed."), field="note"
        )
    referral.verified_at = timezone.now()
    referral.verified_by = actor
    referral.verification_note = note.strip()
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["verified_at", "verified_by", "verification_note"],
    )
    # The note may hold personal details: the audit records that the check was made, not what it said.
    record_event(
        action=AuditAction.REFERRAL_VERIFIED,
        actor=actor,
        target=referral,
        service=referral.service,
        changes={"verified_at": referral.verified_at},
    )
    return referral


@transaction.atomic
def decline_referral(*, referral: Referral, actor: User, reason: str, expected_version: int | None = None) -> Referral:
    return _close_referral(
        referral=referral,
        actor=actor,
        decision=TriageDecision.DECLINED,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def redirect_referral(
    *, referral: Referral, actor: User, reason: str, redirected_to: str, expected_version: int | None = None
) -> Referral:
    if not redirected_to.strip():
        raise DomainError(_("Name the service it was redirected to."), field="redirected_to")
    return _close_referral(
        referral=referral,
        actor=actor,
        decision=TriageDecision.REDIRECTED,
        reason=reason,
        expected_version=expected_version,
        redirected_to=redirected_to.strip(),
    )


def _close_referral(
    *,
    referral: Referral,
    actor: User,
    decision: TriageDecision,
    reason: str,
    expected_version: int | None,
    redirected_to: str = "",
) -> Referral:
    referral = _decide(
        referral=referral, actor=actor, decision=decision, reason=reason, expected_version=expected_version
    )
    referral.redirected_to = redirected_to
    save_versioned(
        referral,
        expected_version=referral.version,
        fields=["decision", "decision_reason", "decided_by", "decided_at", "redirected_to"],
    )
    record_event(
        action=AuditAction.REFERRAL_TRIAGED,
        actor=actor,
        target=referral,
        service=referral.service,
        changes={"decision": decision.value},
    )
    referral.tasks.open().update(completed_at=timezone.now(), completed_by=actor)
    return referral
