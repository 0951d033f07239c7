"""Case pages."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from amends.accounts.access import signed_in_user
from amends.cases import access


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_case_for_user(signed_in_user(request), case_id)
    return HttpResponse(case.reference)
