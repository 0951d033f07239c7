"""A demo story of the complaints register, told through the same services a coordinator uses (added to
amends.cases.demo.STORIES, after the cases it speaks of): one complaint answered in time and then taken to the
organisation, one waiting past its answer date, one just received about no case, and a compliment. Every name and
word is invented."""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from amends.accounts.models import Service
from amends.cases.models import Case
from amends.complaints import services
from amends.complaints.models import AnswerBy, Channel, ComplaintKind, EscalatedTo, FromRole, Outcome
from amends.referrals.models import crime_reference_key

if TYPE_CHECKING:
    from amends.cases.demo import Staff


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _case(service: Service, crime_reference: str) -> Case | None:
    return (
        Case.objects.filter(service=service, referral__crime_reference_key=crime_reference_key(crime_reference))
        .order_by("pk")
        .first()
    )


def complaints_received(service: Service, staff: "Staff") -> None:
    """Mrs Ellis complained that her meeting was moved twice (answered in time, partly upheld, then taken to the
    organisation); Kieran Doyle's mother says nobody told her about the garden work (waiting past its date); a
    victim support officer asks why a referral was not acknowledged (just received); Joan Ellis wrote to thank her
    sister's facilitator."""
    coordinator = staff.coordinator
    moved = services.record_complaint(
        service=service,
        actor=coordinator,
        kind=ComplaintKind.COMPLAINT,
        received_on=_days_ago(16),
        channel=Channel.PHONE,
        from_role=FromRole.PERSON_HARMED,
        case=_case(service, "WA/24871/26"),
        summary="The date of the meeting was changed twice and nobody explained why. I had arranged for my sister "
        "to take time off work both times.",
        contact="07700 900123",
        answer_by=AnswerBy.LETTER,
        handler=coordinator,
    )
    services.record_acknowledgement(complaint=moved, actor=coordinator, acknowledged_on=_days_ago(15))
    services.respond_to_complaint(
        complaint=moved,
        actor=coordinator,
        responded_on=_days_ago(8),
        outcome=Outcome.PARTLY_UPHELD,
        response="The first change was needed because the venue closed; we should have told you why at the time. "
        "The second was our mistake. We are sorry, and we will confirm any new date in writing.",
    )
    services.escalate_complaint(
        complaint=moved,
        actor=coordinator,
        escalated_on=_days_ago(2),
        escalated_to=EscalatedTo.ORGANISATION,
        details="She asked for the complaint to be looked at again by someone outside the team.",
    )
    services.record_complaint(
        service=service,
        actor=coordinator,
        kind=ComplaintKind.COMPLAINT,
        received_on=_days_ago(21),
        channel=Channel.EMAIL,
        from_role=FromRole.SUPPORTER,
        case=_case(service, "WA/20517/26"),
        summary="My son agreed to do work in Mr Osei's garden but nobody has told us when or where it is.",
        contact="kieran.doyle.family@example.com",
        answer_by=AnswerBy.EMAIL,
        handler=coordinator,
    )
    services.record_complaint(
        service=service,
        actor=coordinator,
        kind=ComplaintKind.COMPLAINT,
        received_on=_days_ago(1),
        channel=Channel.EMAIL,
        from_role=FromRole.REFERRER,
        summary="I referred a victim a fortnight ago and have had no acknowledgement.",
        contact="victim.support@example.org",
        answer_by=AnswerBy.EMAIL,
        handler=coordinator,
    )
    services.record_complaint(
        service=service,
        actor=coordinator,
        kind=ComplaintKind.COMPLIMENT,
        received_on=_days_ago(30),
        channel=Channel.LETTER,
        from_role=FromRole.SUPPORTER,
        summary="Thank you for the patience you showed my sister. She is sleeping better for the first time in months.",
    )
