"""The permission matrix: every page and API endpoint × every role × our service / another service.

Each row names an endpoint and the roles that may use it in their own service. Everyone else, and everyone at all
when the record belongs to another service, gets 404 (a forbidden record looks exactly like a missing one).
Expectations are written out here by hand, not derived from amends/permissions.py, so a change to the policy
table that is not also made here fails.

API writes send a JSON body valid against the schema (ninja answers 422 to an invalid one before any access check):
an allowed person then succeeds, or meets a rule of the domain (409, or 403 for a step their role does not allow)
where the row says so; anyone else gets 404 all the same.

Later issues add their endpoints to ENDPOINTS; test_it_covers_every_url, test_it_covers_every_api_endpoint and
test_it_covers_every_api_write fail until they do.
"""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from amends.accounts.models import Invitation, Membership, Role, Service, User
from amends.cases.models import TaskKind
from amends.cases.services import create_task
from tests.case_builders import build_case, make_referral
from tests.conftest import signed_in_client
from tests.matrix.base import EVERYONE, MEMBERS, PEOPLE, Endpoint, Target
from tests.personas import Personas


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Path) -> None:
    """Files a row writes (a message's file, a figures export) go to a folder of the test's own."""
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"


def _service(t: Target) -> str:
    return f"/services/{t.service.pk}"


def _member(t: Target) -> str:
    return f"{_service(t)}/people/{t.member.pk}"


ACCOUNT_ENDPOINTS = (
    Endpoint("home", "GET", lambda t: "/", EVERYONE, service_scoped=False),
    Endpoint("service list", "GET", lambda t: "/services/", EVERYONE, service_scoped=False),
    Endpoint("service", "GET", lambda t: f"{_service(t)}/", MEMBERS),
    Endpoint("edit service", "GET", lambda t: f"{_service(t)}/edit/", frozenset({"coordinator", "administrator"})),
    Endpoint("edit service", "POST", lambda t: f"{_service(t)}/edit/", frozenset({"coordinator", "administrator"})),
    Endpoint(
        "opening hours", "GET", lambda t: f"{_service(t)}/opening-hours/", frozenset({"coordinator", "administrator"})
    ),
    Endpoint(
        "opening hours", "POST", lambda t: f"{_service(t)}/opening-hours/", frozenset({"coordinator", "administrator"})
    ),
    Endpoint(
        "people", "GET", lambda t: f"{_service(t)}/people/", frozenset({"coordinator", "supervisor", "administrator"})
    ),
    Endpoint("invite", "GET", lambda t: f"{_service(t)}/people/invite/", frozenset({"coordinator", "administrator"})),
    Endpoint("invite", "POST", lambda t: f"{_service(t)}/people/invite/", frozenset({"coordinator", "administrator"})),
    Endpoint(
        "withdraw invitation",
        "GET",
        lambda t: f"{_service(t)}/invitations/{t.invitation.pk}/withdraw/",
        frozenset({"coordinator", "administrator"}),
    ),
    Endpoint(
        "withdraw invitation",
        "POST",
        lambda t: f"{_service(t)}/invitations/{t.invitation.pk}/withdraw/",
        frozenset({"coordinator", "administrator"}),
    ),
    # The member is the facilitator: they may see their own page.
    Endpoint(
        "member",
        "GET",
        lambda t: f"{_member(t)}/",
        frozenset({"coordinator", "supervisor", "administrator", "facilitator"}),
    ),
    Endpoint(
        "end role",
        "GET",
        lambda t: f"{_member(t)}/roles/{t.membership.pk}/end/",
        frozenset({"coordinator", "administrator"}),
    ),
    Endpoint(
        "end role",
        "POST",
        lambda t: f"{_member(t)}/roles/{t.membership.pk}/end/",
        frozenset({"coordinator", "administrator"}),
    ),
    # The member is the facilitator, whose supervisor those who manage people choose.
    Endpoint("supervisor", "GET", lambda t: f"{_member(t)}/supervisor/", frozenset({"coordinator", "administrator"})),
    Endpoint("supervisor", "POST", lambda t: f"{_member(t)}/supervisor/", frozenset({"coordinator", "administrator"})),
    Endpoint("facilitator record", "GET", lambda t: f"{_member(t)}/record/", frozenset({"coordinator"})),
    Endpoint("facilitator record", "POST", lambda t: f"{_member(t)}/record/", frozenset({"coordinator"})),
    Endpoint("add training", "GET", lambda t: f"{_member(t)}/training/add/", frozenset({"coordinator", "facilitator"})),
    Endpoint(
        "add training", "POST", lambda t: f"{_member(t)}/training/add/", frozenset({"coordinator", "facilitator"})
    ),
    Endpoint("add CPD", "GET", lambda t: f"{_member(t)}/cpd/add/", frozenset({"coordinator", "facilitator"})),
    Endpoint("add CPD", "POST", lambda t: f"{_member(t)}/cpd/add/", frozenset({"coordinator", "facilitator"})),
    Endpoint(
        "add supervision", "GET", lambda t: f"{_member(t)}/supervision/add/", frozenset({"coordinator", "supervisor"})
    ),
    Endpoint(
        "add supervision", "POST", lambda t: f"{_member(t)}/supervision/add/", frozenset({"coordinator", "supervisor"})
    ),
    Endpoint(
        "add observation", "GET", lambda t: f"{_member(t)}/observation/add/", frozenset({"coordinator", "supervisor"})
    ),
    Endpoint(
        "add observation", "POST", lambda t: f"{_member(t)}/observation/add/", frozenset({"coordinator", "supervisor"})
    ),
    # The audit shows only the viewer's own services' events; with no such service it is not there at all.
    Endpoint("audit", "GET", lambda t: "/audit/", frozenset({"coordinator", "administrator"}), service_scoped=False),
    Endpoint("API: services", "GET", lambda t: "/api/v1/services", EVERYONE, service_scoped=False),
    Endpoint("API: service", "GET", lambda t: f"/api/v1/services/{t.service.pk}", MEMBERS),
    Endpoint(
        "API: people",
        "GET",
        lambda t: f"/api/v1/services/{t.service.pk}/people",
        frozenset({"coordinator", "supervisor", "administrator"}),
    ),
)


