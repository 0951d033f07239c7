"""The way in to a case's follow-up for views and the API: through the case, so a record that does not exist and one
the user may not see both answer 404."""

from django.http import Http404

from amends.accounts.models import User
from amends.audit.reads import record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.followup.models import FeedbackSurvey, OnwardReferral
from amends.people.models import Participant
from amends.permissions import CaseAccess


def get_follow_up_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    """The case whose follow-up is asked for."""
    return case_access.get_case_for_user(user, case_id, access)


def get_participant_for_user(
    user: User, case_id: int, participant_id: int, access: CaseAccess = CaseAccess.VIEW
) -> Participant:
    return case_access.get_participant_for_user(user, case_id, participant_id, access)


def get_survey_for_user(
    user: User, case_id: int, survey_id: int, access: CaseAccess = CaseAccess.VIEW
) -> FeedbackSurvey:
    case = case_access.get_case_for_user(user, case_id, access)
    survey = FeedbackSurvey.objects.select_related("participant__person").filter(pk=survey_id, case=case).first()
    if survey is None:
        raise Http404
    survey.case = case
    return survey


def get_onward_referral_for_user(
    user: User, case_id: int, referral_id: int, access: CaseAccess = CaseAccess.VIEW
) -> OnwardReferral:
    case = case_access.get_case_for_user(user, case_id, access)
    referral = OnwardReferral.objects.select_related("participant__person").filter(pk=referral_id, case=case).first()
    if referral is None:
        raise Http404
    referral.case = case
    return referral


def view_follow_up_case_for_user(user: User, case_id: int) -> Case:
    """The case whose follow-up is shown: the view is recorded."""
    case = get_follow_up_case_for_user(user, case_id)
    record_view(actor=user, target=case, service=case.service)
    return case
