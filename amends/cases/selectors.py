"""Reads for the case and referral pages: each fetches what its page shows in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from amends.accounts.models import Membership, Service, User
from amends.accounts.selectors import member_list
from amends.cases import workflow
from amends.cases.models import Case, CaseNote, State, Task, TimelineEntry
from amends.people.models import Participant
from amends.permissions import Capability, capabilities_of, service_ids_with
from amends.referrals.models import Referral, ReferredPerson, TriageDecision

TIMELINE_LENGTH = 50
RECENT_DECISIONS = 20


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows besides the case itself."""

    participants: list[Participant]
    gates: list[workflow.GateStatus]
    timeline: list[TimelineEntry]
    notes: list[CaseNote]
    tasks: list[Task]


def case_page(case: Case) -> CasePage:
    """The participants, the gates, the latest timeline, the notes and the open tasks of one case."""
    participants = list(
        Participant.objects.filter(case=case).select_related("person", "supports__person").order_by("pk")
    )
    timeline = list(
        TimelineEntry.objects.filter(case=case)
        .select_related("actor", "participant__person")
        .order_by("-occurred_at", "-pk")[:TIMELINE_LENGTH]
    )
    notes = list(CaseNote.objects.filter(case=case).select_related("author").order_by("-created_at", "-pk"))
    tasks = list(Task.objects.open().filter(case=case).select_related("assigned_to").order_by("due_on", "pk"))
    return CasePage(
        participants=participants,
        gates=workflow.gate_report(workflow.load_facts(case)),
        timeline=timeline,
        notes=notes,
        tasks=tasks,
    )


def case_list(cases: QuerySet[Case], *, state: str = "") -> QuerySet[Case]:
    """Cases for a list page, newest first, optionally in one state."""
    if state in State.values:
        cases = cases.filter(state=state)
    return cases.select_related("service", "lead_facilitator").order_by("-opened_at", "-pk")


def dashboard_cases(user: User, cases: QuerySet[Case]) -> QuerySet[Case]:
    """Open cases the user leads or co-facilitates, or every open case of services they coordinate, with the date
    of the next open task."""
    coordinated = service_ids_with(user, Capability.ALLOCATE_CASES)
    mine = Q(lead_facilitator=user) | Q(co_facilitator=user) | Q(service_id__in=coordinated)
    return _open_with_next_task(cases.filter(mine))


def supervised_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The open cases among those given (the ones a supervisor reads), with the date of the next open task."""
    return _open_with_next_task(cases)


def _open_with_next_task(cases: QuerySet[Case]) -> QuerySet[Case]:
    return (
        cases.exclude(state=State.CLOSED)
        .select_related("service", "lead_facilitator")
        .annotate(next_task_due=Min("tasks__due_on", filter=Q(tasks__completed_at__isnull=True)))
        .order_by("-opened_at", "-pk")
    )


def tasks_in_order(tasks: QuerySet[Task]) -> list[Task]:
    """Open tasks, overdue first (they are the earliest due), then by due date."""
    return list(tasks.order_by("due_on", "pk"))


@dataclass(frozen=True)
class Candidate:
    user: User
    rjc_level: str
    problems: list[str]
    facilitates: bool
    supervises: bool


def allocation_candidates(service: Service, *, today: datetime.date | None = None) -> list[Candidate]:
    """The service's current members who facilitate or supervise cases, each with why they cannot be allocated.

    Built on the people page's list and its practice figures, so a fixed number of queries however many staff.
    """
    from amends.cases.services import practice_problems

    candidates = []
    memberships = Membership.objects.filter(service=service).select_related("user")
    for member in member_list(service=service, memberships=memberships, today=today):
        # The roles held in the service itself: a partnership role never facilitates or supervises cases.
        capabilities = capabilities_of(member.roles)
        facilitates = Capability.FACILITATE_CASES in capabilities
        supervises = Capability.SUPERVISE_CASES in capabilities
        if not (facilitates or supervises):
            continue
        level = member.record.get_rjc_level_display() if member.record is not None else ""
        candidates.append(
            Candidate(
                user=member.user,
                rjc_level=str(level),
                problems=practice_problems(member.user, member.compliance) if facilitates else [],
                facilitates=facilitates,
                supervises=supervises,
            )
        )
    return candidates


# Referrals ---------------------------------------------------------------------------------------------------------


def triage_queue(referrals: QuerySet[Referral]) -> tuple[list[Referral], list[Referral]]:
    """Referrals awaiting triage, oldest first, and the most recently decided."""
    waiting = list(referrals.filter(decision=TriageDecision.AWAITING).order_by("received_on", "pk"))
    decided = list(
        referrals.exclude(decision=TriageDecision.AWAITING)
        .select_related("case", "decided_by")
        .order_by("-decided_at", "-pk")[:RECENT_DECISIONS]
    )
    return waiting, decided


def referred_people(referral: Referral) -> list[ReferredPerson]:
    return list(ReferredPerson.objects.filter(referral=referral).select_related("person").order_by("pk"))


@dataclass(frozen=True)
class Duplicates:
    """Other records that may be about the same harm or the same people."""

    referrals: list[Referral]
    cases: list[Case]

    def __bool__(self) -> bool:
        return bool(self.referrals or self.cases)


def possible_duplicates(referral: Referral, people: list[ReferredPerson] | None = None) -> Duplicates:
    """Other referrals of the service with the same crime reference, and open cases of the service with the same
    crime reference or with someone named in this referral (matched by their blind index)."""
    if people is None:
        people = referred_people(referral)
    keys = sorted({named.person.match_key for named in people if named.person.match_key})
    reference = referral.crime_reference_key
    referrals: list[Referral] = []
    if reference:
        referrals = list(
            Referral.objects.filter(service_id=referral.service_id, crime_reference_key=reference)
            .exclude(pk=referral.pk)
            .select_related("case")
            .order_by("-received_on", "-pk")
        )
    same_case = Q(pk__in=[])
    if reference:
        same_case |= Q(referral__crime_reference_key=reference)
    if keys:
        same_case |= Q(participants__person__match_key__in=keys)
    cases: list[Case] = []
    if reference or keys:
        cases = list(
            Case.objects.filter(same_case, service_id=referral.service_id)
            .exclude(state=State.CLOSED)
            .exclude(pk=referral.case_id or 0)
            .select_related("lead_facilitator")
            .distinct()
            .order_by("-opened_at", "-pk")
        )
    return Duplicates(referrals=referrals, cases=cases)


def days_waiting(referral: Referral, today: datetime.date | None = None) -> int:
    return ((today or timezone.localdate()) - referral.received_on).days