def _extensions() -> tuple[tuple[Endpoint, ...], set[str], set[str], set[str], dict[str, str]]:
    """Each part of the product lists its own endpoints in tests/matrix/<part>.py: ENDPOINTS, URL_NAMES (page URL
    names covered), API_PATHS (API paths covered), API_WRITES (API writes covered, as "METHOD path") and PUBLIC
    (public page URL names, each with the test file that proves who may use it)."""
    import importlib
    import pkgutil

    import tests.matrix

    endpoints: list[Endpoint] = []
    url_names: set[str] = set()
    api_paths: set[str] = set()
    api_writes: set[str] = set()
    public: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"tests.matrix.{module_info.name}")
        endpoints += module.ENDPOINTS
        url_names |= set(getattr(module, "URL_NAMES", ()))
        api_paths |= set(getattr(module, "API_PATHS", ()))
        api_writes |= set(getattr(module, "API_WRITES", ()))
        public |= getattr(module, "PUBLIC", {})
    return tuple(endpoints), url_names, api_paths, api_writes, public


EXTRA_ENDPOINTS, EXTRA_URL_NAMES, EXTRA_API_PATHS, EXTRA_API_WRITES, PUBLIC_URL_NAMES = _extensions()
ENDPOINTS = ACCOUNT_ENDPOINTS + EXTRA_ENDPOINTS

# URL names that are not in the matrix, and why.
NOT_IN_MATRIX = {
    "accept_invitation": "public: reached by the emailed token, tested in tests/accounts/test_invitations.py",
    "health": "public: load balancer health check",
    "mfa_remove_webauthn": "allauth's page behind our guard for the last second factor, tested in "
    "tests/accounts/test_pages.py",
    **PUBLIC_URL_NAMES,
}


