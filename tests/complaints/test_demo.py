"""The demo's complaints register: one answered and escalated, one overdue, one just received, and a compliment."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from amends.cases.models import Task, TaskKind
from amends.complaints.models import Complaint, ComplaintKind, EscalatedTo, Outcome

pytestmark = pytest.mark.django_db


def test_the_demo_service_has_complaints_and_a_compliment() -> None:
    call_command("load_demo", "--quiet-sign-ins")
    complaints = list(Complaint.objects.filter(kind=ComplaintKind.COMPLAINT).select_related("case__referral"))
    assert len(complaints) == 3
    answered = next(complaint for complaint in complaints if complaint.is_answered)
    assert answered.outcome == Outcome.PARTLY_UPHELD
    assert answered.answered_in_time
    assert answered.escalated_to == EscalatedTo.ORGANISATION
    assert answered.case is not None
    assert answered.case.referral.crime_reference == "WA/24871/26"
    overdue = [complaint for complaint in complaints if complaint.is_overdue(timezone.localdate())]
    assert len(overdue) == 1
    assert overdue[0].case is not None
    task = Task.objects.open().get(kind=TaskKind.COMPLAINT)
    assert (task.case, task.referral, task.due_on) == (None, None, overdue[0].due_on)
    assert not Task.objects.filter(kind=TaskKind.COMPLAINT, case__isnull=False).exists()
    assert Complaint.objects.filter(kind=ComplaintKind.COMPLIMENT).count() == 1
    call_command("load_demo", "--quiet-sign-ins")
    assert Complaint.objects.count() == 4
