"""Writes of the register of information sharing agreements and of the disclosure log, and the check referral intake
makes against the register.

A referral from a partner (anyone but the person themselves) that names the referrer's organisation is linked to
the service's agreement with that organisation in force on the day it was received; without one, it is accepted only
once the coordinator records why it could be received anyway (the person gave consent to the referral, say).

Every sharing of personal data outside the service is recorded from its case: whose information, what, with whom,
on what basis and who approved it (a coordinator of the service). Sharing under an agreement names one in force that
day with the same organisation; sharing with the police says why it was necessary and proportionate (Victims and
Prisoners Act 2024 s.28). Each write records its audit event, never with the encrypted texts.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Membership, Service, User
from amends.audit.models import AuditAction
from amends.audit.services import CONCEALED, changes_between, created_values, field_values, record_event
from amends.cases.models import Case
from amends.core.errors import DomainError, NotPermittedError
from amends.dataprotection.models import Disclosure, PartnerKind, SharingAgreement, SharingBasis
from amends.people.models import Person
from amends.permissions import CAPABILITY_ROLES, Capability, CaseAccess, can, can_on_case
from amends.referrals.models import Referral, ReferralSource, TriageDecision

AGREEMENT_FIELDS = (
    "partner",
    "partner_kind",
    "reference",
    "purpose",
    "starts_on",
    "review_on",
    "ends_on",
    "document",
)
PARTNER_MAX_LENGTH = 200


def partner_key(name: str) -> str:
    """An organisation's name as the register compares it: trimmed, spaces collapsed, any case."""
    return " ".join(str(name or "").split()).casefold()


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


# --- The check at referral intake ---------------------------------------------------------------------------------


