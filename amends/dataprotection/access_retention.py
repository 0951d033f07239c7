"""The way in to the retention schedule, its runs and legal holds: through the service (or the case), so a service or
case the user may not use answers 404 like one that does not exist."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.dataprotection import legal_holds
from amends.dataprotection.models import LegalHold, RecordType
from amends.permissions import Capability, can


def get_schedule_for_user(user: User, service_id: int) -> Service:
    """The service whose retention schedule (and its runs) is asked for: for those who manage its data protection."""
    return account_access.get_service_for_user(user, service_id, Capability.MANAGE_DATA_PROTECTION)


def record_type_or_404(value: str) -> RecordType:
    if value not in RecordType.values:
        raise Http404
    return RecordType(value)


def get_holds_for_user(user: User, service_id: int) -> Service:
    """The service whose legal holds are listed: for those who place holds or manage its data protection."""
    service = account_access.get_service_for_user(user, service_id, Capability.VIEW_SERVICE)
    if not (can(user, Capability.PLACE_LEGAL_HOLDS, service) or can(user, Capability.MANAGE_DATA_PROTECTION, service)):
        raise Http404
    return service


def view_holds_for_user(user: User, service_id: int) -> tuple[Service, list[LegalHold]]:
    """The service's legal holds in force, for display, their view recorded with how many were shown: each names its
    case and who placed it."""
    service = get_holds_for_user(user, service_id)
    holds = list(legal_holds.holds_in_force(service))
    record_list_view(actor=user, listed=Listed.LEGAL_HOLDS, count=len(holds), service=service)
    return service, holds


def get_case_to_hold_for_user(user: User, case_id: int) -> Case:
    """A case the user may see and place a legal hold on (a coordinator of its service)."""
    case = case_access.get_case_for_user(user, case_id)
    if not can(user, Capability.PLACE_LEGAL_HOLDS, case.service):
        raise Http404
    return case


def view_case_hold_for_user(user: User, case_id: int) -> tuple[Case, LegalHold | None]:
    """A case the user may hold, with the hold in force on it if any: a hold shown has its view recorded."""
    case = get_case_to_hold_for_user(user, case_id)
    hold = legal_holds.hold_in_force(case)
    if hold is not None:
        hold.case = case
        record_view(actor=user, target=hold, service=case.service)
    return case, hold


def get_hold_in_force_for_user(user: User, case_id: int) -> LegalHold:
    """The legal hold in force on a case the user may hold; 404 when there is none."""
    case = get_case_to_hold_for_user(user, case_id)
    hold = LegalHold.objects.filter(case=case, lifted_at__isnull=True).select_related("placed_by").first()
    if hold is None:
        raise Http404
    hold.case = case
    return hold
