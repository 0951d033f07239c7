"""The follow-up API: a case's follow-up (tasks, surveys, reoffending checks and their change, onward referrals), and
the writes that record it or correct a survey."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.cases.models import Case
from amends.core.api_types import Day, Id, LongText, ShortStatement, Version, WholeNumber, YesNo
from amends.followup import access, selectors, services
from amends.followup.models import (
    FEAR_MAX,
    Answer,
    FeedbackSurvey,
    OnwardReferral,
    OnwardStatus,
    ReoffendingCheck,
    ReoffendingSource,
    Satisfaction,
    SupportKind,
    SurveyMethod,
)
from amends.permissions import CaseAccess

router = Router(tags=["follow-up"])

Offences = Annotated[int, Field(ge=0, le=999), WholeNumber]
Fear = Annotated[int, Field(ge=0, le=FEAR_MAX), WholeNumber]


class FollowUpTaskOut(Schema):
    id: int
    kind: str
    assigned_to_id: int
    due_on: datetime.date
    done: bool


class SurveyOut(Schema):
    id: int
    participant_id: int
    taken_on: datetime.date
    method: str
    taken_by_id: int | None = Field(
        description="The member of staff who took it; null when the participant answered it through their secure link."
    )
    satisfaction: int | None
    felt_safe: str
    felt_heard: str
    felt_better: str
    fear_before: int | None
    fear_after: int | None
    better_able_to_cope: str
    better_able_to_recover: str
    would_recommend: str
    comments: str
    consent_to_quote: bool
    version: int


class CheckOut(Schema):
    id: int
    participant_id: int
    process_on: datetime.date
    offences_before: int
    offences_after: int | None
    source: str
    checked_on: datetime.date
    checked_by_id: int


class ChangeOut(Schema):
    people: int
    before: int
    after: int
    difference: int
    percent: Decimal | None


class OnwardReferralOut(Schema):
    id: int
    participant_id: int
    support_kind: str
    organisation: str
    status: str
    status_on: datetime.date
    notes: str
    version: int


class FollowUpOut(Schema):
    case_id: int
    process_on: datetime.date | None
    tasks: list[FollowUpTaskOut]
    surveys: list[SurveyOut]
    reoffending_checks: list[CheckOut]
    reoffending_change: ChangeOut | None
    onward_referrals: list[OnwardReferralOut]


def survey_out(survey: FeedbackSurvey) -> SurveyOut:
    return SurveyOut(
        id=survey.pk,
        participant_id=survey.participant_id,
        taken_on=survey.taken_on,
        method=survey.method,
        taken_by_id=survey.taken_by_id,
        satisfaction=survey.satisfaction,
        felt_safe=survey.felt_safe,
        felt_heard=survey.felt_heard,
        felt_better=survey.felt_better,
        fear_before=survey.fear_before,
        fear_after=survey.fear_after,
        better_able_to_cope=survey.better_able_to_cope,
        better_able_to_recover=survey.better_able_to_recover,
        would_recommend=survey.would_recommend,
        comments=survey.comments,
        consent_to_quote=survey.consent_to_quote,
        version=survey.version,
    )


def check_out(check: ReoffendingCheck) -> CheckOut:
    return CheckOut(
        id=check.pk,
        participant_id=check.participant_id,
        process_on=check.process_on,
        offences_before=check.offences_before,
        offences_after=check.offences_after,
        source=check.source,
        checked_on=check.checked_on,
        checked_by_id=check.checked_by_id,
    )


def referral_out(referral: OnwardReferral) -> OnwardReferralOut:
    return OnwardReferralOut(
        id=referral.pk,
        participant_id=referral.participant_id,
        support_kind=referral.support_kind,
        organisation=referral.organisation,
        status=referral.status,
        status_on=referral.status_on,
        notes=referral.notes,
        version=referral.version,
    )


def follow_up_out(case: Case) -> FollowUpOut:
    page = selectors.follow_up_page(case)
    change = page.change
    return FollowUpOut(
        case_id=case.pk,
        process_on=page.process_on,
        tasks=[
            FollowUpTaskOut(
                id=task.pk,
                kind=task.kind,
                assigned_to_id=task.assigned_to_id,
                due_on=task.due_on,
                done=task.completed_at is not None,
            )
            for task in page.tasks
        ],
        surveys=[survey_out(survey) for survey in page.surveys],
        reoffending_checks=[check_out(check) for check in page.checks],
        reoffending_change=(
            ChangeOut(
                people=change.people,
                before=change.before,
                after=change.after,
                difference=change.difference,
                percent=change.percent,
            )
            if change is not None
            else None
        ),
        onward_referrals=[referral_out(referral) for referral in page.referrals],
    )


@router.get(
    "/cases/{case_id}/follow-up",
    response={200: FollowUpOut, **READ_ERRORS},
    summary="A case's follow-up: its tasks, feedback surveys, reoffending checks with their change, onward referrals",
)
def get_follow_up(request: HttpRequest, case_id: int = path_id()) -> FollowUpOut:
    user = account_access.signed_in_user(request)
    return follow_up_out(access.view_follow_up_case_for_user(user, case_id))


class SurveyFields(Schema):
    """A survey's date, how it was taken and its answers: what recording one and correcting one both send."""

    taken_on: Day
    method: SurveyMethod
    satisfaction: Annotated[Satisfaction, WholeNumber] | None = Field(
        None, description="1 very dissatisfied to 5 very satisfied; null: not answered."
    )
    felt_safe: Answer | None = None
    felt_heard: Answer | None = None
    felt_better: Answer | None = None
    fear_before: Fear | None = Field(None, description="0 to 10; null: not answered.")
    fear_after: Fear | None = Field(None, description="0 to 10; null: not answered.")
    better_able_to_cope: Answer | None = None
    better_able_to_recover: Answer | None = None
    would_recommend: Answer | None = None
    comments: LongText = ""
    consent_to_quote: YesNo = False

    def answers(self) -> services.SurveyAnswers:
        return services.SurveyAnswers(
            satisfaction=self.satisfaction,
            felt_safe=self.felt_safe or "",
            felt_heard=self.felt_heard or "",
            felt_better=self.felt_better or "",
            fear_before=self.fear_before,
            fear_after=self.fear_after,
            better_able_to_cope=self.better_able_to_cope or "",
            better_able_to_recover=self.better_able_to_recover or "",
            would_recommend=self.would_recommend or "",
            comments=self.comments,
            consent_to_quote=self.consent_to_quote,
        )


