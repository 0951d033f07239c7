"""Reads for the public pages of each service, each in a fixed number of queries."""

from django.db.models import QuerySet
from django.http import Http404

from amends.accounts.models import Service


def public_service_list() -> QuerySet[Service]:
    """Every service, by name, for the list of services."""
    return Service.objects.order_by("name")


def public_service_or_404(code: str, *, with_hours: bool = False) -> Service:
    service = public_service(code, with_hours=with_hours)
    if service is None:
        raise Http404
    return service


def public_service(code: str, *, with_hours: bool = False) -> Service | None:
    """The service whose reference prefix is `code` in any case (None when there is none), with its organisation,
    and its opening hours when asked for."""
    services = Service.objects.select_related("organisation").filter(code__iexact=code)
    if with_hours:
        services = services.prefetch_related("opening_hours")
    return services.first()
