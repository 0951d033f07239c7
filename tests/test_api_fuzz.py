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
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from amends.accounts import tokens
from amends.accounts.models import User
from amends.api import api
from amends.cases.models import State, TaskKind
from amends.cases.services import create_task
from config.wsgi import application
from tests.case_builders import build_case, make_referral
from tests.personas import Personas


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


def _real_ids(personas: Personas, user: User, state: State = State.ASSESSING) -> dict[str, Any]:
    """Ids of records the person may see (or, for the referrer, the referral they made), so generated requests reach
    the handlers, not only 404."""
    built = build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )
    referral = make_referral(
        service=personas.service,
        actor=personas.referrer if user == personas.referrer else personas.coordinator,
        crime_reference="FUZZ/1",
    )
    task = create_task(
        service=personas.service,
        case=built.case,
        kind=TaskKind.RISK_REVIEW,
        assigned_to=user,
        due_on=timezone.localdate(),
    )
    assessment = built.harmed.risk_assessments.order_by("-version").first()
    _token, plain = tokens.create_access_token(user=user, name="Fuzz", days=1)
    return {
        "headers": {"Authorization": f"Bearer {plain}"},
        "path": {
            "service_id": personas.service.pk,
            "case_id": built.case.pk,
            "participant_id": built.harmed.pk,
            "referral_id": referral.pk,
            "task_id": task.pk,
            "assessment_id": assessment.pk if assessment else 1,
        },
    }


def _call(case: Any, real_ids: dict[str, Any]) -> None:
    meta = case._meta
    mutated = {location for location in ParameterLocation if meta is not None and meta.is_negative_at(location)}
    if case.path_parameters and ParameterLocation.PATH not in mutated:
        # Half the time a real record, half the time whatever was generated (mostly a 404). A path made invalid on
        # purpose is sent as it is: it must be refused.
        for name in case.path_parameters:
            if name in real_ids["path"] and zlib.crc32(repr(case.body).encode()) % 2 == 0:
                case.path_parameters[name] = real_ids["path"][name]
    # An Authorization header made invalid on purpose is sent as it is (and must be refused); otherwise the person's.
    headers = {} if ParameterLocation.HEADER in mutated else real_ids["headers"]
    response = case.call_and_validate(headers=headers, excluded_checks=NOT_APPLICABLE)
    assert response.status_code < 500


@pytest.fixture
def as_coordinator(personas: Personas) -> dict[str, Any]:
    return _real_ids(personas, personas.coordinator)


@pytest.fixture
def as_facilitator(personas: Personas) -> dict[str, Any]:
    return _real_ids(personas, personas.facilitator)


@pytest.fixture
def as_referrer(personas: Personas) -> dict[str, Any]:
    # The referrer sees no case: one just allocated is as hidden from them, and cheaper to build.
    return _real_ids(personas, personas.referrer, State.ALLOCATED)


FUZZ = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": True}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_a_coordinator(case: Any, as_coordinator: dict[str, Any]) -> None:
    _call(case, as_coordinator)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=3, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_the_cases_facilitator(case: Any, as_facilitator: dict[str, Any]) -> None:
    _call(case, as_facilitator)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=1, **FUZZ)  # type: ignore[arg-type]
def test_it_keeps_its_word_to_a_referrer(case: Any, as_referrer: dict[str, Any]) -> None:
    _call(case, as_referrer)
