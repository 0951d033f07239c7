"""The demo's follow-up story: a case in following up with a survey, an onward referral and a reoffending check."""

import pytest
from django.core.management import call_command

from amends.cases.models import Case, State, Task, TaskKind
from amends.followup.models import Answer, FeedbackSurvey, OnwardReferral, OnwardStatus, ReoffendingCheck
from amends.people.models import ParticipantRole
from amends.referrals.models import crime_reference_key

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_case_followed_up() -> None:
    call_command("load_demo", "--quiet-sign-ins")
    case = Case.objects.get(referral__crime_reference_key=crime_reference_key("WA/18342/26"))
    assert case.state == State.FOLLOWING_UP
    survey = FeedbackSurvey.objects.get(case=case)
    assert survey.participant.role == ParticipantRole.PERSON_HARMED
    assert survey.felt_better == Answer.YES
    assert OnwardReferral.objects.get(case=case).status == OnwardStatus.ACCEPTED
    check = ReoffendingCheck.objects.get(case=case)
    assert (check.offences_before, check.offences_after) == (2, None)
    assert Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP).count() == 2
