"""The way in to outcome agreements and their actions for views and the API: through the case, so a record that does
not exist and one the user may not see both answer 404."""

from django.http import Http404

from amends.accounts.models import User
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.outcomes.models import AgreementAction
from amends.permissions import CaseAccess


def get_agreement_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    """The case whose agreement is asked for (the agreement itself may not be made yet)."""
    return case_access.get_case_for_user(user, case_id, access)


def get_action_for_user(
    user: User, case_id: int, action_id: int, access: CaseAccess = CaseAccess.VIEW
) -> AgreementAction:
    case = case_access.get_case_for_user(user, case_id, access)
    action = (
        AgreementAction.objects.select_related("agreement", "owner__person")
        .prefetch_related("payments")
        .filter(pk=action_id, agreement__case=case)
        .first()
    )
    if action is None:
        raise Http404
    action.agreement.case = case
    return action
