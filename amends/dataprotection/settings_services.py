"""Writes of an organisation's data protection settings (who the controller is, how to reach its data protection
officer, which law governs its processing) and of the purposes it processes personal data for, each with its lawful
basis and condition; and the reads its settings page and the privacy notice show them with.

Those who manage data protection in any of the organisation's services change its settings, reached through that
service; the audit event is recorded against it.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import Organisation, Regime, Service, User
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, created_values, field_values, record_event
from amends.core.errors import DomainError, NotPermittedError
from amends.dataprotection.models import Condition, LawfulBasis, ProcessingPurpose, Purpose
from amends.permissions import Capability, can

ORGANISATION_FIELDS = (
    "controller_name",
    "ico_registration_number",
    "controller_address",
    "data_protection_officer_email",
    "regime",
    "appropriate_policy_url",
)
PURPOSE_FIELDS = ("purpose", "lawful_basis", "condition", "explanation", "explanation_cy")

# DPA 2018 s.35(2): the two lawful bases of law enforcement processing; every other basis is one of Art. 6 UK GDPR.
PART_3_BASES = frozenset({LawfulBasis.LAW_ENFORCEMENT_CONSENT, LawfulBasis.LAW_ENFORCEMENT_TASK})
# Sensitive processing under Part 3 rests on consent (s.35(4)) or strict necessity with a Schedule 8 condition
# (s.35(5)); the other conditions are UK GDPR's (Art. 9, Art. 10 with DPA 2018 Schedule 1).
PART_3_CONDITIONS = frozenset({Condition.SENSITIVE_LAW_ENFORCEMENT, Condition.EXPLICIT_CONSENT})
# Purposes that process criminal offence data (the harm, the person responsible) or special category data (health,
# ethnicity and the other equality answers), and so need a condition besides the lawful basis.
NEEDS_CONDITION = frozenset({Purpose.DELIVERING_RJ, Purpose.SAFEGUARDING, Purpose.EQUALITY})
# An ICO registration number: Z and seven letters or digits (Z1234567, ZA123456).
ICO_NUMBER = re.compile(r"^Z[A-Z0-9]{7}$")


def _require_manager(actor: User, service: Service, organisation: Organisation) -> None:
    if service.organisation_id != organisation.pk or not can(actor, Capability.MANAGE_DATA_PROTECTION, service):
        raise NotPermittedError(
            _("Only a coordinator or an administrator of one of its services changes these settings.")
        )


def _clean_settings(values: dict[str, Any]) -> dict[str, Any]:
    for name in ("controller_name", "appropriate_policy_url", "data_protection_officer_email"):
        if name in values:
            values[name] = " ".join(str(values[name] or "").split())
    if "controller_address" in values:
        values["controller_address"] = "\n".join(
            line.strip() for line in str(values["controller_address"] or "").splitlines() if line.strip()
        )
    if "ico_registration_number" in values:
        values["ico_registration_number"] = "".join(str(values["ico_registration_number"] or "").split()).upper()
    if values.get("data_protection_officer_email"):
        values["data_protection_officer_email"] = values["data_protection_officer_email"].lower()
    return values


def _check_settings(values: dict[str, Any]) -> None:
    if "regime" in values and values["regime"] not in Regime.values:
        raise DomainError(_("Choose the law that governs the organisation's processing."), field="regime")
    number = values.get("ico_registration_number")
    if number and not ICO_NUMBER.match(number):
        raise DomainError(
            _("An ICO registration number is a Z and 7 more letters or numbers, for example ZA123456."),
            field="ico_registration_number",
        )
    email = values.get("data_protection_officer_email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("Enter an email address in the correct format, like dpo@example.org"),
                field="data_protection_officer_email",
            ) from None
    url = values.get("appropriate_policy_url")
    if url:
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            raise DomainError(
                _("Enter the web address of the document, beginning https://"), field="appropriate_policy_url"
            ) from None


@transaction.atomic
def save_data_protection_settings(
    *, organisation: Organisation, service: Service, actor: User, details: dict[str, Any]
) -> Organisation:
    """Change the organisation's controller details and regime. A change of regime leaves the purposes as they are:
    the settings page then asks for the bases that no longer fit to be changed."""
    _require_manager(actor, service, organisation)
    values = _clean_settings({name: details[name] for name in ORGANISATION_FIELDS if name in details})
    _check_settings(values)
    before = field_values(organisation, ORGANISATION_FIELDS)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.save(update_fields=[*values, "updated_at"])
    changes = changes_between(organisation, before, field_values(organisation, ORGANISATION_FIELDS))
    if changes:
        record_event(
            action=AuditAction.DATA_PROTECTION_SAVED,
            actor=actor,
            target=organisation,
            service=service,
            changes=changes,
        )
    return organisation


def basis_fits(regime: str, lawful_basis: str) -> bool:
    """A Part 3 regime rests on the Part 3 bases; UK GDPR on Art. 6's."""
    return (lawful_basis in PART_3_BASES) == (regime == Regime.LAW_ENFORCEMENT)


