"""Changing someone's part in a case: whether they take part and whom a supporter supports, by page and by API."""

import datetime
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import State, TimelineKind
from amends.cases.services import transition_case
from amends.core.errors import DomainError
from amends.people import services as people_services
from amends.people.models import Participant, ParticipantRole
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskInformationKind, RiskOutcome, SignOffDecision
from tests.case_builders import BuiltCase, build_case, ready_to_take_part, schedule
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _case(personas: Personas, state: State = State.ASSESSING) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _supporter(built: BuiltCase, personas: Personas, *, takes_part: bool = True, name: str = "Sue") -> Participant:
    return people_services.add_participant(
        case=built.case,
        actor=personas.facilitator,
        role=ParticipantRole.SUPPORTER,
        details={"given_name": name, "family_name": "Porter"},
        supports=built.harmed,
        takes_part=takes_part,
    )


def _url(participant: Participant) -> str:
    return f"/cases/{participant.case_id}/participants/{participant.pk}/part/"


def _api(participant: Participant) -> str:
    return f"{API}/cases/{participant.case_id}/participants/{participant.pk}"


def _patch(client: Client, participant: Participant, body: dict[str, Any]) -> Any:
    """A PATCH that sends the version as stored now (as a client that just read it), unless the body says one."""
    version = Participant.objects.filter(pk=participant.pk).values_list("version", flat=True).first() or 1
    return client.patch(_api(participant), json.dumps({"version": version, **body}), content_type="application/json")


def _checked(page: str, name: str) -> list[str]:
    """The values of the radios called `name` that are checked."""
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]* checked', page)


# The page ------------------------------------------------------------------------------------------------------


def test_the_participant_page_links_to_the_change(personas: Personas) -> None:
    built = _case(personas)
    page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/participants/{built.harmed.pk}/")
    assert _url(built.harmed) in page.content.decode()
    assert "Change their part in the case" in page.content.decode()


