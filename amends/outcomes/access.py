"""The way in to outcome agreements and their actions for views and the API: through the case, so a record that does
not exist and one the user may not see both answer 404."""

from django.http import Http404

from amends.accounts.models import User
from amends.audit.reads import record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.outcomes import selectors
from amends.outcomes.models import AgreementAction
from amends.people.models import Participant
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


def view_agreement_for_user(user: User, case_id: int) -> selectors.AgreementPage:
    """A case's outcome agreement page: the view of the agreement (or of the case, before one is made) is recorded."""
    case = get_agreement_case_for_user(user, case_id)
    page = selectors.agreement_page(case)
    record_view(actor=user, target=page.agreement or case, service=case.service)
    return page


def view_made_agreement_for_user(user: User, case_id: int) -> selectors.AgreementPage:
    """A case's outcome agreement, once it is made (404 before): the view of the agreement is recorded."""
    case = get_agreement_case_for_user(user, case_id)
    page = selectors.agreement_page(case)
    if page.agreement is None:
        raise Http404
    record_view(actor=user, target=page.agreement, service=case.service)
    return page


def view_agreement_for_participant(
    user: User, case_id: int, participant_id: int
) -> tuple[Participant, selectors.AgreementPage]:
    """The agreement printed for one participant who takes part: the view of the agreement is recorded."""
    participant = case_access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    page = selectors.agreement_page(participant.case)
    if page.agreement is None or not participant.takes_part:
        raise Http404
    record_view(actor=user, target=page.agreement, service=participant.case.service)
    return participant, page
