"""The home page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from amends.accounts.access import services_visible_to, signed_in_user
from amends.accounts.models import Role
from amends.accounts.presenters import service_list_rows
from amends.accounts.selectors import compliance_of, own_facilitator_record
from amends.permissions import roles_in


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    services = [
        (service, sorted(roles_in(user, service), key=list(Role).index))
        for service in services_visible_to(user).order_by("name")
    ]
    record = own_facilitator_record(user)
    return render(
        request,
        "core/home.html",
        {
            "service_rows": service_list_rows(services),
            "record": record,
            "compliance": compliance_of(record) if record else None,
            "first_service": services[0][0] if services else None,
        },
    )


@login_not_required
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