def agreement_in_force(*, service: Service, partner: str, on: datetime.date) -> SharingAgreement | None:
    """The service's agreement with the partner in force on the day (the latest to start, if several were)."""
    key = partner_key(partner)
    if not key:
        return None
    in_force = (
        SharingAgreement.objects.filter(service=service, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on", "-pk")
    )
    return next((agreement for agreement in in_force if partner_key(agreement.partner) == key), None)


def checks_sharing_agreement(referral: Referral) -> bool:
    """Whether the register is checked for this referral: it came from a partner that it names. A self-referral,
    and a referral naming no organisation, are not checked."""
    return not referral.is_self_referral and bool(partner_key(referral.referrer_organisation))


def agreement_for_referral(
    *, service: Service, source: str, organisation: str, received_on: datetime.date
) -> SharingAgreement | None:
    """The agreement a referral with these details is received under, or None (also when none is checked)."""
    if source == ReferralSource.SELF:
        return None
    return agreement_in_force(service=service, partner=organisation, on=received_on)


def lacks_sharing_agreement(referral: Referral) -> bool:
    """A partner's referral with no agreement in force on the day it came, and no reason recorded yet for receiving
    it without one: it waits for that reason before it can be accepted."""
    return (
        checks_sharing_agreement(referral)
        and referral.sharing_agreement_id is None
        and not referral.received_without_agreement.strip()
    )


def check_sharing_agreement_at_acceptance(referral: Referral, *, received_without_agreement: str) -> list[str]:
    """On accepting a referral (locked by the caller): link the agreement in force when it came (one may have been
    registered since), or keep the coordinator's reason for receiving it without one; refuse when there is neither.
    Returns the fields to save."""
    if not checks_sharing_agreement(referral):
        return []
    if referral.sharing_agreement_id is None:
        referral.sharing_agreement = agreement_for_referral(
            service=referral.service,
            source=referral.source,
            organisation=referral.referrer_organisation,
            received_on=referral.received_on,
        )
    if referral.sharing_agreement_id is not None:
        return ["sharing_agreement"]
    reason = received_without_agreement.strip()
    if not reason:
        raise DomainError(
            _(
                "There is no information sharing agreement with %(organisation)s in force on %(day)s. Say why the "
                "referral can be received without one (for example, the person gave consent to the referral), or "
                "add the agreement to the register first."
            )
            % {"organisation": referral.referrer_organisation.strip(), "day": _day(referral.received_on)},
            field="received_without_agreement",
        )
    referral.received_without_agreement = reason
    return ["sharing_agreement", "received_without_agreement"]


def link_referral(referral: Referral) -> None:
    """After a referral's source, organisation or date received change: link the agreement in force then, or none."""
    referral.sharing_agreement = agreement_for_referral(
        service=referral.service,
        source=referral.source,
        organisation=referral.referrer_organisation,
        received_on=referral.received_on,
    )
    # A link the register makes, not an edit of the referral: its version stays.
    Referral.objects.filter(pk=referral.pk).update(sharing_agreement=referral.sharing_agreement)


def relink_waiting_referrals(service: Service, partners: Iterable[str]) -> int:
    """After the register changes, link each referral from these partners still waiting for triage to the agreement
    in force on the day it came (or to none). Returns how many changed."""
    keys = {partner_key(partner) for partner in partners} - {""}
    if not keys:
        return 0
    agreements = [
        agreement
        for agreement in SharingAgreement.objects.filter(service=service).order_by("-starts_on", "-pk")
        if partner_key(agreement.partner) in keys
    ]
    waiting = (
        Referral.objects.filter(service=service, decision=TriageDecision.AWAITING)
        .exclude(source=ReferralSource.SELF)
        .exclude(referrer_organisation="")
        .only("pk", "referrer_organisation", "received_on", "sharing_agreement_id")
    )
    changed = 0
    for referral in waiting:
        key = partner_key(referral.referrer_organisation)
        if key not in keys:
            continue
        found = next(
            (
                agreement.pk
                for agreement in agreements
                if partner_key(agreement.partner) == key and agreement.in_force_on(referral.received_on)
            ),
            None,
        )
        if found != referral.sharing_agreement_id:
            # A link the register makes, not an edit of the referral: its version (and any open form) stays.
            Referral.objects.filter(pk=referral.pk).update(sharing_agreement_id=found)
            changed += 1
    return changed


# --- The register of agreements -----------------------------------------------------------------------------------


def _require_manager(actor: User, service: Service) -> None:
    if not can(actor, Capability.MANAGE_DATA_PROTECTION, service):
        raise NotPermittedError(
            _("Only a coordinator or an administrator of the service keeps its sharing agreements.")
        )


def _clean_agreement(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("partner", "reference", "document"):
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
    if "purpose" in values:
        values["purpose"] = str(values["purpose"] or "").strip()
    return values


def _check_agreement(service: Service, merged: Mapping[str, Any], agreement: SharingAgreement | None) -> None:
    if not merged.get("partner"):
        raise DomainError(_("Name the partner organisation."), field="partner")
    if len(merged["partner"]) > PARTNER_MAX_LENGTH:
        raise DomainError(
            _("Keep the name to %(most)s characters or fewer.") % {"most": PARTNER_MAX_LENGTH}, field="partner"
        )
    if merged.get("partner_kind") not in PartnerKind.values:
        raise DomainError(_("Choose what kind of organisation the partner is."), field="partner_kind")
    if not merged.get("purpose"):
        raise DomainError(_("Say what the agreement covers."), field="purpose")
    starts_on: datetime.date | None = merged.get("starts_on")
    if starts_on is None:
        raise DomainError(_("Enter the date the agreement is in force from."), field="starts_on")
    review_on, ends_on = merged.get("review_on"), merged.get("ends_on")
    if review_on is not None and review_on < starts_on:
        raise DomainError(_("The review date must be on or after the date it is in force from."), field="review_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date must be on or after the date it is in force from."), field="ends_on")
    key = partner_key(merged["partner"])
    others = SharingAgreement.objects.filter(service=service).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        others = others.filter(starts_on__lte=ends_on)
    if agreement is not None:
        others = others.exclude(pk=agreement.pk)
    overlapping = next((other for other in others if partner_key(other.partner) == key), None)
    if overlapping is not None:
        raise DomainError(
            _(
                "The register already has an agreement with %(partner)s in force from %(day)s. End that one before "
                "this one starts, or change it instead."
            )
            % {"partner": overlapping.partner, "day": _day(overlapping.starts_on)},
            field="starts_on",
        )


@transaction.atomic
def save_sharing_agreement(
    *, service: Service, actor: User, details: Mapping[str, Any], agreement: SharingAgreement | None = None
) -> SharingAgreement:
    """Add an information sharing agreement to the service's register, or change one. Referrals from the partner
    waiting for triage are linked to it again."""
    _require_manager(actor, service)
    if agreement is not None and agreement.service_id != service.pk:
        raise DomainError(_("This agreement belongs to another service."))
    values = _clean_agreement({name: details[name] for name in AGREEMENT_FIELDS if name in details})
    before = field_values(agreement, AGREEMENT_FIELDS) if agreement is not None else {}
    merged = {**before, **values}
    _check_agreement(service, merged, agreement)
    if agreement is None:
        agreement = SharingAgreement.objects.create(service=service, recorded_by=actor, **values)
        changes = created_values(agreement, AGREEMENT_FIELDS)
    else:
        for name, value in values.items():
            setattr(agreement, name, value)
        agreement.save(update_fields=[*values, "updated_at"])
        changes = changes_between(agreement, before, field_values(agreement, AGREEMENT_FIELDS))
    record_event(
        action=AuditAction.SHARING_AGREEMENT_SAVED, actor=actor, target=agreement, service=service, changes=changes
    )
    relink_waiting_referrals(service, [str(before.get("partner") or ""), agreement.partner])
    return agreement


@transaction.atomic
def end_sharing_agreement(*, agreement: SharingAgreement, actor: User, ends_on: datetime.date) -> SharingAgreement:
    """Record the day an agreement ends (or ended): sharing under it after that day is not recorded against it."""
    service = agreement.service
    _require_manager(actor, service)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.ends_on is not None and agreement.ends_on < timezone.localdate():
        raise DomainError(_("This agreement has already ended."))
    if ends_on < agreement.starts_on:
        raise DomainError(
            _("An agreement ends on or after the date it is in force from (%(day)s).")
            % {"day": _day(agreement.starts_on)},
            field="ends_on",
        )
    before = field_values(agreement, ["ends_on"])
    agreement.ends_on = ends_on
    agreement.save(update_fields=["ends_on", "updated_at"])
    record_event(
        action=AuditAction.SHARING_AGREEMENT_SAVED,
        actor=actor,
        target=agreement,
        service=service,
        changes=changes_between(agreement, before, field_values(agreement, ["ends_on"])),
    )
    relink_waiting_referrals(service, [agreement.partner])
    agreement.service = service
    return agreement


# --- The disclosure log -------------------------------------------------------------------------------------------


def approvers_of(service: Service) -> list[User]:
    """Who may approve a disclosure from the service (a current role holding APPROVE_DISCLOSURES), by name."""
    roles = CAPABILITY_ROLES[Capability.APPROVE_DISCLOSURES]
    holders = Membership.objects.current().filter(service=service, role__in=list(roles)).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "pk"))


