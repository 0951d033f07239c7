"""The home page, the health check, and the answer to a request Django could not read."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.http import require_safe

from amends.accounts.access import services_visible_to, signed_in_user
from amends.accounts.models import Role
from amends.accounts.presenters import service_list_rows
from amends.accounts.selectors import compliance_of, own_facilitator_record
from amends.core import plain
from amends.core.heartbeat import WorkerHealth, worker_health
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
    """For load balancers: 200 while the database answers, 503 when it does not. The task worker's heartbeat is
    reported too; with ?worker=1 (the worker's own check) a late or unknown worker also answers 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        worker = worker_health()
    except DatabaseError:
        body = {"status": "unavailable", "database": "unreachable", "worker": WorkerHealth.UNKNOWN.value}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(plain.RETRY_AFTER_SECONDS)
        return response
    worker_checked = request.GET.get("worker") == "1"
    well = worker is WorkerHealth.OK
    body = {"status": "ok" if well else "degraded", "database": "ok", "worker": worker.value}
    return JsonResponse(body, status=503 if worker_checked and not well else 200)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (a request it will not read: a Host it does not serve, a body it cannot parse), as JSON on the
    API; a body too large to read answers 413, as RequestTooLargeMiddleware answers most of them."""
    if isinstance(exception, RequestDataTooBig):
        return plain.too_large(request)
    if plain.is_api(request):
        return plain.unreadable(request)
    return defaults.bad_request(request, exception)
