"""The follow-up page and its forms: what they show, what they record, refusals that keep what was typed, closed
cases and supervisors, and a query count that does not grow with the data."""

import datetime
import re

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.followup import services
from amends.followup.models import (
    FeedbackSurvey,
    OnwardReferral,
    OnwardStatus,
    ReoffendingCheck,
    ReoffendingSource,
    SupportKind,
    SurveyMethod,
)
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.FOLLOWING_UP) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _url(built: BuiltCase, rest: str = "") -> str:
    return f"/cases/{built.case.pk}/follow-up/{rest}"


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d/%m/%Y")


def _close(personas: Personas, built: BuiltCase) -> None:
    case_services.transition_case(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.coordinator,
        name="close",
        closure_reason="completed_direct",
    )


SURVEY = {
    "taken_on": _day(),
    "method": SurveyMethod.PHONE,
    "satisfaction": "4",
    "felt_safe": "yes",
    "felt_heard": "",
    "fear_before": "7",
    "fear_after": "2",
    "better_able_to_cope": "not_sure",
    "better_able_to_recover": "",
    "would_recommend": "yes",
    "comments": "I can walk past the shop again.",
    "consent_to_quote": "on",
}


def test_the_page_shows_the_follow_up_contacts_and_records_the_view(personas: Personas) -> None:
    built = _case(personas)
    page = signed_in_client(personas.coordinator).get(_url(built)).content.decode()
    assert "Follow-up contact" in page
    assert "Reoffending check" in page
    assert "Record the feedback survey of Ann Harmed" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, target_id=str(built.case.pk), actor=personas.coordinator
    ).exists()


