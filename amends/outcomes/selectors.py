"""Reads of an outcome agreement with everything its page and the API show, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from amends.cases.models import Case
from amends.outcomes.models import ActionPayment, AgreementAction, OutcomeAgreement, ParticipantAgreement
from amends.people.models import Participant


@dataclass
class AgreementPage:
    case: Case
    agreement: OutcomeAgreement | None
    participants: list[Participant]
    agreements: list[ParticipantAgreement] = field(default_factory=list)
    actions: list[AgreementAction] = field(default_factory=list)


def agreement_page(case: Case) -> AgreementPage:
    """The case's agreement, who agreed to it, its actions (with their owners and verifiers) and their payments."""
    participants = list(Participant.objects.filter(case=case).select_related("person").order_by("pk"))
    agreement = OutcomeAgreement.objects.filter(case=case).select_related("recorded_by").first()
    page = AgreementPage(case=case, agreement=agreement, participants=participants)
    if agreement is None:
        return page
    agreement.case = case
    page.agreements = list(
        ParticipantAgreement.objects.filter(agreement=agreement)
        .select_related("participant__person", "recorded_by")
        .order_by("agreed_on", "pk")
    )
    page.actions = list(
        AgreementAction.objects.filter(agreement=agreement)
        .select_related("owner__person", "verified_by")
        .prefetch_related(Prefetch("payments", queryset=ActionPayment.objects.select_related("recorded_by")))
        .order_by("due_on", "pk")
    )
    return page
