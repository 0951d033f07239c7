"""The way in to the complaints register for views and the API: through the service, so a complaint that does not
exist and one the user may not see both answer 404."""

from django.core.paginator import Page, Paginator
from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases.models import Case
from amends.complaints import selectors
from amends.complaints.models import Complaint
from amends.complaints.services import handlers_of
from amends.permissions import Capability, can


def get_register_for_user(user: User, service_id: int, capability: Capability = Capability.VIEW_COMPLAINTS) -> Service:
    """The service whose complaints register is asked for."""
    return account_access.get_service_for_user(user, service_id, capability)


def complaint_register_page(
    user: User, service: Service, *, show: selectors.Show, page_number: str | None, per_page: int
) -> Page[Complaint]:
    """One page of the service's register (the register reached through `get_register_for_user`), its view recorded
    with how many rows were shown: the rows name the people who complained and who handles them."""
    page = Paginator(selectors.complaint_list(service, show), per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    record_list_view(actor=user, listed=Listed.COMPLAINTS, count=len(page.object_list), service=service)
    return page


def complaint_register(user: User, service_id: int, show: selectors.Show) -> list[Complaint]:
    """The whole of the service's register (the API's list), its view recorded with how many rows."""
    service = get_register_for_user(user, service_id)
    complaints = list(selectors.complaint_list(service, show))
    record_list_view(actor=user, listed=Listed.COMPLAINTS, count=len(complaints), service=service)
    return complaints


def get_complaint_for_user(
    user: User, service_id: int, complaint_id: int, capability: Capability = Capability.VIEW_COMPLAINTS
) -> Complaint:
    """One complaint, compliment or other feedback of the service, with the case and people its page names."""
    service = get_register_for_user(user, service_id, capability)
    complaint = (
        Complaint.objects.filter(pk=complaint_id, service=service)
        .select_related("case", "handler", "recorded_by")
        .first()
    )
    if complaint is None:
        raise Http404
    complaint.service = service
    return complaint


def view_complaint_for_user(user: User, service_id: int, complaint_id: int) -> Complaint:
    """A complaint to show, with what was said: the view is recorded."""
    complaint = get_complaint_for_user(user, service_id, complaint_id)
    record_view(actor=user, target=complaint, service=complaint.service)
    return complaint


def get_handled_complaint_for_user(user: User, service_id: int, complaint_id: int) -> Complaint:
    """A complaint of the service, for those who answer its complaints (a compliment has nothing to handle)."""
    complaint = get_complaint_for_user(user, service_id, complaint_id, Capability.HANDLE_COMPLAINTS)
    if not complaint.is_complaint:
        raise Http404
    return complaint


def find_case(user: User, service: Service, *, reference: str = "", case_id: int | None = None) -> Case | None:
    """The case of the service a complaint is about, by its reference (pages) or id (the API); None when no case of
    the service has it. Only those who handle the service's complaints reach this, and they see all its cases."""
    if not can(user, Capability.HANDLE_COMPLAINTS, service):
        raise Http404
    if not reference and case_id is None:
        return None
    cases = Case.objects.filter(service=service)
    if case_id is not None:
        return cases.filter(pk=case_id).first()
    return cases.filter(reference__iexact=reference.strip()).first()


def handlers_for_user(user: User, service: Service) -> list[User]:
    """Who may be chosen to answer a complaint, for those who handle the service's complaints."""
    if not can(user, Capability.HANDLE_COMPLAINTS, service):
        raise Http404
    return handlers_of(service)