def test_it_records_a_survey_through_the_page(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(_url(built, f"participants/{built.harmed.pk}/survey/"), SURVEY)
    assert response.status_code == 302
    survey = FeedbackSurvey.objects.get()
    assert (survey.satisfaction, survey.felt_heard, survey.fear_after, survey.consent_to_quote) == (4, "", 2, True)
    page = client.get(_url(built)).content.decode()
    assert "I can walk past the shop again." in page
    assert "Not answered" in page


def test_it_asks_whether_they_feel_better_after_whether_they_felt_heard_and_shows_the_answer(
    personas: Personas,
) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    add = _url(built, f"participants/{built.harmed.pk}/survey/")
    form = client.get(add).content.decode()
    heard, better, afraid = (
        form.index(question)
        for question in (
            "Did they feel heard?",
            "Do they feel better for having taken part?",
            "How afraid of the other person were they before",
        )
    )
    assert heard < better < afraid
    assert client.post(add, {**SURVEY, "felt_better": "not_sure"}).status_code == 302
    survey = FeedbackSurvey.objects.get()
    assert survey.felt_better == "not_sure"
    page = client.get(_url(built)).content.decode()
    assert "Felt better for taking part" in page
    shown = page[page.index("Felt better for taking part") :]
    assert shown.index("Not sure") < shown.index("Better able to cope")
    edit = client.get(_url(built, f"surveys/{survey.pk}/edit/")).content.decode()
    assert re.search(r'name="felt_better" value="not_sure"[^>]* checked', edit)


def test_a_refused_survey_keeps_what_was_typed(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(_url(built, f"participants/{built.harmed.pk}/survey/"), {**SURVEY, "fear_after": "12"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "from 0 to 10" in page
    assert "I can walk past the shop again." in page
    assert not FeedbackSurvey.objects.exists()


def test_a_second_survey_is_refused_and_the_first_is_corrected(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    client.post(_url(built, f"participants/{built.harmed.pk}/survey/"), SURVEY)
    response = client.post(_url(built, f"participants/{built.harmed.pk}/survey/"), SURVEY)
    assert "already recorded" in response.content.decode()
    survey = FeedbackSurvey.objects.get()
    edit = _url(built, f"surveys/{survey.pk}/edit/")
    assert "I can walk past the shop again." in client.get(edit).content.decode()
    response = client.post(edit, {**SURVEY, "fear_after": "1", "version": survey.version})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.fear_after == 1


def test_it_records_reoffending_and_refuses_the_after_count_too_early(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    data = {
        "participant_id": built.responsible.pk,
        "process_on": _day(),
        "offences_before": "3",
        "offences_after": "1",
        "source": ReoffendingSource.PNC,
        "checked_on": _day(),
    }
    response = client.post(_url(built, "reoffending/add/"), data)
    assert response.status_code == 200
    assert "check again on or after" in response.content.decode()
    response = client.post(_url(built, "reoffending/add/"), {**data, "process_on": _day(-400)})
    assert response.status_code == 302
    assert "(-66.7%)" in client.get(_url(built)).content.decode()


def test_it_makes_and_updates_an_onward_referral_through_the_pages(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    data = {
        "participant_id": built.responsible.pk,
        "support_kind": SupportKind.HOUSING,
        "organisation": "",
        "status": OnwardStatus.REFERRED,
        "status_on": _day(),
        "notes": "Sofa-surfing since the summer.",
    }
    response = client.post(_url(built, "referrals/add/"), data)
    assert response.status_code == 200
    assert "Sofa-surfing since the summer." in response.content.decode()
    response = client.post(_url(built, "referrals/add/"), {**data, "organisation": "Stroud Housing Advice"})
    assert response.status_code == 302
    referral = OnwardReferral.objects.get()
    response = client.post(
        _url(built, f"referrals/{referral.pk}/update/"),
        {"status": OnwardStatus.ACCEPTED, "status_on": _day(), "notes": "Seen on Monday.", "version": 1},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.notes) == (OnwardStatus.ACCEPTED, "Seen on Monday.")
    assert "Stroud Housing Advice" in client.get(_url(built)).content.decode()


def test_a_closed_case_shows_its_follow_up_and_offers_only_the_reoffending_check(personas: Personas) -> None:
    built = _case(personas)
    services.make_onward_referral(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.facilitator,
        participant=built.harmed,
        support_kind=SupportKind.VICTIM_SUPPORT,
        organisation="Victim Support",
        status=OnwardStatus.SIGNPOSTED,
        status_on=timezone.localdate(),
    )
    _close(personas, built)
    client = signed_in_client(personas.coordinator)
    page = client.get(_url(built)).content.decode()
    assert "Victim Support" in page
    assert "Record the feedback survey" not in page
    assert "Signpost or refer to other support" not in page
    assert "Update" not in page.split('id="referrals"')[1].split("</table>")[0].split("</thead>")[1]
    assert "Record a reoffending check" in page
    response = client.post(_url(built, f"participants/{built.harmed.pk}/survey/"), SURVEY)
    assert "This case is closed." in response.content.decode()


def test_a_supervisor_reads_the_follow_up_without_its_forms(personas: Personas) -> None:
    built = _case(personas)
    case_services.allocate_case(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.coordinator,
        lead=personas.facilitator,
        supervisor=personas.supervisor,
    )
    client = signed_in_client(personas.supervisor)
    page = client.get(_url(built)).content.decode()
    assert "Feedback surveys" in page
    assert "Record a reoffending check" not in page
    assert "Record the feedback survey" not in page
    assert client.get(_url(built, "reoffending/add/")).status_code == 404


def _add_many(personas: Personas, built: BuiltCase, count: int) -> None:
    case = Case.objects.select_related("service").get(pk=built.case.pk)
    for participant in (built.harmed, built.responsible)[: min(count, 2)]:
        services.record_survey(
            case=case,
            actor=personas.facilitator,
            participant=participant,
            taken_on=timezone.localdate(),
            method=SurveyMethod.PAPER,
            answers=services.SurveyAnswers(fear_before=5),
        )
    for number in range(count):
        services.record_reoffending_check(
            case=case,
            actor=personas.facilitator,
            participant=built.responsible,
            offences_before=number,
            offences_after=0,
            process_on=timezone.localdate() - datetime.timedelta(days=800),
            source=ReoffendingSource.POLICE,
            checked_on=timezone.localdate(),
        )
        services.make_onward_referral(
            case=case,
            actor=personas.facilitator,
            participant=built.harmed,
            support_kind=SupportKind.MENTAL_HEALTH,
            organisation=f"Talking Therapies {number}",
            status=OnwardStatus.REFERRED,
            status_on=timezone.localdate(),
        )


def test_the_follow_up_page_runs_the_same_queries_with_little_data_or_much(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    one = _case(personas)
    _add_many(personas, one, 1)
    many = _case(personas)
    _add_many(personas, many, 6)
    assert ReoffendingCheck.objects.filter(case=many.case).count() == 6
    queries_for(client, _url(one))
    assert queries_for(client, _url(many)) == queries_for(client, _url(one))
