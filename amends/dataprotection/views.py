"""The service's data protection page: one place that leads to its settings, retention schedule, legal holds, people's
requests, disclosure log and sharing agreements. Each part shows its own section when the user may use it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from amends.accounts.access import signed_in_user
from amends.dataprotection import access


@require_safe
def service_data_protection(request: HttpRequest, service_id: int) -> HttpResponse:
    user = signed_in_user(request)
    service, allowed = access.get_hub_for_user(user, service_id)
    return render(request, "dataprotection/hub.html", {"service": service, "allowed": allowed})
