"""Reads of the complaints register for its pages and the API, in a fixed number of queries."""

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from amends.accounts.models import Service
from amends.cases.models import Task, TaskKind
from amends.complaints.models import Complaint, ComplaintKind


class Show(enum.StrEnum):
    """Which part of the register a list shows."""

    ALL = "all"
    OPEN = "open"
    ANSWERED = "answered"


SHOWN = {
    Show.ALL: Q(),
    Show.OPEN: Q(kind=ComplaintKind.COMPLAINT, responded_on__isnull=True),
    Show.ANSWERED: Q(kind=ComplaintKind.COMPLAINT, responded_on__isnull=False),
}


def complaint_list(service: Service, show: Show = Show.ALL) -> QuerySet[Complaint]:
    """The service's complaints, compliments and other feedback, newest first, with what a row of the register
    shows (the case's reference and the handler's name)."""
    return (
        Complaint.objects.filter(SHOWN[show], service=service)
        .select_related("case", "handler")
        .order_by("-received_on", "-pk")
    )


@dataclass
class ComplaintPage:
    complaint: Complaint
    task: Task | None


def complaint_page(complaint: Complaint) -> ComplaintPage:
    """The complaint, and while it waits for an answer, its handler's open task for the service's complaints (about
    the service, never the case)."""
    task = None
    if complaint.is_open and complaint.handler_id is not None:
        task = (
            Task.objects.open()
            .filter(
                service_id=complaint.service_id,
                case=None,
                referral=None,
                kind=TaskKind.COMPLAINT,
                assigned_to_id=complaint.handler_id,
            )
            .select_related("assigned_to")
            .first()
        )
    return ComplaintPage(complaint=complaint, task=task)
