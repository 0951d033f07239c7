"""Browsing the audit: coordinators and administrators, in their own services."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from amends.accounts.access import signed_in_user
from amends.audit import access, presenters, selectors
from amends.audit.forms import AuditFilterForm
from amends.permissions import Capability, can_anywhere

PAGE_SIZE = 50


@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_anywhere(user, Capability.VIEW_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None, actors=selectors.audit_actors_visible_to(user))
    filters: dict[str, Any] | None = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor_id": data["actor"].pk if data["actor"] else None,
            "action": data["action"],
            "target_type": data["target_type"],
            "target_id": data["target_id"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    elif form.is_bound:
        filters = None
    page = access.audit_page(user, filters=filters, page_number=request.GET.get("page"), per_page=PAGE_SIZE)
    return render(
        request, "audit/audit_list.html", {"form": form, "page": page, "rows": presenters.audit_rows(list(page))}
    )
