"""The youth and court API: the panel member register, a case's referral order (the decision whether to invite the
person harmed, who sits on each panel, breaches, the final meeting) and its report to the court."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.core.api_types import (
    Day,
    Id,
    LongStatement,
    LongText,
    ShortStatement,
    Version,
    VersionOrNew,
    WholeNumber,
    YesNo,
)
from amends.permissions import Capability, CaseAccess
from amends.youth import access, selectors, services
from amends.youth.models import (
    LONGEST_ORDER_MONTHS,
    SHORTEST_ORDER_MONTHS,
    Breach,
    CourtReport,
    DeclinedContribution,
    FinalOutcome,
    NotInvitedReason,
    PanelMember,
    PanelRole,
    ReferralOrder,
    VictimInvolvement,
)

router = Router(tags=["youth and court"])


# The panel member register.


class PanelMemberOut(Schema):
    id: int
    name: str
    role: str
    trained_on: datetime.date | None
    in_use: bool
    version: int


def panel_member_out(member: PanelMember) -> PanelMemberOut:
    return PanelMemberOut(
        id=member.pk,
        name=member.name,
        role=member.role,
        trained_on=member.trained_on,
        in_use=member.in_use,
        version=member.version,
    )


@router.get(
    "/services/{service_id}/panel-members",
    response={200: list[PanelMemberOut], **READ_ERRORS},
    summary="The service's register of referral-order panel members",
)
def list_panel_members(request: HttpRequest, service_id: int = path_id()) -> list[PanelMemberOut]:
    user = account_access.signed_in_user(request)
    service = access.get_panel_register_for_user(user, service_id)
    return [panel_member_out(member) for member in access.panel_member_list(user, service)]


class PanelMemberIn(Schema):
    name: ShortStatement
    role: PanelRole
    trained_on: Day | None = None
    in_use: YesNo = True


@router.post(
    "/services/{service_id}/panel-members",
    response={201: PanelMemberOut, **WRITE_ERRORS},
    summary="Add a panel member to the register (coordinators and administrators)",
)
def add_panel_member(
    request: HttpRequest, payload: PanelMemberIn, service_id: int = path_id()
) -> Status[PanelMemberOut]:
    user = account_access.signed_in_user(request)
    service = access.get_panel_register_for_user(user, service_id, Capability.MANAGE_PANEL_MEMBERS)
    member = services.save_panel_member(service=service, actor=user, details=payload.dict())
    return Status(201, panel_member_out(member))


class PanelMemberChangeIn(Schema):
    name: ShortStatement | None = None
    role: PanelRole | None = None
    trained_on: Day | None = None
    in_use: YesNo | None = None
    version: Version


@router.patch(
    "/services/{service_id}/panel-members/{member_id}",
    response={200: PanelMemberOut, **WRITE_ERRORS},
    summary="Change a panel member's entry (only the fields sent)",
)
def change_panel_member(
    request: HttpRequest, payload: PanelMemberChangeIn, service_id: int = path_id(), member_id: int = path_id()
) -> PanelMemberOut:
    user = account_access.signed_in_user(request)
    member = access.get_panel_member_for_user(user, service_id, member_id)
    details = {name: value for name, value in payload.dict(exclude={"version"}).items() if value is not None}
    member = services.save_panel_member(
        service=member.service, actor=user, member=member, details=details, expected_version=payload.version
    )
    return panel_member_out(member)


# The referral order.


class SeatOut(Schema):
    member_id: int
    name: str
    role: str


class PanelMeetingOut(Schema):
    meeting_id: int
    purpose: str
    status: str
    starts_at: datetime.datetime
    panel: list[SeatOut]


class BreachOut(Schema):
    id: int
    occurred_on: datetime.date
    what_happened: str
    referred_to_court: bool


class OrderOut(Schema):
    id: int
    made_on: datetime.date
    length_months: int
    ends_on: datetime.date
    court: str
    victim_involvement: VictimInvolvement = Field(
        description="The person harmed at the panel: not decided yet (empty), not invited, invited (answer awaited), "
        "attending, or declined to attend."
    )
    not_invited_reason: NotInvitedReason | Literal[""] = Field(description="Why not invited (only when not invited).")
    declined_contribution: DeclinedContribution | Literal[""] = Field(
        description="What they want instead of attending (only when they declined)."
    )
    invitation_reasons: str
    invitation_decided_at: datetime.datetime | None
    final_meeting_id: int | None
    final_outcome: str
    version: int


class ReferralOrderOut(Schema):
    case_id: int
    order: OrderOut | None
    panel_meetings: list[PanelMeetingOut]
    breaches: list[BreachOut]
    reviews_due: list[datetime.date]
    contract_agreement_id: int | None = Field(
        None, description="The contract is the case's outcome agreement: see /cases/{case_id}/agreement."
    )
    contract_action_ids: list[int]


def order_out(order: ReferralOrder) -> OrderOut:
    return OrderOut(
        id=order.pk,
        made_on=order.made_on,
        length_months=order.length_months,
        ends_on=order.ends_on,
        court=order.court,
        victim_involvement=VictimInvolvement(order.victim_involvement),
        not_invited_reason=NotInvitedReason(order.not_invited_reason) if order.not_invited_reason else "",
        declined_contribution=DeclinedContribution(order.declined_contribution) if order.declined_contribution else "",
        invitation_reasons=order.invitation_reasons,
        invitation_decided_at=order.invitation_decided_at,
        final_meeting_id=order.final_meeting_id,
        final_outcome=order.final_outcome,
        version=order.version,
    )


def breach_out(breach: Breach) -> BreachOut:
    return BreachOut(
        id=breach.pk,
        occurred_on=breach.occurred_on,
        what_happened=breach.what_happened,
        referred_to_court=breach.referred_to_court,
    )


def referral_order_out(page: selectors.ReferralOrderPage) -> ReferralOrderOut:
    return ReferralOrderOut(
        case_id=page.case.pk,
        order=order_out(page.order) if page.order else None,
        panel_meetings=[
            PanelMeetingOut(
                meeting_id=meeting.pk,
                purpose=meeting.purpose,
                status=meeting.status,
                starts_at=meeting.starts_at,
                panel=[
                    SeatOut(member_id=seat.member_id, name=seat.member.name, role=seat.member.role)
                    for seat in meeting.panel_seats.all()
                ],
            )
            for meeting in page.meetings
        ],
        breaches=[breach_out(breach) for breach in page.breaches],
        reviews_due=page.reviews,
        contract_agreement_id=page.agreement.pk if page.agreement else None,
        contract_action_ids=[action.pk for action in page.actions],
    )


def _order_answer(case_id: int, request: HttpRequest) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id)
    return referral_order_out(selectors.referral_order_page(case))


@router.get(
    "/cases/{case_id}/referral-order",
    response={200: ReferralOrderOut, **READ_ERRORS},
    summary="A case's referral order, its panel meetings and who sat, breaches, reviews due and the contract",
)
def get_referral_order(request: HttpRequest, case_id: int = path_id()) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    return referral_order_out(access.view_referral_order_for_user(user, case_id))


class OrderIn(Schema):
    made_on: Day
    length_months: Annotated[int, Field(ge=SHORTEST_ORDER_MONTHS, le=LONGEST_ORDER_MONTHS), WholeNumber]
    court: ShortStatement
    version: VersionOrNew


@router.post(
    "/cases/{case_id}/referral-order",
    response={200: ReferralOrderOut, **WRITE_ERRORS},
    summary="Record or correct the referral order (the review task follows it)",
)
def record_referral_order(request: HttpRequest, payload: OrderIn, case_id: int = path_id()) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    services.record_referral_order(
        case=case,
        actor=user,
        made_on=payload.made_on,
        length_months=payload.length_months,
        court=payload.court,
        expected_version=payload.version,
    )
    return _order_answer(case_id, request)


class InvolvementIn(Schema):
    involvement: Literal[
        VictimInvolvement.NOT_INVITED,
        VictimInvolvement.INVITED,
        VictimInvolvement.ATTENDING,
        VictimInvolvement.DECLINED,
    ]
    not_invited_reason: NotInvitedReason | None = Field(None, description="Needed when not invited; only then.")
    declined_contribution: DeclinedContribution | None = Field(
        None, description="Needed when they declined to attend; only then."
    )
    details: LongText = Field(
        "", description="Needed when not invited (the reasons), and when they want to take part another way (how)."
    )
    version: Version = Field(..., description="The referral order's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/referral-order/victim-invitation",
    response={200: ReferralOrderOut, **WRITE_ERRORS},
    summary="Record the part of the person harmed in the panel: not invited (and why), or invited and their answer",
)
def record_victim_involvement(
    request: HttpRequest, payload: InvolvementIn, case_id: int = path_id()
) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    services.record_victim_involvement(
        case=case,
        actor=user,
        involvement=payload.involvement,
        not_invited_reason=payload.not_invited_reason or "",
        declined_contribution=payload.declined_contribution or "",
        details=payload.details,
        expected_version=payload.version,
    )
    return _order_answer(case_id, request)


class SeatIn(Schema):
    member_ids: list[Id] = Field(..., min_length=1, max_length=20, description="Panel members of the register.")
    version: Version = Field(..., description="The meeting's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/referral-order/meetings/{meeting_id}/panel",
    response={200: ReferralOrderOut, **WRITE_ERRORS},
    summary="Choose who sits on a booked panel or review meeting (two community panel members and an officer)",
)
def seat_panel(
    request: HttpRequest, payload: SeatIn, case_id: int = path_id(), meeting_id: int = path_id()
) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_panel_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK)
    members = [
        access.get_panel_member_for_user(user, meeting.case.service_id, member_id, Capability.VIEW_PANEL_MEMBERS)
        for member_id in dict.fromkeys(payload.member_ids)
    ]
    services.seat_panel(meeting=meeting, actor=user, members=members, expected_version=payload.version)
    return _order_answer(case_id, request)


class BreachIn(Schema):
    occurred_on: Day
    what_happened: LongStatement
    referred_to_court: YesNo


@router.post(
    "/cases/{case_id}/referral-order/breaches",
    response={201: BreachOut, **WRITE_ERRORS},
    summary="Record a breach of the order, and whether the child was referred back to court",
)
def record_breach(request: HttpRequest, payload: BreachIn, case_id: int = path_id()) -> Status[BreachOut]:
    user = account_access.signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    breach = services.record_breach(
        case=case,
        actor=user,
        occurred_on=payload.occurred_on,
        what_happened=payload.what_happened,
        referred_to_court=payload.referred_to_court,
    )
    return Status(201, breach_out(breach))


class FinalIn(Schema):
    meeting_id: Id
    outcome: FinalOutcome
    version: Version = Field(..., description="The referral order's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/referral-order/final-meeting",
    response={200: ReferralOrderOut, **WRITE_ERRORS},
    summary="Record the outcome of the final panel meeting (held): order completed or breached",
)
def record_final_meeting(request: HttpRequest, payload: FinalIn, case_id: int = path_id()) -> ReferralOrderOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_panel_meeting_for_user(user, case_id, payload.meeting_id, CaseAccess.WORK)
    services.record_final_meeting(
        case=meeting.case,
        actor=user,
        meeting=meeting,
        outcome=payload.outcome,
        expected_version=payload.version,
    )
    return _order_answer(case_id, request)


# The report to the court.


class CourtReportOut(Schema):
    case_id: int
    pre_sentence: bool
    deferred_until: datetime.date | None
    due_on: datetime.date | None
    working_days_before: int | None
    days_until_due: int | None
    days_until_sentence: int | None
    sent_on: datetime.date | None
    summary: str
    version: int | None


def court_report_out(page: selectors.CourtReportPage) -> CourtReportOut:
    case, report = page.case, page.report
    today = timezone.localdate()
    scheduled: CourtReport | None = report if case.pre_sentence and case.deferred_until else None
    return CourtReportOut(
        case_id=case.pk,
        pre_sentence=case.pre_sentence,
        deferred_until=case.deferred_until,
        due_on=scheduled.due_on if scheduled else None,
        working_days_before=scheduled.working_days_before if scheduled else None,
        days_until_due=(scheduled.due_on - today).days if scheduled else None,
        days_until_sentence=(case.deferred_until - today).days if case.deferred_until else None,
        sent_on=scheduled.sent_on if scheduled else None,
        summary=scheduled.summary if scheduled else "",
        version=scheduled.version if scheduled else None,
    )


@router.get(
    "/cases/{case_id}/court-report",
    response={200: CourtReportOut, **READ_ERRORS},
    summary="The report to the court that deferred sentence: its deadline and whether it was sent",
)
def get_court_report(request: HttpRequest, case_id: int = path_id()) -> CourtReportOut:
    user = account_access.signed_in_user(request)
    return court_report_out(access.view_court_report_for_user(user, case_id))


class CourtReportIn(Schema):
    sent_on: Day
    summary: LongStatement
    version: Version = Field(..., description="The report's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/court-report/send",
    response={200: CourtReportOut, **WRITE_ERRORS},
    summary="Record the report as sent to the court (refused after the sentence date); its task is done",
)
def send_court_report(request: HttpRequest, payload: CourtReportIn, case_id: int = path_id()) -> CourtReportOut:
    user = account_access.signed_in_user(request)
    case = access.get_youth_case_for_user(user, case_id, CaseAccess.WORK)
    services.send_court_report(
        case=case, actor=user, sent_on=payload.sent_on, summary=payload.summary, expected_version=payload.version
    )
    return court_report_out(selectors.court_report_page(access.get_youth_case_for_user(user, case_id)))
