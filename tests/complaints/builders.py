"""Complaints made through the service, as a coordinator records them."""

import datetime
from typing import Any

from django.utils import timezone

from amends.accounts.models import Service, User
from amends.complaints import services
from amends.complaints.models import Channel, Complaint, ComplaintKind, FromRole


def record(service: Service, coordinator: User, **details: Any) -> Complaint:
    """A complaint received today from the person harmed, answered by the coordinator, unless `details` say else."""
    values: dict[str, Any] = {
        "kind": ComplaintKind.COMPLAINT,
        "received_on": timezone.localdate(),
        "channel": Channel.PHONE,
        "from_role": FromRole.PERSON_HARMED,
        "summary": "Nobody called me back after the first visit.",
        "handler": coordinator,
    }
    values.update(details)
    if values["kind"] != ComplaintKind.COMPLAINT and "handler" not in details:
        values["handler"] = None
    return services.record_complaint(service=service, actor=coordinator, **values)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