def test_it_offers_a_supporter_the_others_in_the_case_by_name_and_role(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    page = signed_in_client(personas.facilitator).get(_url(supporter)).content.decode()
    assert "Change their part in the case" in page
    assert "Ann Harmed (Person harmed (victim))" in page
    assert "(Person responsible (offender))" in page
    assert f'name="supports" value="{supporter.pk}"' not in page
    assert _checked(page, "takes_part") == ["yes"]
    assert _checked(page, "supports") == [str(built.harmed.pk)]


def test_it_asks_a_person_harmed_only_whether_they_take_part(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    assert 'name="supports"' not in client.get(_url(built.harmed)).content.decode()
    response = client.post(_url(built.harmed), {"takes_part": "no"})
    assert response.status_code == 302
    built.harmed.refresh_from_db()
    assert built.harmed.takes_part is False
    assert built.harmed.supports is None


def test_it_records_that_a_supporter_will_no_longer_come(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(_url(supporter), {"takes_part": "no", "supports": str(built.harmed.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{built.case.pk}/participants/{supporter.pk}/"
    assert "Their part in the case is saved." in client.get(response["Location"]).content.decode()
    supporter.refresh_from_db()
    assert supporter.takes_part is False
    assert supporter.supports == built.harmed
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_UPDATED, target_id=str(supporter.pk))
    assert event.actor == personas.facilitator
    assert event.changes == {"takes_part": {"before": True, "after": False}}
    entry = built.case.timeline.get(kind=TimelineKind.PARTICIPANT_UPDATED)
    assert entry.participant == supporter
    assert entry.detail == "No longer takes part."


def test_it_changes_whom_a_supporter_supports(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "yes", "supports": str(built.responsible.pk)}
    )
    assert response.status_code == 302
    supporter.refresh_from_db()
    assert supporter.supports == built.responsible
    assert supporter.takes_part is True
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_UPDATED, target_id=str(supporter.pk))
    assert event.changes == {"supports": {"before": built.harmed.pk, "after": built.responsible.pk}}
    entry = built.case.timeline.get(kind=TimelineKind.PARTICIPANT_UPDATED)
    assert entry.detail == "Now supports Rob Responsible."


def test_it_records_nothing_when_nothing_changed(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "yes", "supports": str(built.harmed.pk)}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).exists()
    assert not built.case.timeline.filter(kind=TimelineKind.PARTICIPANT_UPDATED).exists()


def test_it_refuses_a_supporter_supporting_themselves_and_keeps_what_was_typed(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "no", "supports": str(supporter.pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose whom they support." in page
    assert _checked(page, "takes_part") == ["no"]
    supporter.refresh_from_db()
    assert supporter.takes_part is True
    assert supporter.supports == built.harmed


def test_it_refuses_a_supporter_supporting_someone_in_another_case_and_keeps_what_was_typed(
    personas: Personas,
) -> None:
    built = _case(personas)
    elsewhere = _case(personas)
    supporter = _supporter(built, personas)
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "no", "supports": str(elsewhere.harmed.pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose whom they support." in page
    assert _checked(page, "takes_part") == ["no"]
    supporter.refresh_from_db()
    assert supporter.takes_part is True
    assert supporter.supports == built.harmed


def test_it_asks_whether_they_take_part(personas: Personas) -> None:
    built = _case(personas)
    response = signed_in_client(personas.facilitator).post(_url(built.harmed), {})
    assert response.status_code == 200
    assert "Select yes if they take part in the process." in response.content.decode()


def test_it_shows_a_refusal_from_the_service_on_the_form(personas: Personas) -> None:
    built = _case(personas, State.IN_PROCESS)
    supporter = _supporter(built, personas, takes_part=False)
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "yes", "supports": str(built.harmed.pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The process has already started" in page
    assert "Sue Porter (Supporter) has not given consent." in page
    assert _checked(page, "takes_part") == ["yes"]
    supporter.refresh_from_db()
    assert supporter.takes_part is False


def test_it_lists_the_others_in_the_case_in_a_fixed_number_of_queries(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    client = signed_in_client(personas.facilitator)
    client.get(_url(supporter))  # Warm the session and caches.
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(supporter)).status_code == 200
    for name in ("Tom", "Dee", "Ray", "Kim"):
        _supporter(built, personas, name=name)
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(supporter))
    assert response.status_code == 200
    assert "Kim Porter (Supporter)" in response.content.decode()
    assert len(many) == len(few)


# The rules, in the service ----------------------------------------------------------------------------------------


def test_the_service_refuses_a_supporter_supporting_themselves(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    with pytest.raises(DomainError, match=r"Choose whom they support\.") as refused:
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=supporter
        )
    assert refused.value.field == "supports"


def test_the_service_refuses_a_supporter_supporting_someone_in_another_case(personas: Personas) -> None:
    built = _case(personas)
    elsewhere = _case(personas)
    supporter = _supporter(built, personas)
    with pytest.raises(DomainError, match=r"Choose whom they support\."):
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=elsewhere.harmed
        )


def test_the_service_refuses_changes_to_a_closed_case(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    transition_case(case=built.case, actor=personas.coordinator, name="close", closure_reason="other")
    supporter.case.refresh_from_db()
    with pytest.raises(DomainError, match=r"This case is closed\."):
        people_services.update_participant(
            participant=supporter, actor=personas.coordinator, takes_part=False, supports=built.harmed
        )


def test_the_service_refuses_to_add_someone_to_a_closed_case(personas: Personas) -> None:
    built = _case(personas)
    built.case = transition_case(case=built.case, actor=personas.coordinator, name="close", closure_reason="other")
    with pytest.raises(DomainError, match=r"This case is closed\."):
        _supporter(built, personas, takes_part=False)
    assert not Participant.objects.filter(case=built.case, role=ParticipantRole.SUPPORTER).exists()


def test_the_service_refuses_someone_outside_the_case_team(personas: Personas) -> None:
    built = _case(personas)
    with pytest.raises(DomainError, match=r"You cannot work on this case\."):
        people_services.update_participant(participant=built.harmed, actor=personas.supervisor, takes_part=False)


# The gates, for someone who newly takes part ----------------------------------------------------------------------


def test_the_next_step_checks_the_gates_for_someone_who_newly_takes_part_while_preparing(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    supporter = _supporter(built, personas, takes_part=False)
    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
    )
    with pytest.raises(DomainError):
        schedule(built.case, personas.facilitator)
    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)
    assert schedule(built.case, personas.facilitator).state == State.SCHEDULED


@pytest.mark.parametrize("state", [State.IN_PROCESS, State.AGREEMENT_MONITORING, State.FOLLOWING_UP])
def test_it_refuses_someone_newly_taking_part_once_the_process_has_started_until_the_gates_hold_for_them(
    personas: Personas, state: State
) -> None:
    built = _case(personas, state)
    supporter = _supporter(built, personas, takes_part=False)
    with pytest.raises(DomainError, match="has no risk assessment") as refused:
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
        )
    assert refused.value.field == "takes_part"
    assert "Sue Porter (Supporter) has not given consent." in refused.value.message
    assert supporter.takes_part is False
    supporter.refresh_from_db()
    assert supporter.takes_part is False
    assert not AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).exists()

    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)
    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
    )
    supporter.refresh_from_db()
    assert supporter.takes_part is True


