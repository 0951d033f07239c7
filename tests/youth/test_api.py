"""The youth and court API reads and writes what the pages do, and answers a refused rule with 409 and `detail`."""

import datetime

import pytest
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, Task, TaskKind
from tests.case_builders import build_case
from tests.personas import Personas
from tests.test_api_cases import SessionClient
from tests.youth.builders import book_panel, make_panel, referral_order_case

pytestmark = pytest.mark.django_db


def test_the_register_is_kept_through_the_api(personas: Personas) -> None:
    client = SessionClient(personas.coordinator)
    url = f"/services/{personas.service.pk}/panel-members"
    made = client.post(url, {"name": "Gwen Price", "role": "community", "trained_on": "2025-01-05"})
    assert made.status_code == 201, made.content
    member = made.json()
    changed = client.post(f"{url}/{member['id']}", {"in_use": False, "version": member["version"]}, method="patch")
    assert changed.status_code == 200
    assert changed.json()["in_use"] is False
    assert [row["name"] for row in client.get(url).json()] == ["Gwen Price"]
    refused = SessionClient(personas.facilitator).post(url, {"name": "Tom Hughes", "role": "community"})
    assert refused.status_code == 404


def test_the_order_its_decision_and_its_panel_through_the_api(personas: Personas) -> None:
    built = referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
    )
    client = SessionClient(personas.facilitator)
    url = f"/cases/{built.case.pk}/referral-order"
    made_on = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    refused = client.post(
        url, {"made_on": made_on, "length_months": 13, "court": "Gloucester Youth Court", "version": 0}
    )
    # The schema says 3 to 12 months: refused before the service sees it.
    assert (refused.status_code, refused.json()["detail"][0]["loc"][-1]) == (422, "length_months")
    answer = client.post(url, {"made_on": made_on, "length_months": 6, "court": "Gloucester Youth Court", "version": 0})
    assert answer.status_code == 200, answer.content
    assert answer.json()["order"]["length_months"] == 6
    assert len(answer.json()["reviews_due"]) == 2
    order_version = answer.json()["order"]["version"]
    no_reason = client.post(
        f"{url}/victim-invitation", {"involvement": "not_invited", "details": "She asked.", "version": order_version}
    )
    assert no_reason.status_code == 409
    assert no_reason.json()["field"] == "not_invited_reason"
    unknown = client.post(f"{url}/victim-invitation", {"involvement": "maybe", "version": order_version})
    assert unknown.status_code == 422
    decided = client.post(
        f"{url}/victim-invitation",
        {
            "involvement": "not_invited",
            "not_invited_reason": "asked_not_to_be_contacted",
            "details": "She asked.",
            "version": order_version,
        },
    )
    assert decided.status_code == 200, decided.content
    order = decided.json()["order"]
    assert (order["victim_involvement"], order["not_invited_reason"], order["declined_contribution"]) == (
        "not_invited",
        "asked_not_to_be_contacted",
        "",
    )
    declined = client.post(
        f"{url}/victim-invitation",
        {"involvement": "declined", "declined_contribution": "statement", "version": order["version"]},
    )
    assert declined.json()["order"]["declined_contribution"] == "statement"
    assert declined.json()["order"]["not_invited_reason"] == ""
    meeting = book_panel(built.case, personas.facilitator)
    gwen, tom, sara = make_panel(personas.service, personas.coordinator)
    short = client.post(
        f"{url}/meetings/{meeting.pk}/panel", {"member_ids": [gwen.pk, sara.pk], "version": meeting.version}
    )
    assert short.status_code == 409
    assert "two community panel members" in short.json()["detail"]
    stale = client.post(
        f"{url}/meetings/{meeting.pk}/panel", {"member_ids": [gwen.pk, tom.pk, sara.pk], "version": meeting.version + 1}
    )
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    seated = client.post(
        f"{url}/meetings/{meeting.pk}/panel", {"member_ids": [gwen.pk, tom.pk, sara.pk], "version": meeting.version}
    )
    assert seated.status_code == 200
    [panel_meeting] = seated.json()["panel_meetings"]
    assert {seat["name"] for seat in panel_meeting["panel"]} == {"Gwen Price", "Tom Hughes", "Sara Khan"}
    breach = client.post(
        f"{url}/breaches", {"occurred_on": made_on, "what_happened": "Missed sessions.", "referred_to_court": False}
    )
    assert breach.status_code == 201
    final = client.post(
        f"{url}/final-meeting",
        {"meeting_id": meeting.pk, "outcome": "completed", "version": declined.json()["order"]["version"]},
    )
    assert final.status_code == 409
    assert "held first" in final.json()["detail"]


def test_the_court_report_through_the_api(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    today = timezone.localdate()
    case_services.update_case_details(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.facilitator,
        details={
            "pre_sentence": True,
            "deferment_order_on": today,
            "deferred_until": today + datetime.timedelta(days=21),
        },
        expected_version=None,
    )
    client = SessionClient(personas.facilitator)
    url = f"/cases/{built.case.pk}/court-report"
    report = client.get(url).json()
    assert report["days_until_sentence"] == 21
    assert report["due_on"] < report["deferred_until"]
    sent = client.post(
        f"{url}/send", {"sent_on": today.isoformat(), "summary": "They met.", "version": report["version"]}
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["sent_on"] == today.isoformat()
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.COURT_REPORT).exists()
    again = client.post(
        f"{url}/send", {"sent_on": today.isoformat(), "summary": "Again.", "version": sent.json()["version"]}
    )
    assert again.status_code == 409