def may_record_disclosure(user: User, case: Case) -> bool:
    """Coordinators for every case of their service; facilitators for the cases they work on."""
    return can(user, Capability.RECORD_DISCLOSURES, case.service_id) and can_on_case(user, CaseAccess.WORK, case)


def _check_agreement_basis(
    *, service: Service, agreement: SharingAgreement | None, recipient: str, shared_on: datetime.date
) -> SharingAgreement:
    if agreement is None:
        raise DomainError(_("Choose the information sharing agreement it was shared under."), field="agreement")
    if agreement.service_id != service.pk:
        raise DomainError(_("Choose one of this service's agreements."), field="agreement")
    if partner_key(agreement.partner) != partner_key(recipient):
        raise DomainError(
            _(
                "That agreement is with %(partner)s, not %(recipient)s. Choose an agreement with the organisation it "
                "was shared with, or another basis."
            )
            % {"partner": agreement.partner, "recipient": recipient},
            field="agreement",
        )
    if not agreement.in_force_on(shared_on):
        raise DomainError(
            _("The agreement with %(partner)s was not in force on %(day)s. Choose another basis.")
            % {"partner": agreement.partner, "day": _day(shared_on)},
            field="agreement",
        )
    return agreement


def _approver(service: Service, actor: User, approved_by: User | None) -> User:
    if approved_by is None:
        if not can(actor, Capability.APPROVE_DISCLOSURES, service):
            raise DomainError(_("Choose the coordinator who approved it."), field="approved_by")
        return actor
    if not approved_by.is_active or not can(approved_by, Capability.APPROVE_DISCLOSURES, service):
        raise DomainError(
            _("Choose a coordinator of this service: only they approve a disclosure."), field="approved_by"
        )
    return approved_by


