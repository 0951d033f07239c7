"""The follow-up API: the case's follow-up, and its writes with refusals as documented."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.followup import services as followup_services
from amends.followup.models import FeedbackSurvey, SurveyMethod
from tests.case_builders import BuiltCase, build_case
from tests.personas import Personas
from tests.test_api_cases import TokenClient

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.FOLLOWING_UP) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).isoformat()


def test_it_reads_the_follow_up_with_its_tasks(personas: Personas) -> None:
    built = _case(personas)
    body = TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/follow-up").json()
    assert body["process_on"] == _day()
    assert [task["kind"] for task in body["tasks"]] == ["follow_up", "follow_up", "reoffending_check"]
    assert (body["surveys"], body["reoffending_change"]) == ([], None)


def test_it_records_a_survey_with_answers_left_out_and_refuses_a_second(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    data = {"participant_id": built.harmed.pk, "taken_on": _day(), "method": "phone", "satisfaction": 5}
    made = client.post(f"/cases/{built.case.pk}/follow-up/surveys", data)
    assert made.status_code == 201
    assert (made.json()["satisfaction"], made.json()["felt_safe"], made.json()["fear_before"]) == (5, "", None)
    again = client.post(f"/cases/{built.case.pk}/follow-up/surveys", data)
    assert again.status_code == 409
    assert "already recorded" in again.json()["detail"]
    fear = client.post(
        f"/cases/{built.case.pk}/follow-up/surveys",
        {"participant_id": built.responsible.pk, "taken_on": _day(), "method": "paper", "fear_after": 11},
    )
    assert (fear.status_code, fear.json()["detail"][0]["loc"][-1]) == (422, "fear_after")
    # Satisfaction is a number in the schema: the text "3" is not taken for it.
    as_text = client.post(
        f"/cases/{built.case.pk}/follow-up/surveys",
        {"participant_id": built.responsible.pk, "taken_on": _day(), "method": "paper", "satisfaction": "3"},
    )
    assert (as_text.status_code, as_text.json()["detail"][0]["loc"][-1]) == (422, "satisfaction")


def test_it_records_whether_they_feel_better_and_reads_it_back(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    data = {"participant_id": built.harmed.pk, "taken_on": _day(), "method": "phone", "felt_better": "yes"}
    made = client.post(f"/cases/{built.case.pk}/follow-up/surveys", data)
    assert (made.status_code, made.json()["felt_better"]) == (201, "yes")
    body = client.get(f"/cases/{built.case.pk}/follow-up").json()
    assert [survey["felt_better"] for survey in body["surveys"]] == ["yes"]
    unanswered = client.post(
        f"/cases/{built.case.pk}/follow-up/surveys",
        {"participant_id": built.responsible.pk, "taken_on": _day(), "method": "paper"},
    )
    assert unanswered.json()["felt_better"] == ""
    wrong = client.post(
        f"/cases/{built.case.pk}/follow-up/surveys",
        {"participant_id": built.responsible.pk, "taken_on": _day(), "method": "paper", "felt_better": "maybe"},
    )
    assert wrong.status_code == 422


def test_it_records_reoffending_on_a_closed_case_and_computes_the_change(personas: Personas) -> None:
    built = _case(personas)
    case_services.transition_case(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.coordinator,
        name="close",
        closure_reason="completed_direct",
    )
    client = TokenClient(personas.coordinator)
    data = {
        "participant_id": built.responsible.pk,
        "offences_before": 4,
        "offences_after": 2,
        "source": "pnc",
        "checked_on": _day(),
    }
    early = client.post(f"/cases/{built.case.pk}/follow-up/reoffending-checks", data)
    assert early.status_code == 409
    assert "check again on or after" in early.json()["detail"]
    made = client.post(f"/cases/{built.case.pk}/follow-up/reoffending-checks", {**data, "process_on": _day(-400)})
    assert made.status_code == 201
    change = client.get(f"/cases/{built.case.pk}/follow-up").json()["reoffending_change"]
    assert (change["difference"], change["percent"]) == (-2, "-50.0")


def test_it_makes_and_updates_an_onward_referral_with_a_version_check(personas: Personas) -> None:
    built = _case(personas)
    client = TokenClient(personas.facilitator)
    made = client.post(
        f"/cases/{built.case.pk}/follow-up/onward-referrals",
        {
            "participant_id": built.harmed.pk,
            "support_kind": "victim_support",
            "organisation": "Victim Support",
            "status": "referred",
            "status_on": _day(),
        },
    )
    assert made.status_code == 201
    url = f"/cases/{built.case.pk}/follow-up/onward-referrals/{made.json()['id']}/status"
    assert client.post(url, {"status": "accepted", "status_on": _day(), "version": 1}).json()["version"] == 2
    stale = client.post(url, {"status": "completed", "status_on": _day(), "version": 1})
    assert stale.status_code == 409
    assert stale.json()["detail"]


def test_a_supervisor_reads_the_follow_up_but_cannot_write(personas: Personas) -> None:
    built = _case(personas)
    case_services.allocate_case(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.coordinator,
        lead=personas.facilitator,
        supervisor=personas.supervisor,
    )
    client = TokenClient(personas.supervisor)
    assert client.get(f"/cases/{built.case.pk}/follow-up").status_code == 200
    response = client.post(
        f"/cases/{built.case.pk}/follow-up/surveys",
        {"participant_id": built.harmed.pk, "taken_on": _day(), "method": "phone"},
    )
    assert response.status_code == 404


def _survey(personas: Personas, built: BuiltCase) -> FeedbackSurvey:
    return followup_services.record_survey(
        case=Case.objects.select_related("service").get(pk=built.case.pk),
        actor=personas.facilitator,
        participant=built.harmed,
        taken_on=timezone.localdate(),
        method=SurveyMethod.PHONE,
        answers=followup_services.SurveyAnswers(
            satisfaction=4, felt_safe="yes", fear_before=6, fear_after=3, comments="I can walk past the shop again."
        ),
    )


def _correction(built: BuiltCase, survey: FeedbackSurvey) -> str:
    return f"/cases/{built.case.pk}/follow-up/surveys/{survey.pk}/correction"


def _corrected(survey: FeedbackSurvey, **changes: object) -> dict[str, object]:
    """The correction page's fields as the survey holds them, with the changes."""
    return {
        "taken_on": survey.taken_on.isoformat(),
        "method": survey.method,
        "satisfaction": survey.satisfaction,
        "felt_safe": survey.felt_safe or None,
        "fear_before": survey.fear_before,
        "fear_after": survey.fear_after,
        "comments": survey.comments,
        "consent_to_quote": survey.consent_to_quote,
        "version": survey.version,
        **changes,
    }


