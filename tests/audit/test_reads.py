"""Every read of personal data is audited by the access helper that returns it: one event per list page (which list,
how many rows, never the rows) and one per record shown; fetching to change something records no read."""

import json

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Case, State
from amends.dataprotection import legal_holds, rights, sharing
from amends.dataprotection.models import PartnerKind, RightsRequestKind, SharingBasis
from tests.case_builders import BuiltCase, book_conference, build_case, make_referral
from tests.complaints.builders import record
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.relay.conftest import letter_case, write_letter
from tests.test_api_cases import TokenClient
from tests.youth.builders import make_panel

pytestmark = pytest.mark.django_db


def _build(personas: Personas) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
    )


def _list_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.LIST_VIEWED).order_by("pk"))


def _only_list_event(listed: str, count: int, built: BuiltCase) -> AuditEvent:
    [event] = _list_events()
    assert event.changes == {"listed": listed, "count": count}
    # What was listed and how many, never who: no name of anyone in the case is copied into the audit.
    written = json.dumps(event.changes)
    for participant in (built.harmed, built.responsible):
        assert participant.person.full_name not in written
        assert participant.person.family_name not in written
    return event


def test_the_api_case_list_leaves_one_event_with_the_number_of_cases(personas: Personas) -> None:
    built = _build(personas)
    _build(personas)
    response = TokenClient(personas.coordinator).get("/cases")
    assert response.status_code == 200
    assert len(response.json()) == 2
    event = _only_list_event("cases", 2, built)
    assert (event.actor, event.target_type, event.target_id) == (personas.coordinator, "", "")


def test_the_api_participant_list_leaves_one_event_against_its_case(personas: Personas) -> None:
    built = _build(personas)
    response = TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/participants")
    assert response.status_code == 200
    event = _only_list_event("participants", len(response.json()), built)
    assert (event.target_type, event.target_id, event.service) == ("cases.case", str(built.case.pk), personas.service)


def test_the_api_timeline_leaves_one_event_against_its_case(personas: Personas) -> None:
    built = _build(personas)
    response = TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/timeline")
    assert response.status_code == 200
    assert response.json()
    event = _only_list_event("timeline", len(response.json()), built)
    assert event.target_id == str(built.case.pk)


def test_a_list_refused_records_nothing(personas: Personas) -> None:
    built = _build(personas)
    client = TokenClient(personas.other_facilitator)
    assert client.get(f"/cases/{built.case.pk}/participants").status_code == 404
    assert client.get(f"/cases/{built.case.pk}/timeline").status_code == 404
    assert _list_events() == []


def test_the_service_case_list_records_the_rows_of_the_page_shown(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _build(personas)
    _build(personas)
    _build(personas)
    monkeypatch.setattr("amends.cases.views.CASES_PER_PAGE", 2)
    client = signed_in_client(personas.coordinator)
    assert client.get(f"/services/{personas.service.pk}/cases/").status_code == 200
    event = _only_list_event("cases", 2, built)
    assert event.service == personas.service
    assert client.get(f"/services/{personas.service.pk}/cases/?page=2").status_code == 200
    assert _list_events()[-1].changes == {"listed": "cases", "count": 1}


def test_my_cases_leave_one_event_and_a_supervisor_one_more_for_the_cases_they_read(personas: Personas) -> None:
    built = _build(personas)
    assert signed_in_client(personas.facilitator).get("/cases/").status_code == 200
    _only_list_event("my cases", 1, built)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    assert signed_in_client(personas.supervisor).get("/cases/").status_code == 200
    shown = {event.changes["listed"]: event.changes["count"] for event in _list_events()[1:]}
    assert shown == {"my cases": 0, "supervised cases": 1}


def test_the_triage_queue_leaves_one_event_with_the_referrals_shown(personas: Personas) -> None:
    built = _build(personas)
    make_referral(service=personas.service, actor=personas.coordinator)
    response = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/referrals/")
    assert response.status_code == 200
    # One referral waits, and the one accepted for the case is among the recent decisions.
    event = _only_list_event("triage queue", 2, built)
    assert event.service == personas.service


def test_coordinators_see_a_list_event_that_belongs_to_no_service(personas: Personas) -> None:
    built = _build(personas)
    assert signed_in_client(personas.facilitator).get("/cases/").status_code == 200
    response = signed_in_client(personas.coordinator).get("/audit/?action=list_viewed")
    assert response.status_code == 200
    assert "my cases" in response.content.decode()
    assert built.case.reference not in response.content.decode()


def test_a_record_shown_is_recorded_once(personas: Personas) -> None:
    built = _build(personas)
    assert signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/").status_code == 200
    participant = built.harmed
    path = f"/cases/{built.case.pk}/participants/{participant.pk}"
    assert TokenClient(personas.facilitator).get(path).status_code == 200
    viewed = AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED)
    assert sorted((event.target_type, event.target_id) for event in viewed) == [
        ("cases.case", str(built.case.pk)),
        ("people.participant", str(participant.pk)),
    ]


