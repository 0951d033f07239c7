"""The way in to the data protection pages: through the service, so a service the user may not use answers 404.
Each part keeps its own fetch-or-404 helpers beside it (access_<part>.py)."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.permissions import Capability, can

# Whoever holds one of these in the service reaches the data protection page; each section checks its own.
HUB_CAPABILITIES = (
    Capability.MANAGE_DATA_PROTECTION,
    Capability.VIEW_DISCLOSURES,
    Capability.RECORD_DISCLOSURES,
    Capability.RECORD_RIGHTS_REQUESTS,
    Capability.DECIDE_RIGHTS_REQUESTS,
    Capability.PLACE_LEGAL_HOLDS,
)


def get_hub_for_user(user: User, service_id: int) -> tuple[Service, dict[str, bool]]:
    """The service and which of HUB_CAPABILITIES the user holds in it; 404 when none."""
    service = account_access.get_service_for_user(user, service_id, Capability.VIEW_SERVICE)
    allowed = {capability.value: can(user, capability, service) for capability in HUB_CAPABILITIES}
    if not any(allowed.values()):
        raise Http404
    return service, allowed


def shows_hub(user: User, service: Service) -> bool:
    return any(can(user, capability, service) for capability in HUB_CAPABILITIES)
