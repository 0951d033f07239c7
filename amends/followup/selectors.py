"""Reads of a case's follow-up with everything its page and the API show, in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from amends.cases.models import Case, Task, TaskKind
from amends.followup.models import (
    FeedbackSurvey,
    OnwardReferral,
    ReoffendingChange,
    ReoffendingCheck,
    reoffending_change,
)
from amends.followup.services import process_date
from amends.people.models import Participant


@dataclass
class FollowUpPage:
    case: Case
    process_on: datetime.date | None
    participants: list[Participant]
    tasks: list[Task] = field(default_factory=list)
    surveys: list[FeedbackSurvey] = field(default_factory=list)
    checks: list[ReoffendingCheck] = field(default_factory=list)
    referrals: list[OnwardReferral] = field(default_factory=list)

    @property
    def change(self) -> ReoffendingChange | None:
        return reoffending_change(self.checks)

    def survey_of(self, participant: Participant) -> FeedbackSurvey | None:
        return next((survey for survey in self.surveys if survey.participant_id == participant.pk), None)


def follow_up_page(case: Case) -> FollowUpPage:
    """The case's follow-up and reoffending tasks, participants, surveys, reoffending checks and onward referrals."""
    participants = list(Participant.objects.filter(case=case).select_related("person").order_by("pk"))
    people = {participant.pk: participant for participant in participants}
    page = FollowUpPage(case=case, process_on=process_date(case), participants=participants)
    page.tasks = list(
        Task.objects.filter(case=case, kind__in=[TaskKind.FOLLOW_UP, TaskKind.REOFFENDING_CHECK])
        .select_related("assigned_to")
        .order_by("due_on", "pk")
    )
    page.surveys = list(FeedbackSurvey.objects.filter(case=case).select_related("taken_by").order_by("taken_on", "pk"))
    page.checks = list(
        ReoffendingCheck.objects.filter(case=case).select_related("checked_by").order_by("checked_on", "pk")
    )
    page.referrals = list(
        OnwardReferral.objects.filter(case=case).select_related("recorded_by").order_by("created_at", "pk")
    )
    # Participants are already read: share them rather than join them again.
    records: list[FeedbackSurvey | ReoffendingCheck | OnwardReferral] = [*page.surveys, *page.checks, *page.referrals]
    for record in records:
        record.participant = people[record.participant_id]
        record.case = case
    return page
