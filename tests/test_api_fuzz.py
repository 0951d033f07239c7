"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis, in process through WSGI).

Every operation is called with generated input by three people, each through their own personal access token: a
coordinator, the case's facilitator (so writes reach the handlers and the services behind them) and a referrer (who
may see only their own referral). Half the generated requests name real records of a case built through the real
services. Every check schemathesis has runs on every answer: no server error; statuses, content types, headers and
bodies as documented; auth not ignored; unsupported methods refused with 405; input the schema allows accepted (or
refused only by a rule, 409) and input it forbids refused. Except these two, which cannot apply: use_after_free and
ensure_resource_availability need stateful runs that follow links between operations; the schema declares no links,
and these one-request tests have no earlier response to follow.

The coordinator gets the most examples; the facilitator fewer, the referrer (mostly 404s) fewest, to keep the three
near three minutes of CPU together. Each operation and person is its own test, so xdist spreads them.
"""

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from amends.accounts import tokens as tokens_
from amends.api import api
from amends.cases.models import State, TaskKind
from amends.cases.services import create_task
from amends.followup import services as followup_services
from amends.followup.models import OnwardStatus, SupportKind, SurveyMethod
from amends.meetings.models import Meeting
from amends.outcomes.models import AgreementAction
from amends.relay import services as relay_services
from amends.relay.models import MessageKind
from config.wsgi import application
from tests.case_builders import BuiltCase, build_case, make_referral
from tests.complaints.builders import record as record_complaint
from tests.personas import Personas, build_personas
from tests.youth.builders import make_panel


def _load_schema() -> Any:
    """The schema /api/v1/openapi.json serves, read from the API itself: collection may not touch the database, and
    every request through the middleware connects to it first (amends.core.middleware.DatabaseUnavailableMiddleware).
    Calls still go through the whole WSGI application."""
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))))
    loaded.app = application
    loaded.location = "/api/v1/openapi.json"
    return loaded


pytestmark = pytest.mark.fuzz

schema = _load_schema()

NOT_APPLICABLE = [use_after_free, ensure_resource_availability]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly fires request_started and request_finished, whose handler closes the
    database connection (and with it the test's transaction on PostgreSQL). Django's test client detaches that
    handler for the same reason; so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass(frozen=True)
class World:
    """Records of every kind the API names by id, built once for the module (each test's changes are rolled back):
    a case scheduled with its meeting at a venue, one whose agreement is monitored with an action and a letter, one
    being followed up with a survey and an onward referral; a referral awaiting triage (the referrer's own), a
    complaint, a panel member, and a task and a token for each of the three people."""

    personas: Personas
    scheduled: BuiltCase
    monitored: BuiltCase
    followed_up: BuiltCase
    ids: dict[str, int]
    tasks: dict[str, int]
    tokens: dict[str, str]


def _build_world() -> World:
    personas = build_personas()
    scheduled, monitored, followed_up = (
        build_case(
            service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
        )
        for state in (State.SCHEDULED, State.AGREEMENT_MONITORING, State.FOLLOWING_UP)
    )
    meeting = Meeting.objects.filter(case=scheduled.case).get()
    letter = relay_services.create_message(
        case=monitored.case,
        actor=personas.facilitator,
        sender=monitored.responsible,
        recipient=monitored.harmed,
        kind=MessageKind.LETTER,
        body="I am sorry for what I did at 14 Elm Grove.",
    )
    survey = followup_services.record_survey(
        case=followed_up.case,
        actor=personas.facilitator,
        participant=followed_up.harmed,
        taken_on=timezone.localdate(),
        method=SurveyMethod.PHONE,
        answers=followup_services.SurveyAnswers(satisfaction=4),
    )
    onward = followup_services.make_onward_referral(
        case=followed_up.case,
        actor=personas.facilitator,
        participant=followed_up.harmed,
        support_kind=SupportKind.VICTIM_SUPPORT,
        organisation="Victim Support",
        status=OnwardStatus.REFERRED,
        status_on=timezone.localdate(),
    )
    referral = make_referral(service=personas.service, actor=personas.referrer, crime_reference="FUZZ/1")
    assessment = scheduled.harmed.risk_assessments.order_by("-version").first()
    people = {"coordinator": personas.coordinator, "facilitator": personas.facilitator, "referrer": personas.referrer}
    tasks = {
        name: create_task(
            service=personas.service,
            case=scheduled.case,
            kind=TaskKind.RISK_REVIEW,
            assigned_to=user,
            due_on=timezone.localdate(),
        ).pk
        for name, user in people.items()
    }
    tokens = {name: tokens_.create_access_token(user=user, name="Fuzz", days=1)[1] for name, user in people.items()}
    ids = {
        "service_id": personas.service.pk,
        "meeting_id": meeting.pk,
        "attendee_id": meeting.attendees.order_by("pk").values_list("pk", flat=True)[0],
        "venue_id": meeting.venue_id or 1,
        "action_id": AgreementAction.objects.filter(agreement__case=monitored.case).values_list("pk", flat=True)[0],
        "message_id": letter.pk,
        "survey_id": survey.pk,
        "onward_referral_id": onward.pk,
        "referral_id": referral.pk,
        "complaint_id": record_complaint(personas.service, personas.coordinator).pk,
        "member_id": make_panel(personas.service, personas.coordinator)[0].pk,
        "assessment_id": assessment.pk if assessment else 1,
    }
    return World(personas, scheduled, monitored, followed_up, ids, tasks, tokens)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _real_ids(world: World, person: str, path: str) -> dict[str, int]:
    """Ids of records the person may see (the referrer: the referral they made), for the operation at `path`: the
    case is the one holding the path's other records."""
    if "/meetings/" in path or "/venues/" in path:
        built = world.scheduled
    elif "/messages/" in path or "/agreement/" in path:
        built = world.monitored
    elif "/follow-up/" in path:
        built = world.followed_up
    else:
        built = world.scheduled
    ids = {**world.ids, "case_id": built.case.pk, "participant_id": built.harmed.pk, "task_id": world.tasks[person]}
    if "/onward-referrals/" in path:
        ids["referral_id"] = ids["onward_referral_id"]
    return ids


def _call(case: Any, world: World, person: str) -> None:
    meta = case._meta
    mutated = {location for location in ParameterLocation if meta is not None and meta.is_negative_at(location)}
    if case.path_parameters and ParameterLocation.PATH not in mutated:
        # Half the time real records, half the time whatever was generated (mostly a 404), chosen from what was
        # generated so a run is repeatable. A path made invalid on purpose is sent as it is: it must be refused.
        generated = json.dumps([case.path_parameters, case.query], sort_keys=True, default=str)
        if zlib.crc32(generated.encode()) % 2 == 0:
            real = _real_ids(world, person, case.operation.path)
            for name in case.path_parameters:
                if name in real:
                    case.path_parameters[name] = real[name]
    # An Authorization header made invalid on purpose is sent as it is (and must be refused); otherwise the person's.
    headers = {} if ParameterLocation.HEADER in mutated else {"Authorization": f"Bearer {world.tokens[person]}"}
    response = case.call_and_validate(headers=headers, excluded_checks=NOT_APPLICABLE)
    assert response.status_code < 500


FUZZ = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_a_coordinator(case: Any, world: World) -> None:
    _call(case, world, "coordinator")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=3, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_the_cases_facilitator(case: Any, world: World) -> None:
    _call(case, world, "facilitator")


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=1, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_a_referrer(case: Any, world: World) -> None:
    _call(case, world, "referrer")
