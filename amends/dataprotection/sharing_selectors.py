"""Reads of the register of sharing agreements and the disclosure log for their pages, in a fixed number of queries."""

import datetime
import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from amends.accounts.models import Service
from amends.cases.models import Case
from amends.dataprotection.models import Disclosure, PartnerKind, SharingAgreement
from amends.people.models import Participant


class AgreementStatus(enum.StrEnum):
    """Where an agreement stands on a day."""

    NOT_YET = "not_yet"
    IN_FORCE = "in_force"
    REVIEW_OVERDUE = "review_overdue"
    ENDED = "ended"


def agreement_status(agreement: SharingAgreement, today: datetime.date) -> AgreementStatus:
    if agreement.ends_on is not None and agreement.ends_on < today:
        return AgreementStatus.ENDED
    if agreement.starts_on > today:
        return AgreementStatus.NOT_YET
    if agreement.review_on is not None and agreement.review_on < today:
        return AgreementStatus.REVIEW_OVERDUE
    return AgreementStatus.IN_FORCE


def partner_kinds_in_force(service: Service, today: datetime.date) -> list[str]:
    """The kinds of organisation the service has a sharing agreement in force with, in words (for the privacy
    notice: the recipients of personal data, by category)."""
    kinds = set(
        SharingAgreement.objects.filter(service=service, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("partner_kind", flat=True)
    )
    return [str(label) for value, label in PartnerKind.choices if value in kinds]


def agreement_list(service: Service) -> QuerySet[SharingAgreement]:
    """The service's agreements by partner, the latest first for each."""
    return SharingAgreement.objects.filter(service=service).order_by("partner", "-starts_on", "-pk")


@dataclass(frozen=True)
class DisclosureFilter:
    """Which disclosures of the log a page shows: of one kind of recipient, and shared within the dates."""

    recipient_kind: str = ""
    shared_from: datetime.date | None = None
    shared_to: datetime.date | None = None


def disclosure_list(service: Service, chosen: DisclosureFilter | None = None) -> QuerySet[Disclosure]:
    """The service's disclosures, latest first, with what a row of the log shows."""
    chosen = chosen or DisclosureFilter()
    disclosures = Disclosure.objects.filter(service=service)
    if chosen.recipient_kind:
        disclosures = disclosures.filter(recipient_kind=chosen.recipient_kind)
    if chosen.shared_from is not None:
        disclosures = disclosures.filter(shared_on__gte=chosen.shared_from)
    if chosen.shared_to is not None:
        disclosures = disclosures.filter(shared_on__lte=chosen.shared_to)
    return disclosures.select_related("case", "agreement", "approved_by").order_by("-shared_on", "-pk")


def case_disclosure_list(case: Case) -> list[Disclosure]:
    """What was shared from the case, latest first, with whose information and who approved it: one query."""
    return list(
        Disclosure.objects.filter(case=case)
        .select_related("person", "approved_by", "agreement")
        .order_by("-shared_on", "-pk")
    )


def participants_of(case: Case) -> list[Participant]:
    """The people in the case (each once), whose information a disclosure may be, in the order they were added."""
    return list(case.participants.select_related("person").order_by("pk"))
