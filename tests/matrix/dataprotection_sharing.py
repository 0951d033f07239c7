"""Permission-matrix rows for the organisation's data protection settings, the register of sharing agreements, the
disclosure log, and the service's data protection page that leads to them. Coordinators and administrators keep the
settings and the register and read the log; a disclosure is recorded from a case by its service's coordinator or by a
facilitator working on it (the target case's lead)."""

from typing import Any

from django.utils import timezone

from amends.dataprotection import sharing
from amends.dataprotection.models import (
    Condition,
    LawfulBasis,
    PartnerKind,
    ProcessingPurpose,
    Purpose,
    SharingAgreement,
    SharingBasis,
)
from tests.matrix.base import Endpoint, Target

MANAGERS = frozenset({"coordinator", "administrator"})
READERS = frozenset({"coordinator", "administrator"})
RECORDERS = frozenset({"coordinator", "facilitator"})


def _dp(rest: str = "") -> Any:
    return lambda t: f"/services/{t.service.pk}/data-protection/{rest}"


def agreement_of(t: Target) -> SharingAgreement:
    return SharingAgreement.objects.create(
        service=t.service,
        partner="Western Area Police",
        partner_kind=PartnerKind.POLICE,
        purpose="Referrals",
        starts_on=timezone.localdate(),
        recorded_by=t.coordinator,
    )


def _agreement(rest: str = "") -> Any:
    def path(t: Target) -> str:
        return f"/services/{t.service.pk}/data-protection/agreements/{agreement_of(t).pk}/{rest}"

    return path


def _disclosure(t: Target) -> str:
    disclosure = sharing.record_disclosure(
        case=t.case,
        actor=t.coordinator,
        person=t.participant.person,
        shared_on=timezone.localdate(),
        recipient="Crown Court",
        recipient_kind=PartnerKind.COURT,
        what="A report for sentencing.",
        basis=SharingBasis.CONSENT,
    )
    return f"/services/{t.service.pk}/data-protection/disclosures/{disclosure.pk}/"


def _purpose(rest: str = "") -> Any:
    def path(t: Target) -> str:
        # get_or_create: some tests ask for the path twice.
        purpose, _created = ProcessingPurpose.objects.get_or_create(
            organisation=t.service.organisation,
            purpose=Purpose.SAFEGUARDING,
            defaults={"lawful_basis": LawfulBasis.PUBLIC_TASK, "condition": Condition.SAFEGUARDING},
        )
        return f"/services/{t.service.pk}/data-protection/settings/purposes/{purpose.pk}/{rest}"

    return path


# The data protection page: whoever holds any of its sections' capabilities in the service.
HUB = frozenset({"coordinator", "administrator", "facilitator"})

ENDPOINTS = (
    Endpoint("data protection page", "GET", _dp(), HUB),
    Endpoint("data protection settings", "GET", _dp("settings/"), MANAGERS),
    *(Endpoint("controller details", method, _dp("settings/controller/"), MANAGERS) for method in ("GET", "POST")),
    *(Endpoint("add purpose", method, _dp("settings/purposes/add/"), MANAGERS) for method in ("GET", "POST")),
    *(Endpoint("change purpose", method, _purpose(), MANAGERS) for method in ("GET", "POST")),
    *(Endpoint("remove purpose", method, _purpose("remove/"), MANAGERS) for method in ("GET", "POST")),
    Endpoint("sharing agreements", "GET", _dp("agreements/"), READERS),
    *(Endpoint("add agreement", method, _dp("agreements/add/"), MANAGERS) for method in ("GET", "POST")),
    *(Endpoint("change agreement", method, _agreement(), MANAGERS) for method in ("GET", "POST")),
    *(Endpoint("end agreement", method, _agreement("end/"), MANAGERS) for method in ("GET", "POST")),
    Endpoint("disclosure log", "GET", _dp("disclosures/"), READERS),
    Endpoint("disclosure", "GET", _disclosure, READERS),
    *(
        Endpoint("record disclosure", method, lambda t: f"/cases/{t.case.pk}/disclosures/add/", RECORDERS)
        for method in ("GET", "POST")
    ),
)

URL_NAMES = (
    "dataprotection:service",
    "dataprotection:settings",
    "dataprotection:controller_edit",
    "dataprotection:purpose_add",
    "dataprotection:purpose_edit",
    "dataprotection:purpose_remove",
    "dataprotection:agreement_list",
    "dataprotection:agreement_add",
    "dataprotection:agreement_edit",
    "dataprotection:agreement_end",
    "dataprotection:disclosure_list",
    "dataprotection:disclosure_detail",
    "dataprotection:disclosure_add",
)
