"""Browsing the audit: coordinators and administrators, in their own services."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from amends.accounts.access import signed_in_user
from amends.audit import presenters, selectors
from amends.audit.forms import AuditFilterForm
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.permissions import Capability, can_anywhere

PAGE_SIZE = 50


@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_anywhere(user, Capability.VIEW_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None, actors=selectors.audit_actors_visible_to(user))
    events = selectors.audit_events_visible_to(user)
    filters = {}
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
        events = selectors.audit_event_list(events, **filters)
    else:
        events = selectors.audit_event_list(events) if not form.is_bound else events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    used = {key: str(value) for key, value in filters.items() if value}
    with transaction.atomic():
        record_event(action=AuditAction.AUDIT_VIEWED, actor=user, changes={"filters": used} if used else {})
    return render(
        request, "audit/audit_list.html", {"form": form, "page": page, "rows": presenters.audit_rows(list(page))}
    )
