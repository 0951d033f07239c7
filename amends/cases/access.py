"""The one way in to referrals, cases, participants and tasks for views and the API.

A record that does not exist and one the user may not see both answer 404. The `view_*` helpers and the list
helpers return records for display and record the read in the audit; the `get_*` helpers fetch to change or check,
and record nothing.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import selectors
from amends.cases.models import Case, Task, TimelineEntry
from amends.people.models import EqualityMonitoring, Participant
from amends.permissions import Capability, CaseAccess, can, can_on_case, case_filter
from amends.referrals.models import Referral
from amends.risk.models import RiskAssessment


def cases_visible_to(user: User, access: CaseAccess = CaseAccess.VIEW) -> QuerySet[Case]:
    """Every case the user may see (or work on), across their services."""
    return Case.objects.filter(case_filter(user, access)).select_related("service", "lead_facilitator")


def cases_read_only_by(user: User) -> QuerySet[Case]:
    """The cases the user may read but not work on: for a supervisor, the cases they supervise."""
    return cases_visible_to(user, CaseAccess.VIEW).exclude(case_filter(user, CaseAccess.WORK))


def get_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    case = (
        Case.objects.select_related("service", "lead_facilitator", "co_facilitator", "supervisor")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not can_on_case(user, access, case):
        raise Http404
    return case


def view_case_for_user(user: User, case_id: int) -> Case:
    """A case to show, its view recorded."""
    case = get_case_for_user(user, case_id)
    record_view(actor=user, target=case, service=case.service)
    return case


def case_list_page(user: User, service: Service, *, state: str, page_number: str | None, per_page: int) -> Page[Case]:
    """One page of a service's case list, newest first, its view recorded with the number of cases shown."""
    cases = selectors.case_list(cases_visible_to(user).filter(service=service), state=state)
    page = Paginator(cases, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    record_list_view(actor=user, listed=Listed.CASES, count=len(page.object_list), service=service)
    return page


def case_list_of(user: User) -> list[Case]:
    """Every case the user may see, newest first (the API's list), its view recorded with how many."""
    cases = list(cases_visible_to(user).order_by("-opened_at", "-pk"))
    record_list_view(actor=user, listed=Listed.CASES, count=len(cases), service=None)
    return cases


def my_cases(user: User) -> list[Case]:
    """The dashboard's open cases the user works on, its view recorded with how many."""
    cases = list(selectors.dashboard_cases(user, cases_visible_to(user, CaseAccess.WORK)))
    record_list_view(actor=user, listed=Listed.MY_CASES, count=len(cases), service=None)
    return cases


def supervised_cases_of(user: User) -> list[Case]:
    """The open cases the user reads as a supervisor, its view recorded with how many."""
    cases = list(selectors.supervised_cases(cases_read_only_by(user)))
    record_list_view(actor=user, listed=Listed.SUPERVISED_CASES, count=len(cases), service=None)
    return cases


def participant_list(user: User, case_id: int) -> list[Participant]:
    """The people in a case, in the order they were added, its view recorded against the case with how many."""
    case = get_case_for_user(user, case_id)
    participants = list(case.participants.select_related("person").order_by("pk"))
    record_list_view(actor=user, listed=Listed.PARTICIPANTS, count=len(participants), service=case.service, owner=case)
    return participants


def case_timeline(user: User, case_id: int) -> list[TimelineEntry]:
    """A case's story, newest first, its view recorded against the case with how many entries."""
    case = get_case_for_user(user, case_id)
    entries = list(case.timeline.order_by("-occurred_at", "-pk"))
    record_list_view(actor=user, listed=Listed.TIMELINE, count=len(entries), service=case.service, owner=case)
    return entries


def get_participant_for_user(
    user: User, case_id: int, participant_id: int, access: CaseAccess = CaseAccess.VIEW
) -> Participant:
    case = get_case_for_user(user, case_id, access)
    participant = (
        Participant.objects.select_related("person", "supports__person").filter(pk=participant_id, case=case).first()
    )
    if participant is None:
        raise Http404
    participant.case = case
    return participant


def view_participant_for_user(
    user: User, case_id: int, participant_id: int, access: CaseAccess = CaseAccess.VIEW
) -> Participant:
    """A participant to show, with their contact arrangements: the view is recorded."""
    participant = get_participant_for_user(user, case_id, participant_id, access)
    record_view(actor=user, target=participant, service=participant.case.service)
    return participant


def get_equality_for_user(
    user: User, case_id: int, participant_id: int, *, for_display: bool
) -> tuple[Participant, EqualityMonitoring | None]:
    """A participant's equality monitoring answers, to change; shown (for_display), their view is recorded."""
    participant = get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    try:
        monitoring: EqualityMonitoring | None = participant.person.equality
    except EqualityMonitoring.DoesNotExist:
        monitoring = None
    if for_display and monitoring is not None:
        record_view(actor=user, target=monitoring, service=participant.case.service)
    return participant, monitoring


def get_risk_assessment_for_user(user: User, case_id: int, assessment_id: int) -> RiskAssessment:
    """An assessment to sign off: for those who sign off risk in the case's service."""
    case = get_case_for_user(user, case_id, CaseAccess.VIEW)
    if not can(user, Capability.SIGN_OFF_RISK, case.service):
        raise Http404
    assessment = (
        RiskAssessment.objects.select_related("participant__person", "assessed_by")
        .filter(pk=assessment_id, participant__case=case)
        .first()
    )
    if assessment is None:
        raise Http404
    assessment.participant.case = case
    return assessment


def referrals_for_triage(user: User, service: Service) -> QuerySet[Referral]:
    if not can(user, Capability.TRIAGE_REFERRALS, service):
        raise Http404
    return Referral.objects.filter(service=service)


def triage_queue(user: User, service: Service) -> tuple[list[Referral], list[Referral]]:
    """The service's referrals awaiting triage and the most recently decided, the view recorded with how many."""
    waiting, decided = selectors.triage_queue(referrals_for_triage(user, service).select_related("verified_by"))
    record_list_view(actor=user, listed=Listed.TRIAGE_QUEUE, count=len(waiting) + len(decided), service=service)
    return waiting, decided


def view_referral_for_user(user: User, referral_id: int) -> Referral:
    """A referral to show: its view is recorded when the user sees all of it (a referrer sees only its status)."""
    referral = get_referral_for_user(user, referral_id)
    if may_triage(user, referral):
        record_view(actor=user, target=referral, service=referral.service)
    return referral


def get_referral_for_user(user: User, referral_id: int) -> Referral:
    """A referral: coordinators of its service see all of it; the person who entered it sees its status."""
    referral = Referral.objects.select_related("service", "case", "entered_by").filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if not (can(user, Capability.TRIAGE_REFERRALS, referral.service) or referral.entered_by_id == user.pk):
        raise Http404
    return referral


def get_self_referral_to_verify(user: User, referral_id: int, *, for_display: bool) -> Referral:
    """A self-referral to check, for those who triage its service; shown (for_display), its view is recorded."""
    referral = get_referral_for_user(user, referral_id)
    if not may_triage(user, referral) or not referral.is_self_referral:
        raise Http404
    if for_display:
        record_view(actor=user, target=referral, service=referral.service)
    return referral


def may_triage(user: User, referral: Referral) -> bool:
    return can(user, Capability.TRIAGE_REFERRALS, referral.service)


def referrals_entered_by(user: User) -> QuerySet[Referral]:
    """The referrals this person made: a referrer sees their status and nothing else."""
    return Referral.objects.filter(entered_by=user).select_related("service", "case")


def tasks_of(user: User) -> QuerySet[Task]:
    """The user's own open tasks, in services where they still hold a role."""
    from amends.permissions import service_ids_with

    return (
        Task.objects.open()
        .filter(assigned_to=user, service_id__in=service_ids_with(user, Capability.VIEW_SERVICE))
        .select_related("case", "referral", "service")
    )


def get_task_for_user(user: User, task_id: int) -> Task:
    """A task: for the person it is for while they still hold a role in its service, and its service's coordinators."""
    task = Task.objects.select_related("case", "service", "referral").filter(pk=task_id).first()
    if task is None or not (
        (task.assigned_to_id == user.pk and can(user, Capability.VIEW_SERVICE, task.service_id))
        or can(user, Capability.ALLOCATE_CASES, task.service_id)
    ):
        raise Http404
    return task
