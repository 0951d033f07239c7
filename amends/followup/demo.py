"""A demo story of follow-up, told through the same services a facilitator uses (added to amends.cases.demo.STORIES).

The reoffending check counts only the 12 months before the process: the case entered following up today, and the
12 months after it cannot honestly be counted until a year from now.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from amends.accounts.models import Service
from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind
from amends.consent.models import ResponsibilityLevel
from amends.followup import services
from amends.followup.models import (
    Answer,
    OnwardReferral,
    OnwardStatus,
    ReoffendingSource,
    Satisfaction,
    SupportKind,
    SurveyMethod,
)
from amends.people.models import Participant
from amends.referrals.models import Initiator, JusticeStage, OffenceCategory

if TYPE_CHECKING:
    from amends.cases.demo import Staff


def bike_theft_followed_up(service: Service, staff: "Staff") -> None:
    """Shuttle mediation about a stolen bike, finished without a written agreement and now followed up: Ms Begum's
    survey taken by phone, Jordan referred to an employment scheme (and accepted), his offences before counted."""
    # The case stories' helpers; imported here because amends.cases.demo lists this story.
    from amends.cases import demo

    referral = demo._refer(
        service,
        staff,
        harmed={"given_name": "Nadia", "family_name": "Begum", "date_of_birth": datetime.date(1990, 8, 3)},
        responsible={"given_name": "Jordan", "family_name": "Price", "date_of_birth": datetime.date(2004, 2, 11)},
        offence=OffenceCategory.THEFT,
        stage=JusticeStage.OUT_OF_COURT,
        initiated_by=Initiator.PERSON_HARMED,
        days_ago=90,
        crime_reference="WA/18342/26",
        summary="Bike taken from outside Ms Begum's flat; she used it to get to her night shifts.",
    )
    case = demo._open(referral, staff)
    harmed, responsible = demo._participants(case)
    demo._reach(case, staff, harmed, "Wants Jordan to know she lost two shifts getting to work without it.")
    demo._reach(case, staff, responsible, "Sold the bike the same day; wants to explain, not to meet.")
    case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name="start_assessment")
    demo._choose(case, staff, ProcessKind.SHUTTLE)
    demo._responsibility(staff, responsible, ResponsibilityLevel.FULL, "I took it and sold it for twenty quid.")
    for participant in (harmed, responsible):
        demo._consent(staff, participant, ProcessKind.SHUTTLE)
        demo._assess(staff, participant, "No concerns found. The facilitator carries what each says.")
    for name in ("start_preparing", "schedule", "start_process", "finish_process"):
        case = case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=staff.facilitator, name=name)
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)
    today = timezone.localdate()
    services.record_survey(
        case=case,
        actor=staff.facilitator,
        participant=Participant.objects.get(pk=harmed.pk),
        taken_on=today,
        method=SurveyMethod.PHONE,
        answers=services.SurveyAnswers(
            satisfaction=Satisfaction.SATISFIED,
            felt_safe=Answer.YES,
            felt_heard=Answer.YES,
            felt_better=Answer.YES,
            fear_before=6,
            fear_after=2,
            better_able_to_cope=Answer.YES,
            better_able_to_recover=Answer.NOT_SURE,
            would_recommend=Answer.YES,
            comments="Hearing why he did it made it smaller. I still lock the new bike inside.",
            consent_to_quote=True,
        ),
    )
    referral_made = services.make_onward_referral(
        case=case,
        actor=staff.facilitator,
        participant=Participant.objects.get(pk=responsible.pk),
        support_kind=SupportKind.SKILLS_EMPLOYMENT,
        organisation="Western Works employment scheme",
        status=OnwardStatus.REFERRED,
        status_on=today,
        notes="Wants steady work; agreed to his details going to the scheme.",
    )
    services.update_onward_referral(
        referral=OnwardReferral.objects.select_related("case", "participant").get(pk=referral_made.pk),
        actor=staff.facilitator,
        status=OnwardStatus.ACCEPTED,
        status_on=today,
        notes="Induction booked.",
        expected_version=referral_made.version,
    )
    services.record_reoffending_check(
        case=case,
        actor=staff.facilitator,
        participant=Participant.objects.get(pk=responsible.pk),
        offences_before=2,
        source=ReoffendingSource.POLICE,
        checked_on=today,
    )
