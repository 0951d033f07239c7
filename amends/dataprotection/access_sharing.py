"""The way in to the register of sharing agreements and the disclosure log for views: through the service (or, to
record a disclosure, through the case), so a record that does not exist and one the user may not see both answer
404."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.dataprotection.models import Disclosure, SharingAgreement
from amends.dataprotection.sharing import approvers_of, may_record_disclosure
from amends.permissions import Capability, can


def get_register_for_user(user: User, service_id: int, capability: Capability = Capability.VIEW_DISCLOSURES) -> Service:
    """The service whose register of agreements or disclosure log is asked for."""
    return account_access.get_service_for_user(user, service_id, capability)


def get_agreement_for_user(
    user: User, service_id: int, agreement_id: int, capability: Capability = Capability.MANAGE_DATA_PROTECTION
) -> SharingAgreement:
    """One of the service's agreements, for those who keep the register."""
    service = get_register_for_user(user, service_id, capability)
    agreement = SharingAgreement.objects.filter(pk=agreement_id, service=service).first()
    if agreement is None:
        raise Http404
    agreement.service = service
    return agreement


def get_disclosure_for_user(user: User, service_id: int, disclosure_id: int) -> Disclosure:
    """One disclosure of the service's log, with the case, person, agreement and staff its page names."""
    service = get_register_for_user(user, service_id)
    disclosure = (
        Disclosure.objects.filter(pk=disclosure_id, service=service)
        .select_related("case", "person", "agreement", "approved_by", "recorded_by")
        .first()
    )
    if disclosure is None:
        raise Http404
    disclosure.service = service
    return disclosure


def view_disclosure_for_user(user: User, service_id: int, disclosure_id: int) -> Disclosure:
    """One disclosure to show, with what was shared and with whom: the view is recorded."""
    disclosure = get_disclosure_for_user(user, service_id, disclosure_id)
    record_view(actor=user, target=disclosure, service=disclosure.service)
    return disclosure


def get_case_for_disclosure(user: User, case_id: int) -> Case:
    """A case a disclosure is recorded from: for coordinators of its service, and the facilitators working on it."""
    case = case_access.get_case_for_user(user, case_id)
    if not may_record_disclosure(user, case):
        raise Http404
    return case


def approvers_for_user(user: User, case: Case) -> list[User]:
    """Who may be named as approving a disclosure from the case, for those who record one."""
    if not may_record_disclosure(user, case):
        raise Http404
    return approvers_of(case.service)


def may_read_log(user: User, service: Service | int) -> bool:
    return can(user, Capability.VIEW_DISCLOSURES, service)


def disclosure_page(
    user: User, service: Service, disclosures: QuerySet[Disclosure], *, page_number: str | None, per_page: int
) -> Page[Disclosure]:
    """One page of the disclosure log for display, its view recorded with how many rows were shown: each row names the
    person whose information was shared."""
    page = Paginator(disclosures, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    record_list_view(actor=user, listed=Listed.DISCLOSURES, count=len(page.object_list), service=service)
    return page
