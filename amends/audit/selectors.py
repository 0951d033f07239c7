"""Reads of the audit for the people allowed to browse it."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.audit.models import AuditAction, AuditEvent
from amends.permissions import Capability, service_ids_with

# Events that belong to no service but to a person's account: their current services' coordinators see them.
ACCOUNT_ACTIONS = (
    AuditAction.SIGNED_IN,
    AuditAction.SIGN_IN_FAILED,
    AuditAction.SIGNED_OUT,
    AuditAction.PASSWORD_CHANGED,
    AuditAction.PASSWORD_RESET,
    AuditAction.SECOND_FACTOR_ADDED,
    AuditAction.SECOND_FACTOR_REMOVED,
    AuditAction.RECOVERY_CODES_RENEWED,
    # A list across the person's services (their dashboard, the API's case list) is recorded without one.
    AuditAction.LIST_VIEWED,
)


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """Events in the services where the user may view the audit, and sign-in events of those services' people."""
    service_ids = service_ids_with(user, Capability.VIEW_AUDIT)
    if not service_ids:
        return AuditEvent.objects.none()
    people = Membership.objects.current().filter(service_id__in=service_ids).values("user_id")
    return AuditEvent.objects.filter(
        Q(service_id__in=service_ids) | Q(service__isnull=True, actor_id__in=people, action__in=ACCOUNT_ACTIONS)
    )


def audit_actors_visible_to(user: User) -> QuerySet[User]:
    """People whose actions the user may filter the audit by."""
    service_ids = service_ids_with(user, Capability.VIEW_AUDIT)
    return (
        User.objects.filter(memberships__service_id__in=service_ids, memberships__ended_at__isnull=True)
        .distinct()
        .order_by("full_name")
    )


def audit_event_list(
    events: QuerySet[AuditEvent],
    *,
    actor_id: int | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Filter the events, newest first, with what the list shows loaded in the same query."""
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone))
    if date_to:
        start_of_next_day = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        events = events.filter(occurred_at__lt=start_of_next_day)
    return events.select_related("actor", "service").order_by("-id")