def test_fetching_a_record_to_change_it_records_no_read(personas: Personas) -> None:
    built = _build(personas)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{built.case.pk}/notes/add/", {"text": "Called the person harmed back."}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__in=[AuditAction.RECORD_VIEWED, AuditAction.LIST_VIEWED]).exists()


def test_reading_the_audit_records_how_many_events_were_shown(personas: Personas) -> None:
    _build(personas)
    client = signed_in_client(personas.coordinator)
    assert client.get("/audit/?action=case_opened").status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).latest("pk")
    assert event.changes == {"filters": {"action": "case_opened"}, "count": 1}


def test_the_api_records_a_referral_read_in_full_and_not_its_status_alone(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.referrer)
    assert TokenClient(personas.referrer).get(f"/referrals/{referral.pk}").json()["full"] is False
    assert not AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED).exists()
    assert TokenClient(personas.coordinator).get(f"/referrals/{referral.pk}").json()["full"] is True
    [viewed] = AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED)
    assert (viewed.actor, viewed.target_type, viewed.target_id) == (
        personas.coordinator,
        "referrals.referral",
        str(referral.pk),
    )


def _only_event_naming_nobody(listed: str, count: int, *names: str) -> AuditEvent:
    [event] = _list_events()
    assert event.changes == {"listed": listed, "count": count}
    written = json.dumps(event.changes)
    for name in names:
        assert name
        assert name not in written
    return event


def test_the_complaints_register_page_leaves_one_event_with_the_rows_shown(personas: Personas) -> None:
    record(personas.service, personas.coordinator)
    record(personas.service, personas.coordinator)
    response = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/complaints/")
    assert response.status_code == 200
    event = _only_event_naming_nobody("complaints", 2, personas.coordinator.full_name)
    assert event.service == personas.service


def test_the_api_complaints_register_leaves_one_event_with_the_rows_shown(personas: Personas) -> None:
    record(personas.service, personas.coordinator)
    response = TokenClient(personas.coordinator).get(f"/services/{personas.service.pk}/complaints")
    assert response.status_code == 200
    assert len(response.json()) == 1
    _only_event_naming_nobody("complaints", 1, personas.coordinator.full_name)


def test_the_people_page_of_a_service_leaves_one_event_with_how_many_people(personas: Personas) -> None:
    response = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/people/")
    assert response.status_code == 200
    shown = response.context["member_rows"]
    event = _only_event_naming_nobody("people", len(shown), personas.facilitator.full_name)
    assert event.service == personas.service


def test_the_api_people_list_leaves_one_event_with_how_many_people(personas: Personas) -> None:
    response = TokenClient(personas.coordinator).get(f"/services/{personas.service.pk}/people")
    assert response.status_code == 200
    assert personas.facilitator.full_name in response.content.decode()
    _only_event_naming_nobody("people", len(response.json()), personas.facilitator.full_name)