class SurveyIn(SurveyFields):
    participant_id: Id
    # Online is only the participant answering through their secure link.
    method: Literal[SurveyMethod.PHONE, SurveyMethod.PAPER, SurveyMethod.IN_PERSON]


@router.post(
    "/cases/{case_id}/follow-up/surveys",
    response={201: SurveyOut, **WRITE_ERRORS},
    summary="Record a participant's feedback survey (once each, for those who took part)",
    description="Only while the agreement is monitored or in follow-up (409 otherwise). Every answer may be null.",
)
def record_survey(request: HttpRequest, payload: SurveyIn, case_id: int = path_id()) -> Status[SurveyOut]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, payload.participant_id, CaseAccess.WORK)
    survey = services.record_survey(
        case=participant.case,
        actor=user,
        participant=participant,
        taken_on=payload.taken_on,
        method=payload.method,
        answers=payload.answers(),
    )
    return Status(201, survey_out(survey))


class SurveyCorrectionIn(SurveyFields):
    """The survey as it should read: every field of the correction page, replacing what was recorded."""

    version: Version = Field(..., description="The survey's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/follow-up/surveys/{survey_id}/correction",
    response={200: SurveyOut, **WRITE_ERRORS},
    summary="Correct a feedback survey as it was taken (every answer is replaced; null: not answered)",
    description="Only while the agreement is monitored or in follow-up (409 otherwise).",
)
def correct_survey(
    request: HttpRequest, payload: SurveyCorrectionIn, case_id: int = path_id(), survey_id: int = path_id()
) -> SurveyOut:
    user = account_access.signed_in_user(request)
    survey = access.get_survey_for_user(user, case_id, survey_id, CaseAccess.WORK)
    survey = services.correct_survey(
        survey=survey,
        actor=user,
        taken_on=payload.taken_on,
        method=payload.method,
        answers=payload.answers(),
        expected_version=payload.version,
    )
    return survey_out(survey)


class CheckIn(Schema):
    participant_id: Id = Field(..., description="A person responsible in the case.")
    process_on: Day | None = Field(None, description="Default: the day the case entered following up.")
    offences_before: Offences = Field(..., description="Proven offences counted.")
    offences_after: Offences | None = Field(
        None, description="Only once 12 months have passed since the process date (409 otherwise)."
    )
    source: ReoffendingSource
    checked_on: Day


@router.post(
    "/cases/{case_id}/follow-up/reoffending-checks",
    response={201: CheckOut, **WRITE_ERRORS},
    summary="Record a reoffending check of a person responsible (closed cases too)",
)
def record_reoffending_check(request: HttpRequest, payload: CheckIn, case_id: int = path_id()) -> Status[CheckOut]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, payload.participant_id, CaseAccess.WORK)
    check = services.record_reoffending_check(
        case=participant.case,
        actor=user,
        participant=participant,
        process_on=payload.process_on,
        offences_before=payload.offences_before,
        offences_after=payload.offences_after,
        source=payload.source,
        checked_on=payload.checked_on,
    )
    return Status(201, check_out(check))


class OnwardReferralIn(Schema):
    participant_id: Id
    support_kind: SupportKind
    organisation: ShortStatement
    status: Literal[OnwardStatus.SIGNPOSTED, OnwardStatus.REFERRED] = Field(..., description="Signposted or referred.")
    status_on: Day
    notes: LongText = ""


@router.post(
    "/cases/{case_id}/follow-up/onward-referrals",
    response={201: OnwardReferralOut, **WRITE_ERRORS},
    summary="Signpost or refer a participant to other support (open cases only)",
)
def make_onward_referral(
    request: HttpRequest, payload: OnwardReferralIn, case_id: int = path_id()
) -> Status[OnwardReferralOut]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, payload.participant_id, CaseAccess.WORK)
    referral = services.make_onward_referral(
        case=participant.case,
        actor=user,
        participant=participant,
        support_kind=payload.support_kind,
        organisation=payload.organisation,
        status=payload.status,
        status_on=payload.status_on,
        notes=payload.notes,
    )
    return Status(201, referral_out(referral))


class OnwardUpdateIn(Schema):
    status: OnwardStatus
    status_on: Day
    notes: LongText | None = Field(None, description="Replaces the notes when given.")
    version: Version = Field(..., description="The referral's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/follow-up/onward-referrals/{referral_id}/status",
    response={200: OnwardReferralOut, **WRITE_ERRORS},
    summary="Record what came of an onward referral: accepted, declined or completed",
)
def update_onward_referral(
    request: HttpRequest, payload: OnwardUpdateIn, case_id: int = path_id(), referral_id: int = path_id()
) -> OnwardReferralOut:
    user = account_access.signed_in_user(request)
    referral = access.get_onward_referral_for_user(user, case_id, referral_id, CaseAccess.WORK)
    referral = services.update_onward_referral(
        referral=referral,
        actor=user,
        status=payload.status,
        status_on=payload.status_on,
        notes=payload.notes,
        expected_version=payload.version,
    )
    return referral_out(referral)