def test_it_corrects_a_survey_and_audits_which_answers_changed(personas: Personas) -> None:
    built = _case(personas)
    survey = _survey(personas, built)
    response = TokenClient(personas.facilitator).post(
        _correction(built, survey), _corrected(survey, fear_after=1, method="in_person", felt_heard="yes")
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert (body["id"], body["fear_after"], body["method"], body["felt_heard"]) == (survey.pk, 1, "in_person", "yes")
    assert (body["satisfaction"], body["comments"], body["version"]) == (4, "I can walk past the shop again.", 2)
    saved = FeedbackSurvey.objects.get(pk=survey.pk)
    assert (saved.fear_after, saved.method, saved.felt_heard, saved.version) == (1, "in_person", "yes", 2)
    event = AuditEvent.objects.filter(action=AuditAction.SURVEY_RECORDED).order_by("-id").first()
    assert event is not None
    assert event.changes == {"corrected": ["fear_after", "felt_heard", "method"]}


def test_a_refused_or_stale_correction_changes_nothing(personas: Personas) -> None:
    built = _case(personas)
    survey = _survey(personas, built)
    client = TokenClient(personas.facilitator)
    fear = client.post(_correction(built, survey), _corrected(survey, fear_after=11))
    # The schema says 0 to 10: the request is refused before the service sees it.
    assert (fear.status_code, fear.json()["detail"][0]["loc"][-1]) == (422, "fear_after")
    future = client.post(_correction(built, survey), _corrected(survey, taken_on=_day(3)))
    assert (future.status_code, future.json()["field"]) == (409, "taken_on")
    stale = client.post(_correction(built, survey), _corrected(survey, fear_after=1, version=survey.version + 1))
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    saved = FeedbackSurvey.objects.get(pk=survey.pk)
    assert (saved.fear_after, saved.version) == (3, 1)
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_RECORDED).count() == 1


def test_only_the_case_team_may_correct_a_survey(personas: Personas) -> None:
    built = _case(personas)
    survey = _survey(personas, built)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    for user in (personas.other_facilitator, personas.supervisor, personas.commissioner):
        response = TokenClient(user).post(_correction(built, survey), _corrected(survey, fear_after=1))
        assert response.status_code == 404, user
    assert FeedbackSurvey.objects.get(pk=survey.pk).fear_after == 3
    assert AuditEvent.objects.filter(action=AuditAction.SURVEY_RECORDED).count() == 1
