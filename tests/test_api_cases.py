"""The case workflow through the JSON API: the same access rules, services and gates as the pages."""

import datetime
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.utils import timezone

from amends.accounts import tokens
from amends.accounts.models import PersonalAccessToken, User
from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State, TaskKind
from amends.cases.services import create_task
from amends.consent.models import InformationItem
from tests.case_builders import build_case, make_trained
from tests.conftest import signed_in_client
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET
from tests.personas import Personas

pytestmark = pytest.mark.django_db

API = "/api/v1"


class TokenClient:
    """A client that sends a personal access token and JSON, as a program would."""

    def __init__(self, user: User) -> None:
        _token, self.plain = tokens.create_access_token(user=user, name="Test", days=30)
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get(API + path, headers={"Authorization": f"Bearer {self.plain}"})

    def post(self, path: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
        send = getattr(self.client, method)
        return send(
            API + path, body or {}, content_type="application/json", headers={"Authorization": f"Bearer {self.plain}"}
        )


class SessionClient:
    """A signed-in browser session that sends its CSRF token, as the pages' scripts would."""

    def __init__(self, user: User) -> None:
        self.client = signed_in_client(user)
        self.client.handler.enforce_csrf_checks = True
        self.client.get("/account/tokens/")
        self.csrf = self.client.cookies["csrftoken"].value

    def get(self, path: str) -> Any:
        return self.client.get(API + path)

    def post(self, path: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
        send = getattr(self.client, method)
        return send(API + path, body or {}, content_type="application/json", headers={"X-CSRFToken": self.csrf})


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def _now() -> str:
    return (timezone.now() - datetime.timedelta(minutes=2)).isoformat()


def _today() -> str:
    return timezone.localdate().isoformat()


def _move(client: Any, case_id: int, name: str, **extra: Any) -> dict[str, Any]:
    version = _ok(client.get(f"/cases/{case_id}"))["version"]
    return _ok(client.post(f"/cases/{case_id}/transitions", {"name": name, "version": version, **extra}))


def test_it_takes_a_referral_to_a_completed_case(personas: Personas) -> None:
    referrer = TokenClient(personas.referrer)
    coordinator = SessionClient(personas.coordinator)
    facilitator = TokenClient(personas.facilitator)
    service_id = personas.service.pk

    referral = _ok(
        referrer.post(
            f"/services/{service_id}/referrals",
            {
                "source": "police",
                "offence_category": "burglary",
                "justice_stage": "pre_charge",
                "initiated_by": "person_harmed",
                "setting": "criminal_justice",
                "reported_on": _today(),
                "people": [
                    {"role": "person_harmed", "given_name": "Ann", "family_name": "Harmed"},
                    {"role": "person_responsible", "given_name": "Rob", "family_name": "Responsible"},
                ],
            },
        ),
        201,
    )
    # The referrer sees its status, and nothing about the people in it.
    assert referral["full"] is False
    assert referral["people"] is None
    queue = _ok(coordinator.get(f"/services/{service_id}/referrals"))
    assert [item["id"] for item in queue] == [referral["id"]]
    triaged = _ok(
        coordinator.post(
            f"/referrals/{referral['id']}/triage",
            {"decision": "accept", "reason": "Within scope", "version": referral["version"]},
        )
    )
    case_id = triaged["case"]["id"]
    assert triaged["referral"]["decision"] == "accepted"

    make_trained(personas.facilitator)
    allocated = _ok(
        coordinator.post(
            f"/cases/{case_id}/allocation", {"lead_id": personas.facilitator.pk, "version": triaged["case"]["version"]}
        )
    )
    assert allocated["state"] == State.ALLOCATED

    _ok(facilitator.post(f"/cases/{case_id}/conflict-declarations", {"has_conflict": False}), 201)
    _move(facilitator, case_id, "start_contact")
    participants = _ok(facilitator.get(f"/cases/{case_id}/participants"))
    harmed = next(p for p in participants if p["role"] == "person_harmed")["id"]
    responsible = next(p for p in participants if p["role"] == "person_responsible")["id"]
    _ok(
        facilitator.post(
            f"/cases/{case_id}/participants/{harmed}/contacts",
            {"occurred_at": _now(), "channel": "phone", "outcome": "spoke"},
        ),
        201,
    )
    for participant in (harmed, responsible):
        _ok(
            facilitator.post(
                f"/cases/{case_id}/participants/{participant}/information",
                {"items": list(InformationItem.values), "given_on": _today(), "format": "in_person"},
            ),
            201,
        )
    _move(facilitator, case_id, "start_assessment")
    version = _ok(facilitator.get(f"/cases/{case_id}"))["version"]
    _ok(facilitator.post(f"/cases/{case_id}", {"version": version, "process_kind": "face_to_face"}, method="patch"))
    _ok(
        facilitator.post(
            f"/cases/{case_id}/participants/{responsible}/responsibility",
            {"basis": "admission", "level": "full", "in_their_words": "I did it.", "recorded_on": _today()},
        ),
        201,
    )
    for participant in (harmed, responsible):
        _ok(
            facilitator.post(
                f"/cases/{case_id}/participants/{participant}/consents",
                {
                    "scopes": ["take_part"],
                    "process_kinds": ["face_to_face"],
                    "method": "written",
                    "evidence": "Signed form on file",
                    "occurred_at": _now(),
                },
            ),
            201,
        )
        _ok(
            facilitator.post(
                f"/cases/{case_id}/participants/{participant}/risk-assessments",
                {
                    "narrative": "No concerns.",
                    "outcome": "suitable",
                    "review_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
                },
            ),
            201,
        )
    case = _ok(facilitator.get(f"/cases/{case_id}"))
    assert all(gate["holds"] for gate in case["gates"])
    _move(facilitator, case_id, "start_preparing")
    # The coordinator keeps the venue register; booking the conference schedules the case.
    venue = _ok(
        coordinator.post(
            f"/services/{service_id}/venues",
            {"name": "Riverside Community Centre", "address": "1 Quay Street", "separate_waiting_rooms": True},
        ),
        201,
    )
    start = timezone.localtime() + datetime.timedelta(days=2)
    meeting = _ok(
        facilitator.post(
            f"/cases/{case_id}/meetings",
            {
                "purpose": "restorative",
                "starts_at": start.replace(hour=10, minute=0, second=0, microsecond=0).isoformat(),
                "duration_minutes": 90,
                "attendee_ids": [harmed, responsible],
                "venue_id": venue["id"],
            },
        ),
        201,
    )
    assert {attendee["party"] for attendee in meeting["attendees"]} == {"harmed", "responsible", "staff"}
    assert _ok(facilitator.get(f"/cases/{case_id}"))["state"] == "scheduled"
    _move(facilitator, case_id, "start_process")
    # The agreement, both principals' agreement to it and one action, verified complete, before the steps that ask.
    _ok(
        facilitator.post(
            f"/cases/{case_id}/agreement", {"made_on": _today(), "summary": "Rob will say sorry.", "version": 0}
        )
    )
    for participant in (harmed, responsible):
        _ok(
            facilitator.post(
                f"/cases/{case_id}/agreement/participant-agreements",
                {"participant_id": participant, "agreed_on": _today(), "method": "in_person"},
            ),
            201,
        )
    version = _ok(facilitator.get(f"/cases/{case_id}"))["version"]
    refused = facilitator.post(f"/cases/{case_id}/transitions", {"name": "record_agreement", "version": version})
    assert refused.status_code == 409
    assert [item["guard"] for item in refused.json()["missing"]] == ["agreement_made"]
    apology = _ok(
        facilitator.post(
            f"/cases/{case_id}/agreement/actions",
            {"kind": "apology", "description": "A letter to Ann.", "owner_id": responsible, "due_on": _today()},
        ),
        201,
    )
    _move(facilitator, case_id, "record_agreement")
    verified = _ok(
        facilitator.post(
            f"/cases/{case_id}/agreement/actions/{apology['id']}/verification",
            {"completed": True, "note": "Letter read.", "version": apology["version"]},
        )
    )
    assert verified["status"] == "completed"
    agreement = _ok(facilitator.get(f"/cases/{case_id}/agreement"))
    assert [action["status"] for action in agreement["actions"]] == ["completed"]
    assert {record["participant_id"] for record in agreement["agreed"]} == {harmed, responsible}
    _move(facilitator, case_id, "finish_monitoring")
    closed = _move(coordinator, case_id, "close", closure_reason="completed_direct")
    assert closed["state"] == State.CLOSED
    assert closed["closure_reason"] == "completed_direct"
    timeline = _ok(coordinator.get(f"/cases/{case_id}/timeline"))
    assert timeline[0]["to_state"] == State.CLOSED


def test_it_refuses_a_transition_naming_each_missing_gate(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    response = TokenClient(personas.facilitator).post(
        f"/cases/{built.case.pk}/transitions", {"name": "start_preparing", "version": built.case.version}
    )
    assert response.status_code == 409
    body = response.json()
    assert {item["gate"] for item in body["missing"]} == {"responsibility", "consent", "risk"}
    assert all(item["message"] and item["guard"] for item in body["missing"])
    assert built.responsible.pk in {item["participant_id"] for item in body["missing"]}


def test_it_refuses_a_stale_version_with_409(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    response = TokenClient(personas.facilitator).post(
        f"/cases/{built.case.pk}", {"version": built.case.version - 1, "process_kind": "letters"}, method="patch"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "version"


def test_it_answers_a_refused_rule_with_409_and_the_field(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    response = TokenClient(personas.facilitator).post(
        f"/cases/{built.case.pk}/conflict-declarations", {"has_conflict": True, "details": " "}
    )
    assert response.status_code == 409
    assert response.json()["field"] == "details"


def test_it_answers_403_to_a_step_the_persons_role_does_not_allow(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    # The coordinator sees the case, but only its allocated facilitator declares a conflict of interest in it.
    response = TokenClient(personas.coordinator).post(
        f"/cases/{built.case.pk}/conflict-declarations", {"has_conflict": False}
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only a facilitator allocated to this case declares a conflict of interest in it."
    }


def test_it_answers_422_for_a_request_that_does_not_match_the_schema(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    response = TokenClient(personas.facilitator).post(f"/cases/{built.case.pk}/transitions", {"name": "fly"})
    assert response.status_code == 422


def test_it_moves_the_case_back_when_consent_is_withdrawn(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    client = TokenClient(personas.facilitator)
    _ok(
        client.post(
            f"/cases/{built.case.pk}/participants/{built.harmed.pk}/consent-withdrawals", {"reason": "Changed mind"}
        ),
        201,
    )
    case = _ok(client.get(f"/cases/{built.case.pk}"))
    assert case["state"] == State.ASSESSING
    consent = next(gate for gate in case["gates"] if gate["gate"] == "consent")
    assert not consent["holds"]
    assert built.harmed.pk in {item["participant_id"] for item in consent["missing"]}


def test_it_refuses_a_revoked_token(personas: Personas) -> None:
    client = TokenClient(personas.coordinator)
    assert client.get("/cases").status_code == 200
    token = PersonalAccessToken.objects.get(user=personas.coordinator)
    tokens.revoke_access_token(token=token, actor=personas.coordinator)
    response = client.get("/cases")
    assert response.status_code == 401


def test_it_refuses_an_expired_token_and_one_of_an_inactive_user(personas: Personas) -> None:
    client = TokenClient(personas.coordinator)
    PersonalAccessToken.objects.filter(user=personas.coordinator).update(expires_at=timezone.now())
    assert client.get("/cases").status_code == 401
    other = TokenClient(personas.facilitator)
    personas.facilitator.is_active = False
    personas.facilitator.save(update_fields=["is_active"])
    assert other.get("/cases").status_code == 401


def test_it_refuses_a_token_whose_person_no_longer_has_a_second_factor(personas: Personas) -> None:
    client = TokenClient(personas.coordinator)
    assert client.get("/cases").status_code == 200
    personas.coordinator.authenticator_set.all().delete()
    # Recovery codes alone are a fallback, not a second factor.
    RecoveryCodes.activate(personas.coordinator)
    assert client.get("/cases").status_code == 401
    # The token was not revoked: it works again once its person sets up a second factor again.
    TOTP.activate(personas.coordinator, TEST_TOTP_SECRET)
    assert client.get("/cases").status_code == 200


def test_it_records_when_a_token_was_last_used(personas: Personas) -> None:
    client = TokenClient(personas.coordinator)
    client.get("/cases")
    assert PersonalAccessToken.objects.get(user=personas.coordinator).last_used_at is not None


def test_it_hides_another_services_case_from_a_facilitators_token(personas: Personas) -> None:
    other = build_case(
        service=personas.other_service,
        coordinator=personas.other_coordinator,
        facilitator=personas.other_facilitator,
    )
    client = TokenClient(personas.facilitator)
    assert client.get(f"/cases/{other.case.pk}").status_code == 404
    assert client.get(f"/cases/{other.case.pk}/participants/{other.harmed.pk}").status_code == 404
    assert client.get("/cases").json() == []


def test_it_lets_a_token_post_without_a_csrf_token_but_not_a_session(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    body = {"has_conflict": False}
    session = signed_in_client(personas.facilitator)
    session.handler.enforce_csrf_checks = True
    refused = session.post(f"{API}/cases/{built.case.pk}/conflict-declarations", body, content_type="application/json")
    assert refused.status_code == 403
    assert (
        TokenClient(personas.facilitator).post(f"/cases/{built.case.pk}/conflict-declarations", body).status_code == 201
    )


def test_it_audits_a_view_of_a_participant(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    body = _ok(TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/participants/{built.harmed.pk}"))
    assert body["full_name"] == "Ann Harmed"
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, actor=personas.facilitator).exists()


def test_it_lists_my_tasks_and_marks_one_done(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    for days in (3, -2):
        create_task(
            service=personas.service,
            case=built.case,
            kind=TaskKind.RISK_REVIEW,
            assigned_to=personas.facilitator,
            due_on=timezone.localdate() + datetime.timedelta(days=days),
        )
    client = TokenClient(personas.facilitator)
    tasks = _ok(client.get("/tasks"))
    assert tasks[0]["overdue"] is True
    assert [task["due_on"] for task in tasks] == sorted(task["due_on"] for task in tasks)
    done = _ok(client.post(f"/tasks/{tasks[0]['id']}/done"))
    assert done["done"] is True
    assert tasks[0]["id"] not in {task["id"] for task in _ok(client.get("/tasks"))}


def test_it_keeps_the_referral_queue_to_coordinators(personas: Personas) -> None:
    response = TokenClient(personas.facilitator).get(f"/services/{personas.service.pk}/referrals")
    assert response.status_code == 404


# The token pages ----------------------------------------------------------------------------------------------------


def test_it_shows_a_new_token_once(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    response = client.post("/account/tokens/", {"name": "Reporting script", "days": "30"})
    assert response.status_code == 200
    plain = response.context["plain_token"]
    assert plain.startswith("amd_")
    assert plain in response.content.decode()
    page = client.get("/account/tokens/").content.decode()
    assert plain not in page
    assert "Reporting script" in page
    token = PersonalAccessToken.objects.get(user=personas.facilitator)
    assert token.token_hash == PersonalAccessToken.hash_token(plain)
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_TOKEN_CREATED, actor=personas.facilitator).exists()


def test_it_asks_for_the_password_again_before_making_a_token_and_keeps_what_was_typed(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator, recently_authenticated=False)
    assert client.get("/account/tokens/").status_code == 200  # the list is read without it
    asked = client.post("/account/tokens/", {"name": "Reporting script", "days": "30"})
    assert asked.status_code == 302
    password_page = asked["Location"]
    assert password_page.startswith("/accounts/reauthenticate/")

    wrong = client.post(password_page, {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert "Incorrect password." in wrong.content.decode()
    assert not PersonalAccessToken.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1

    given = client.post(password_page, {"password": TEST_PASSWORD})
    # The form sent before the password was asked for goes on: the token is made with the name typed, and shown once.
    assert given.status_code == 200
    assert given.context["plain_token"].startswith("amd_")
    assert PersonalAccessToken.objects.get(user=personas.facilitator).name == "Reporting script"


def test_it_refuses_a_token_valid_for_too_long(personas: Personas) -> None:
    response = signed_in_client(personas.facilitator).post("/account/tokens/", {"name": "x", "days": "400"})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not PersonalAccessToken.objects.exists()


def test_it_revokes_a_token(personas: Personas) -> None:
    token, _plain = tokens.create_access_token(user=personas.facilitator, name="Old", days=5)
    response = signed_in_client(personas.facilitator).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_TOKEN_REVOKED, actor=personas.facilitator).exists()


def test_it_does_not_let_anyone_revoke_another_persons_token(personas: Personas) -> None:
    token, _plain = tokens.create_access_token(user=personas.facilitator, name="Mine", days=5)
    response = signed_in_client(personas.coordinator).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_needs_two_factor_sign_in_to_make_a_token(personas: Personas) -> None:
    personas.facilitator.authenticator_set.all().delete()
    response = signed_in_client(personas.facilitator).post("/account/tokens/", {"name": "x", "days": "5"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/"
    assert not PersonalAccessToken.objects.exists()


def test_your_account_page_leads_to_the_api_tokens(personas: Personas) -> None:
    page = signed_in_client(personas.facilitator).get("/accounts/2fa/").content.decode()
    assert 'href="/account/tokens/"' in page
