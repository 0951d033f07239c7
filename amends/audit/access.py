"""The way in to the audit viewer: coordinators and administrators, in their own services; every page is audited."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404

from amends.accounts.models import User
from amends.audit import selectors
from amends.audit.models import AuditAction, AuditEvent
from amends.audit.services import record_event
from amends.permissions import Capability, can_anywhere


def audit_page(
    user: User, *, filters: dict[str, Any] | None, page_number: str | None, per_page: int
) -> Page[AuditEvent]:
    """One page of the events the user may see, newest first, filtered (None: the filters were refused, so none).

    Reading the audit is itself recorded, with the filters used and how many events were shown."""
    if not can_anywhere(user, Capability.VIEW_AUDIT):
        raise Http404
    events = selectors.audit_events_visible_to(user)
    events = events.none() if filters is None else selectors.audit_event_list(events, **filters)
    page = Paginator(events, per_page).get_page(page_number)
    page.object_list = list(page.object_list)
    used = {key: str(value) for key, value in (filters or {}).items() if value}
    changes: dict[str, Any] = {"filters": used} if used else {}
    with transaction.atomic():
        record_event(action=AuditAction.AUDIT_VIEWED, actor=user, changes={**changes, "count": len(page.object_list)})
    return page