@transaction.atomic
def record_disclosure(
    *,
    case: Case,
    actor: User,
    person: Person | None,
    shared_on: datetime.date,
    recipient: str,
    recipient_kind: PartnerKind | str,
    what: str,
    basis: SharingBasis | str,
    agreement: SharingAgreement | None = None,
    necessity: str = "",
    approved_by: User | None = None,
) -> Disclosure:
    """Record that personal data from the case was shared outside the service. A coordinator who records it approves
    it unless they name another coordinator; a facilitator names the coordinator who approved it."""
    service = case.service
    if not may_record_disclosure(actor, case):
        raise DomainError(_("Only the case's facilitators or a coordinator of the service record what was shared."))
    if person is None or not case.participants.filter(person=person).exists():
        raise DomainError(_("Choose whose information was shared."), field="person")
    if shared_on > timezone.localdate():
        raise DomainError(_("The date shared cannot be in the future."), field="shared_on")
    recipient = " ".join(recipient.split())
    if not recipient:
        raise DomainError(_("Name the organisation it was shared with."), field="recipient")
    if len(recipient) > PARTNER_MAX_LENGTH:
        raise DomainError(
            _("Keep the name to %(most)s characters or fewer.") % {"most": PARTNER_MAX_LENGTH}, field="recipient"
        )
    if recipient_kind not in PartnerKind.values:
        raise DomainError(_("Choose what kind of organisation it was shared with."), field="recipient_kind")
    what = what.strip()
    if not what:
        raise DomainError(_("Say what was shared."), field="what")
    if basis not in SharingBasis.values:
        raise DomainError(_("Choose the basis it was shared on."), field="basis")
    if basis == SharingBasis.AGREEMENT and Person.objects.filter(pk=person.pk, restricted_since__isnull=False).exists():
        # Art. 18(2): restricted data is shared only with consent, for a legal duty or claim, or to protect someone.
        raise DomainError(
            _(
                "The use of this person's information is restricted at their request: it is not shared routinely "
                "under a sharing agreement. Choose the basis that made sharing it necessary."
            ),
            field="basis",
        )
    if basis == SharingBasis.AGREEMENT:
        agreement = _check_agreement_basis(
            service=service, agreement=agreement, recipient=recipient, shared_on=shared_on
        )
    else:
        agreement = None
    necessity = necessity.strip()
    if recipient_kind == PartnerKind.POLICE and not necessity:
        raise DomainError(
            _("Say why sharing it with the police was necessary and proportionate."),
            field="necessity",
        )
    approver = _approver(service, actor, approved_by)
    disclosure = Disclosure.objects.create(
        service=service,
        case=case,
        person=person,
        shared_on=shared_on,
        recipient=recipient,
        recipient_kind=recipient_kind,
        what=what,
        basis=basis,
        agreement=agreement,
        necessity=necessity,
        approved_by=approver,
        recorded_by=actor,
    )
    changes: dict[str, Any] = {
        **created_values(
            disclosure, ("case", "person", "shared_on", "recipient", "recipient_kind", "basis", "agreement")
        ),
        "approved_by": approver.pk,
        "what": CONCEALED,
    }
    if necessity:
        changes["necessity"] = CONCEALED
    record_event(
        action=AuditAction.DISCLOSURE_RECORDED, actor=actor, target=disclosure, service=service, changes=changes
    )
    return disclosure