def test_it_refuses_a_supporter_newly_taking_part_when_another_assessment_allows_no_supporters(
    personas: Personas,
) -> None:
    built = _case(personas, State.IN_PROCESS)
    supporter = _supporter(built, personas, takes_part=False)
    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)
    assessment = risk_services.record_risk_assessment(
        participant=built.harmed,
        actor=personas.facilitator,
        factors={},
        narrative="She would rather face him alone.",
        conditions=[RiskCondition.NO_SUPPORTERS],
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        review_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    risk_services.sign_off_risk_assessment(
        assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
    )
    with pytest.raises(DomainError, match="a supporter is taking part"):
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
        )


def test_it_refuses_someone_newly_taking_part_in_a_case_on_hold_after_the_process(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP)
    case = transition_case(
        case=built.case,
        actor=personas.facilitator,
        name="hold",
        hold_reason="trial_pending",
        hold_review_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    built.harmed.case = case
    built.case = case
    supporter = _supporter(built, personas, takes_part=False)
    with pytest.raises(DomainError, match="has not given consent"):
        people_services.update_participant(
            participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
        )


@pytest.mark.parametrize("state", [State.IN_PROCESS, State.AGREEMENT_MONITORING, State.FOLLOWING_UP])
def test_it_refuses_to_add_someone_taking_part_once_the_process_has_started(personas: Personas, state: State) -> None:
    built = _case(personas, state)
    with pytest.raises(DomainError, match="The process has already started") as refused:
        _supporter(built, personas, takes_part=True)
    assert refused.value.field == "takes_part"
    assert not Participant.objects.filter(case=built.case, role=ParticipantRole.SUPPORTER).exists()
    # Added as not taking part, they may join once the gates hold for them.
    supporter = _supporter(built, personas, takes_part=False)
    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)
    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
    )


@pytest.mark.parametrize("state", [State.ASSESSING, State.PREPARING, State.SCHEDULED])
def test_it_adds_someone_taking_part_before_the_process_for_the_gates_to_check_on_the_next_step(
    personas: Personas, state: State
) -> None:
    built = _case(personas, state)
    assert _supporter(built, personas, takes_part=True).takes_part is True


def test_it_lets_someone_newly_take_part_once_the_process_has_started_despite_a_gap_about_someone_else(
    personas: Personas,
) -> None:
    built = _case(personas, State.IN_PROCESS)
    # New risk information makes the person harmed's assessment out of date: a gap that is not the supporter's.
    risk_services.record_risk_information(
        case=built.case,
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="The police shared an update on bail conditions.",
        participant=built.harmed,
    )
    supporter = _supporter(built, personas, takes_part=False)
    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)

    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
    )

    supporter.refresh_from_db()
    assert supporter.takes_part is True


def test_it_lets_someone_stop_taking_part_once_the_process_has_started(personas: Personas) -> None:
    built = _case(personas, State.IN_PROCESS)
    supporter = _supporter(built, personas, takes_part=False)
    ready_to_take_part(supporter, personas.facilitator, supporter.case.process_kind)
    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=True, supports=built.harmed
    )
    people_services.update_participant(
        participant=supporter, actor=personas.facilitator, takes_part=False, supports=built.harmed
    )
    supporter.refresh_from_db()
    assert supporter.takes_part is False


# The API ----------------------------------------------------------------------------------------------------------