def _check_purpose(regime: str, values: dict[str, Any]) -> None:
    purpose, basis, condition = values.get("purpose"), values.get("lawful_basis"), values.get("condition") or ""
    if purpose not in Purpose.values:
        raise DomainError(_("Choose the purpose."), field="purpose")
    if basis not in LawfulBasis.values:
        raise DomainError(_("Choose the lawful basis."), field="lawful_basis")
    if condition not in Condition.values:
        raise DomainError(_("Choose the condition, or none."), field="condition")
    if not basis_fits(regime, basis):
        if regime == Regime.LAW_ENFORCEMENT:
            message = _(
                "The organisation processes under DPA 2018 Part 3: choose a Part 3 basis (consent, or a law "
                "enforcement task)."
            )
        else:
            message = _(
                "The organisation processes under UK GDPR: choose a basis from Article 6. The Part 3 bases are for "
                "law enforcement processing by a competent authority."
            )
        raise DomainError(message, field="lawful_basis")
    if purpose in NEEDS_CONDITION and not condition:
        raise DomainError(
            _("“%(purpose)s” uses criminal offence or special category data: choose the condition it rests on.")
            % {"purpose": Purpose(purpose).label},
            field="condition",
        )
    if condition and regime == Regime.LAW_ENFORCEMENT and condition not in PART_3_CONDITIONS:
        raise DomainError(
            _(
                "Under DPA 2018 Part 3, sensitive processing rests on consent or on being strictly necessary "
                "(s.35(5)): choose one of those."
            ),
            field="condition",
        )
    if condition == Condition.SENSITIVE_LAW_ENFORCEMENT and regime != Regime.LAW_ENFORCEMENT:
        raise DomainError(
            _(
                "The s.35(5) condition is for law enforcement processing under Part 3: choose a condition from "
                "Article 9 or Schedule 1."
            ),
            field="condition",
        )


@transaction.atomic
def save_purpose(
    *,
    organisation: Organisation,
    service: Service,
    actor: User,
    details: dict[str, Any],
    purpose: ProcessingPurpose | None = None,
) -> ProcessingPurpose:
    """Add a purpose the organisation processes personal data for, with its lawful basis and condition, or change
    one (its purpose stays: remove it and add another instead)."""
    _require_manager(actor, service, organisation)
    if purpose is not None and purpose.organisation_id != organisation.pk:
        raise DomainError(_("This purpose belongs to another organisation."))
    values = {name: details[name] for name in PURPOSE_FIELDS if name in details}
    if purpose is not None:
        values.pop("purpose", None)
    for name in ("explanation", "explanation_cy"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    if "condition" in values:
        values["condition"] = values["condition"] or ""
    before = field_values(purpose, PURPOSE_FIELDS) if purpose is not None else {}
    merged = {**before, **values}
    _check_purpose(organisation.regime, merged)
    if purpose is None:
        if ProcessingPurpose.objects.filter(organisation=organisation, purpose=merged["purpose"]).exists():
            raise DomainError(_("The organisation already has this purpose: change that one instead."), field="purpose")
        purpose = ProcessingPurpose.objects.create(organisation=organisation, **values)
        changes = created_values(purpose, PURPOSE_FIELDS)
    else:
        for name, value in values.items():
            setattr(purpose, name, value)
        purpose.save(update_fields=[*values, "updated_at"])
        changes = changes_between(purpose, before, field_values(purpose, PURPOSE_FIELDS))
    record_event(
        action=AuditAction.DATA_PROTECTION_SAVED, actor=actor, target=purpose, service=service, changes=changes
    )
    return purpose


@transaction.atomic
def remove_purpose(*, purpose: ProcessingPurpose, service: Service, actor: User) -> ProcessingPurpose:
    """Take a purpose off the organisation's list (it no longer processes personal data for it)."""
    _require_manager(actor, service, purpose.organisation)
    record_event(
        action=AuditAction.DATA_PROTECTION_SAVED,
        actor=actor,
        target=purpose,
        service=service,
        changes={"removed": purpose.purpose, "lawful_basis": purpose.lawful_basis, "condition": purpose.condition},
    )
    purpose.delete()
    return purpose


# --- Reads --------------------------------------------------------------------------------------------------------


def purpose_list(organisation: Organisation) -> list[ProcessingPurpose]:
    """The organisation's purposes in the order of the Purpose choices: one query."""
    order = {value: index for index, value in enumerate(Purpose.values)}
    found = list(ProcessingPurpose.objects.filter(organisation=organisation))
    return sorted(found, key=lambda purpose: order.get(purpose.purpose, len(order)))


def purposes_left(purposes: Iterable[ProcessingPurpose]) -> list[tuple[str, Any]]:
    """The purposes the organisation has not given a basis for yet, as choices."""
    used = {purpose.purpose for purpose in purposes}
    return [(value, label) for value, label in Purpose.choices if value not in used]


def misfits(organisation: Organisation, purposes: Iterable[ProcessingPurpose]) -> list[ProcessingPurpose]:
    """Purposes whose basis does not fit the organisation's regime (it was changed after they were given)."""
    return [purpose for purpose in purposes if not basis_fits(organisation.regime, purpose.lawful_basis)]