def test_the_people_list_refused_records_nothing(personas: Personas) -> None:
    assert TokenClient(personas.other_facilitator).get(f"/services/{personas.service.pk}/people").status_code == 404
    assert _list_events() == []


def test_the_meetings_of_a_case_leave_one_event_against_the_case_page_and_api(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    book_conference(built.case, personas.facilitator)
    response = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/meetings/")
    assert response.status_code == 200
    event = _only_list_event("meetings", 1, built)
    assert (event.target_type, event.target_id) == ("cases.case", str(built.case.pk))
    assert TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/meetings").status_code == 200
    assert _list_events()[-1].changes == {"listed": "meetings", "count": 1}


def test_the_relay_messages_of_a_case_leave_one_event_against_the_case_page_and_api(personas: Personas) -> None:
    built = letter_case(personas)
    write_letter(personas, built)
    response = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/messages/")
    assert response.status_code == 200
    event = _only_list_event("messages", 1, built)
    assert event.target_id == str(built.case.pk)
    assert TokenClient(personas.facilitator).get(f"/cases/{built.case.pk}/messages").status_code == 200
    assert _list_events()[-1].changes == {"listed": "messages", "count": 1}


def test_the_data_protection_requests_list_leaves_one_event_with_the_number_shown(personas: Personas) -> None:
    built = _build(personas)
    rights.record_request(
        service=personas.service,
        person=built.harmed.person,
        actor=personas.coordinator,
        kind=RightsRequestKind.ACCESS,
        received_on=timezone.localdate(),
        received_by="letter",
        details="Everything you hold about me.",
        identity_checked=False,
    )
    response = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/data-protection/requests/")
    assert response.status_code == 200
    assert built.harmed.person.family_name in response.content.decode()
    event = _only_list_event("data protection requests", 1, built)
    assert event.service == personas.service


def test_the_disclosure_log_leaves_one_event_with_the_number_shown(personas: Personas) -> None:
    built = _build(personas)
    sharing.record_disclosure(
        case=built.case,
        actor=personas.coordinator,
        person=built.harmed.person,
        shared_on=timezone.localdate(),
        recipient="Crown Court",
        recipient_kind=PartnerKind.COURT,
        what="A report for sentencing.",
        basis=SharingBasis.CONSENT,
    )
    response = signed_in_client(personas.coordinator).get(
        f"/services/{personas.service.pk}/data-protection/disclosures/"
    )
    assert response.status_code == 200
    _only_list_event("disclosures", 1, built)


def test_the_panel_member_register_leaves_one_event_on_the_page_and_in_the_api(personas: Personas) -> None:
    built = _build(personas)
    members = make_panel(personas.service, personas.coordinator)
    response = signed_in_client(personas.coordinator).get(f"/services/{personas.service.pk}/panel-members/")
    assert response.status_code == 200
    assert members[0].name in response.content.decode()
    _only_list_event("panel members", len(members), built)
    api = TokenClient(personas.coordinator).get(f"/services/{personas.service.pk}/panel-members")
    assert api.status_code == 200
    assert [event.changes for event in _list_events()][-1] == {"listed": "panel members", "count": len(members)}
    assert all(member.name not in json.dumps(event.changes) for event in _list_events() for member in members)


def test_the_legal_holds_in_force_leave_one_event_with_how_many(personas: Personas) -> None:
    built = _build(personas)
    legal_holds.place_legal_hold(
        case=Case.objects.get(pk=built.case.pk), actor=personas.coordinator, reason="A civil claim is expected."
    )
    response = signed_in_client(personas.coordinator).get(
        f"/services/{personas.service.pk}/data-protection/legal-holds/"
    )
    assert response.status_code == 200
    assert personas.coordinator.full_name in response.content.decode()
    _only_list_event("legal holds", 1, built)