def _target(
    service: Service,
    member: User,
    coordinator: User,
    referrer: User | None = None,
    supervisor: User | None = None,
) -> Target:
    membership = Membership.objects.get(service=service, user=member, ended_at__isnull=True)
    built = build_case(service=service, coordinator=coordinator, facilitator=member)
    referral = make_referral(service=service, actor=referrer or coordinator, crime_reference="MATRIX/1")
    task = create_task(
        service=service,
        case=built.case,
        kind=TaskKind.RISK_REVIEW,
        assigned_to=member,
        due_on=timezone.localdate(),
    )
    invitation = Invitation.objects.create(
        service=service,
        role=Role.FACILITATOR,
        email="invited@amends.example",
        full_name="Invited Person",
        token_hash=Invitation.hash_token(f"token-{service.pk}"),
        invited_by=coordinator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return Target(
        service=service,
        member=member,
        membership=membership,
        invitation=invitation,
        case=built.case,
        participant=built.harmed,
        referral=referral,
        task=task,
        coordinator=coordinator,
        supervisor=supervisor,
    )


def _cases() -> list[tuple[Endpoint, str, str]]:
    return [(endpoint, person, where) for endpoint in ENDPOINTS for person in PEOPLE for where in ("own", "other")]


def _id(case: tuple[Endpoint, str, str]) -> str:
    endpoint, person, where = case
    return f"{endpoint.method} {endpoint.name} | {person} | {where} service"


@pytest.mark.parametrize("case", _cases(), ids=_id)
def test_it_allows_exactly_the_roles_in_the_matrix(personas: Personas, case: tuple[Endpoint, str, str]) -> None:
    endpoint, person, where = case
    if where == "own":
        target = _target(
            personas.service, personas.facilitator, personas.coordinator, personas.referrer, personas.supervisor
        )
    else:
        target = _target(personas.other_service, personas.other_facilitator, personas.other_coordinator)
    user = getattr(personas, person)
    client = signed_in_client(user)
    path = endpoint.path(target)
    body = endpoint.body(target) if endpoint.body else None
    if endpoint.method == "GET":
        response = client.get(path)
    elif body is not None:
        data = json.dumps(body, cls=DjangoJSONEncoder)
        response = client.generic(endpoint.method, path, data, content_type="application/json")
    else:
        response = client.post(path, {})

    expected_allowed = person in endpoint.allowed and (where == "own" or not endpoint.service_scoped)
    if expected_allowed and body is not None:
        # Past every access check, a valid body either succeeds or meets a rule of the domain: never 422 or 404.
        if person in endpoint.refused:
            assert response.status_code in (403, 409), (
                f"{person} should meet a rule at {path}, got {response.status_code}: {response.content[:300]!r}"
            )
            assert response.json()["detail"], f"the refusal at {path} says why"
        else:
            assert 200 <= response.status_code < 300, (
                f"{person} should succeed at {path}, got {response.status_code}: {response.content[:300]!r}"
            )
    elif expected_allowed:
        assert response.status_code in (200, 302), f"{person} should reach {path}, got {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/" not in response["Location"], (
                f"{person} was sent to sign in again: {response['Location']}"
            )
    else:
        assert response.status_code == 404, f"{person} should get 404 at {path}, got {response.status_code}"


def _named_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every named page URL, as "namespace:name" inside a namespace, leaving out the API and allauth's own pages."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace or ""
            # allauth's own pages have their own tests upstream; ours are checked below through the sign-in tests.
            # The i18n patterns are one list that includes allauth's, so only allauth's own modules are skipped.
            module = getattr(pattern.urlconf_module, "__name__", "")
            if namespace != "api" and not module.startswith("allauth"):
                names += _named_patterns(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{prefix}{pattern.name}")
    return names


def test_it_covers_every_url() -> None:
    """A new page must be added to the matrix (or to NOT_IN_MATRIX with a reason)."""
    in_matrix_paths = {
        "home",
        "service_list",
        "service_detail",
        "service_edit",
        "opening_hours_edit",
        "people",
        "invite",
        "withdraw_invitation",
        "member_detail",
        "end_membership",
        "supervisor_edit",
        "facilitator_record_edit",
        "add_practice_entry",
        "audit_list",
        *EXTRA_URL_NAMES,
    }
    missing = set(_named_patterns()) - in_matrix_paths - set(NOT_IN_MATRIX)
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"


def test_it_covers_every_api_endpoint(personas: Personas) -> None:
    schema = signed_in_client(personas.coordinator).get("/api/v1/openapi.json").json()
    documented = set(schema["paths"])
    in_matrix = {
        "/api/v1/services",
        "/api/v1/services/{service_id}",
        "/api/v1/services/{service_id}/people",
        *EXTRA_API_PATHS,
    }
    assert documented == in_matrix


def test_it_covers_every_api_write(personas: Personas) -> None:
    """Every POST, PATCH, PUT or DELETE the API documents has a row that sends it a valid body (or needs none)."""
    schema = signed_in_client(personas.coordinator).get("/api/v1/openapi.json").json()
    documented = {
        f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations
    } - {f"GET {path}" for path in schema["paths"]}
    assert documented == EXTRA_API_WRITES


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "GET"], ids=lambda e: e.name)
def test_it_sends_anonymous_visitors_to_sign_in(personas: Personas, endpoint: Endpoint) -> None:
    target = _target(personas.service, personas.facilitator, personas.coordinator)
    response = Client().get(endpoint.path(target))
    if endpoint.path(target).startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.method == "GET"], ids=lambda e: e.name)
def test_it_lets_a_user_without_a_second_factor_reach_only_enrolment(personas: Personas, endpoint: Endpoint) -> None:
    target = _target(personas.service, personas.facilitator, personas.coordinator)
    personas.coordinator.authenticator_set.all().delete()
    response = signed_in_client(personas.coordinator).get(endpoint.path(target))
    if endpoint.path(target).startswith("/api/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
