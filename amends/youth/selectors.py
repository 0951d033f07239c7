"""Reads of referral orders, panels and court reports with everything their pages and the API show, in a fixed
number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from amends.accounts.models import Service
from amends.cases.models import Case, Task, TaskKind
from amends.meetings.models import Meeting, MeetingStatus
from amends.outcomes.models import AgreementAction, OutcomeAgreement
from amends.youth.models import Breach, CourtReport, PanelMember, PanelSeat, ReferralOrder
from amends.youth.services import PANEL_MEETINGS, reviews_due

SEATS = Prefetch("panel_seats", queryset=PanelSeat.objects.select_related("member").order_by("member__role", "pk"))


def panel_members_of(service: Service, *, in_use_only: bool = False) -> QuerySet[PanelMember]:
    members = PanelMember.objects.filter(service=service).order_by("name", "pk")
    return members.filter(in_use=True) if in_use_only else members


@dataclass
class ReferralOrderPage:
    case: Case
    order: ReferralOrder | None
    meetings: list[Meeting] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    agreement: OutcomeAgreement | None = None
    actions: list[AgreementAction] = field(default_factory=list)
    reviews: list[datetime.date] = field(default_factory=list)
    review_task: Task | None = None

    @property
    def held_meetings(self) -> list[Meeting]:
        return [meeting for meeting in self.meetings if meeting.status == MeetingStatus.HELD]


def referral_order_page(case: Case) -> ReferralOrderPage:
    """The order, the panel and review meetings with who sat, breaches, the contract (the outcome agreement and its
    actions) and the reviews still due."""
    order = (
        ReferralOrder.objects.filter(case=case)
        .select_related("recorded_by", "invitation_decided_by", "final_meeting", "final_recorded_by")
        .first()
    )
    page = ReferralOrderPage(case=case, order=order)
    page.meetings = list(
        Meeting.objects.filter(case=case, purpose__in=list(PANEL_MEETINGS))
        .select_related("venue")
        .prefetch_related(SEATS)
        .order_by("starts_at", "pk")
    )
    for meeting in page.meetings:
        meeting.case = case
    page.agreement = OutcomeAgreement.objects.filter(case=case).first()
    if page.agreement is not None:
        page.actions = list(
            AgreementAction.objects.filter(agreement=page.agreement)
            .select_related("owner__person")
            .order_by("due_on", "pk")
        )
    if order is None:
        return page
    order.case = case
    page.breaches = list(Breach.objects.filter(order=order).select_related("recorded_by"))
    held = [timezone.localdate(meeting.starts_at) for meeting in page.held_meetings]
    page.reviews = reviews_due(order, max(held) if held else None)
    page.review_task = (
        Task.objects.open().filter(case=case, kind=TaskKind.PANEL_REVIEW).select_related("assigned_to").first()
    )
    return page


@dataclass
class CourtReportPage:
    case: Case
    report: CourtReport | None
    task: Task | None


def court_report_page(case: Case) -> CourtReportPage:
    report = CourtReport.objects.filter(case=case).select_related("sent_by").first()
    task = Task.objects.open().filter(case=case, kind=TaskKind.COURT_REPORT).select_related("assigned_to").first()
    return CourtReportPage(case=case, report=report, task=task)