def test_the_api_changes_whom_a_supporter_supports_and_answers_like_a_read(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    client = signed_in_client(personas.facilitator)
    response = _patch(client, supporter, {"takes_part": False, "supports_id": built.responsible.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["takes_part"] is False
    assert body["supports_id"] == built.responsible.pk
    assert body["full_name"] == "Sue Porter"
    assert set(body) == set(client.get(_api(supporter)).json())
    supporter.refresh_from_db()
    assert supporter.takes_part is False
    assert supporter.supports == built.responsible
    assert AuditEvent.objects.filter(
        action=AuditAction.PARTICIPANT_UPDATED, actor=personas.facilitator, target_id=str(supporter.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, actor=personas.facilitator, target_id=str(supporter.pk)
    ).exists()


def test_the_api_keeps_whom_a_supporter_supports_when_it_is_left_out(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    response = _patch(signed_in_client(personas.coordinator), supporter, {"takes_part": False})
    assert response.status_code == 200, response.content
    assert response.json()["supports_id"] == built.harmed.pk


def test_the_api_refuses_a_supporter_supporting_themselves(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    response = _patch(
        signed_in_client(personas.facilitator), supporter, {"takes_part": True, "supports_id": supporter.pk}
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Choose whom they support.", "field": "supports", "missing": []}


def test_the_api_refuses_a_supporter_supporting_someone_in_another_case(personas: Personas) -> None:
    built = _case(personas)
    elsewhere = _case(personas)
    supporter = _supporter(built, personas)
    response = _patch(
        signed_in_client(personas.facilitator), supporter, {"takes_part": True, "supports_id": elsewhere.harmed.pk}
    )
    assert response.status_code == 404
    supporter.refresh_from_db()
    assert supporter.supports == built.harmed


def test_the_api_refuses_a_stale_version_with_409_and_changes_nothing(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    client = signed_in_client(personas.facilitator)
    read = client.get(_api(supporter)).json()["version"]
    # Someone else changes their part after this client read it.
    assert _patch(signed_in_client(personas.coordinator), supporter, {"takes_part": False}).status_code == 200
    events = AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).count()
    response = _patch(client, supporter, {"takes_part": True, "supports_id": built.responsible.pk, "version": read})
    assert response.status_code == 409
    assert response.json()["field"] == "version"
    assert "Someone else changed this record" in response.json()["detail"]
    supporter.refresh_from_db()
    assert supporter.takes_part is False
    assert supporter.supports == built.harmed
    assert supporter.version == read + 1
    assert AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).count() == events


def test_the_api_refuses_a_change_without_a_version(personas: Personas) -> None:
    built = _case(personas)
    response = signed_in_client(personas.facilitator).patch(
        _api(built.harmed), json.dumps({"takes_part": False}), content_type="application/json"
    )
    assert response.status_code == 422
    built.harmed.refresh_from_db()
    assert built.harmed.takes_part is True


def test_the_page_refuses_a_stale_version_and_keeps_what_was_typed(personas: Personas) -> None:
    built = _case(personas)
    supporter = _supporter(built, personas)
    read = supporter.version
    people_services.update_participant(
        participant=supporter, actor=personas.coordinator, takes_part=False, supports=built.harmed
    )
    response = signed_in_client(personas.facilitator).post(
        _url(supporter), {"takes_part": "yes", "supports": built.responsible.pk, "version": read}
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    supporter.refresh_from_db()
    assert supporter.takes_part is False
    assert supporter.supports == built.harmed


def test_the_api_refuses_a_body_without_takes_part(personas: Personas) -> None:
    built = _case(personas)
    response = _patch(signed_in_client(personas.facilitator), built.harmed, {"supports_id": built.responsible.pk})
    assert response.status_code == 422


@pytest.mark.parametrize("person", ["supervisor", "referrer", "commissioner", "administrator", "outsider"])
def test_the_api_lets_only_the_case_team_change_a_part(personas: Personas, person: str) -> None:
    built = _case(personas)
    response = _patch(signed_in_client(getattr(personas, person)), built.harmed, {"takes_part": False})
    assert response.status_code == 404
    built.harmed.refresh_from_db()
    assert built.harmed.takes_part is True


def test_the_api_hides_another_services_participant(personas: Personas) -> None:
    other = build_case(
        service=personas.other_service, coordinator=personas.other_coordinator, facilitator=personas.other_facilitator
    )
    response = _patch(signed_in_client(personas.coordinator), other.harmed, {"takes_part": False})
    assert response.status_code == 404


def test_the_api_documents_the_change(personas: Personas) -> None:
    schema = signed_in_client(personas.coordinator).get(f"{API}/openapi.json").json()
    operation = schema["paths"]["/api/v1/cases/{case_id}/participants/{participant_id}"]["patch"]
    assert {"200", "400", "404", "422"} <= set(operation["responses"])
