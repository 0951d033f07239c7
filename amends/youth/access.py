"""The way in to the youth and court records for views and the API: through the case or the service, so a record that
does not exist and one the user may not see both answer 404."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.meetings.models import Meeting
from amends.permissions import Capability, CaseAccess
from amends.youth import selectors
from amends.youth.models import PanelMember
from amends.youth.services import PANEL_MEETINGS


def get_youth_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    """The case whose referral order or court report is asked for (either may not be recorded yet)."""
    return case_access.get_case_for_user(user, case_id, access)


def get_panel_meeting_for_user(
    user: User, case_id: int, meeting_id: int, access: CaseAccess = CaseAccess.WORK
) -> Meeting:
    """A panel or review meeting of the case."""
    case = case_access.get_case_for_user(user, case_id, access)
    meeting = (
        Meeting.objects.filter(pk=meeting_id, case=case, purpose__in=list(PANEL_MEETINGS))
        .select_related("venue")
        .first()
    )
    if meeting is None:
        raise Http404
    meeting.case = case
    return meeting


def get_panel_register_for_user(
    user: User, service_id: int, capability: Capability = Capability.VIEW_PANEL_MEMBERS
) -> Service:
    """The service whose register of panel members is asked for."""
    return account_access.get_service_for_user(user, service_id, capability)


def get_panel_member_for_user(
    user: User, service_id: int, member_id: int, capability: Capability = Capability.MANAGE_PANEL_MEMBERS
) -> PanelMember:
    service = get_panel_register_for_user(user, service_id, capability)
    member = PanelMember.objects.filter(pk=member_id, service=service).first()
    if member is None:
        raise Http404
    member.service = service
    return member


def view_referral_order_for_user(user: User, case_id: int) -> selectors.ReferralOrderPage:
    """A case's referral order page: the view of the order (or of the case, before one is recorded) is recorded."""
    case = get_youth_case_for_user(user, case_id)
    page = selectors.referral_order_page(case)
    record_view(actor=user, target=page.order or case, service=case.service)
    return page


def view_court_report_for_user(user: User, case_id: int) -> selectors.CourtReportPage:
    """A case's report to the court: the view of the report (or of the case, before one is saved) is recorded."""
    case = get_youth_case_for_user(user, case_id)
    page = selectors.court_report_page(case)
    record_view(actor=user, target=page.report or case, service=case.service)
    return page


def panel_member_list(user: User, service: Service) -> list[PanelMember]:
    """The service's panel members for display, the view recorded with how many: the list names the volunteers."""
    members = list(selectors.panel_members_of(service))
    record_list_view(actor=user, listed=Listed.PANEL_MEMBERS, count=len(members), service=service)
    return members
