"""The way in to an organisation's data protection settings for views: through one of its services, for those who
manage data protection there; anything else answers 404."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.dataprotection.models import ProcessingPurpose
from amends.permissions import Capability


def get_settings_for_user(user: User, service_id: int) -> Service:
    """The service (with its organisation) whose organisation's settings are asked for."""
    return account_access.get_service_for_user(user, service_id, Capability.MANAGE_DATA_PROTECTION)


def get_purpose_for_user(user: User, service_id: int, purpose_id: int) -> tuple[Service, ProcessingPurpose]:
    """One purpose of the service's organisation."""
    service = get_settings_for_user(user, service_id)
    purpose = ProcessingPurpose.objects.filter(pk=purpose_id, organisation_id=service.organisation_id).first()
    if purpose is None:
        raise Http404
    purpose.organisation = service.organisation
    return service, purpose
