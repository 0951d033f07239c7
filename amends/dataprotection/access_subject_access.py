"""The way in to a subject access export: a request to see their information, of the user's service, once a
coordinator has approved it. Anything else (another service's request, another kind, one not yet approved or
refused) answers 404, as a missing request does."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import User
from amends.audit.reads import record_view
from amends.dataprotection.models import RightsRequest, RightsRequestKind, RightsRequestStatus
from amends.permissions import Capability

# The export exists once the request is approved, and stays for the record once it is completed.
EXPORTABLE_STATUSES = (RightsRequestStatus.APPROVED, RightsRequestStatus.COMPLETED)


def get_access_request_for_user(user: User, service_id: int, request_id: int) -> RightsRequest:
    """An approved or completed subject access request of the service, for a coordinator who decides requests."""
    service = account_access.get_service_for_user(user, service_id, Capability.DECIDE_RIGHTS_REQUESTS)
    rights_request = (
        RightsRequest.objects.filter(
            pk=request_id,
            service=service,
            person__service=service,
            kind=RightsRequestKind.ACCESS,
            status__in=[status.value for status in EXPORTABLE_STATUSES],
        )
        .select_related("person")
        .first()
    )
    if rights_request is None:
        raise Http404
    rights_request.service = service
    return rights_request


def view_access_request_for_user(user: User, service_id: int, request_id: int) -> RightsRequest:
    """A subject access request whose export is previewed: the view is recorded."""
    rights_request = get_access_request_for_user(user, service_id, request_id)
    record_view(actor=user, target=rights_request, service=rights_request.service)
    return rights_request
