"""The one way in to referrals, cases, participants and tasks for views and the API.

A record that does not exist and one the user may not see both answer 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from amends.accounts.models import Service, User
from amends.cases.models import Case, Task
from amends.people.models import Participant
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


def get_referral_for_user(user: User, referral_id: int) -> Referral:
    """A referral: coordinators of its service see all of it; the person who entered it sees its status."""
    referral = Referral.objects.select_related("service", "case", "entered_by").filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if not (can(user, Capability.TRIAGE_REFERRALS, referral.service) or referral.entered_by_id == user.pk):
        raise Http404
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
