"""The JSON API (OpenAPI 3.1 at /api/v1/openapi.json and Swagger docs at /api/v1/docs, both public). A signed-in
session with CSRF, or a personal access token; the same access helpers and services as pages."""

import datetime
import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer, SessionAuth

from amends.accounts import access, selectors, tokens
from amends.accounts.models import Day, Role, User
from amends.cases.api import READ_ERRORS, missing_out, path_id
from amends.cases.api import router as cases_router
from amends.cases.services import RefusedError
from amends.complaints.api import router as complaints_router
from amends.core import plain
from amends.core.errors import DomainError, NotPermittedError
from amends.followup.api import router as followup_router
from amends.meetings.api import router as meetings_router
from amends.outcomes.api import router as outcomes_router
from amends.people.api import router as people_router
from amends.permissions import Capability, roles_in
from amends.referrals.api import router as referrals_router
from amends.relay.api import router as relay_router
from amends.youth.api import router as youth_router

logger = logging.getLogger(__name__)


class AccessTokenAuth(HttpBearer):
    """A personal access token in `Authorization: Bearer amd_...`: it acts as its person, with their roles only."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = tokens.user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Amends API",
    version="1",
    description="Case management for restorative justice services. Every endpoint needs a signed-in staff session "
    "with two-factor sign-in (and its CSRF token), or a personal access token made on the API tokens page, sent as "
    "`Authorization: Bearer <token>`. A token acts as its person, with their roles and nothing more. A record you may "
    "not see answers 404, exactly as one that does not exist; a step your role or part in the case does not allow "
    "answers 403. Input the schema does not allow answers 422: every "
    "limit of a single value (dates from 2000-01-01, amounts, text that must not be blank) is stated in the schema. "
    "Well-formed input that a rule refuses answers 409 with `detail` and the `field` it concerns: a step whose gates "
    "do not hold (each missing thing listed in `missing`), a case at another stage, a date that may not be after "
    "today, values that do not fit each other, or a record changed since you read it. "
    "Every write that changes a record takes the `version` you read (0 where you read none) in its body.",
    # The token first: the session check refuses a request without a CSRF token before any other is tried.
    auth=[AccessTokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
)
api.add_router("", referrals_router)
api.add_router("", cases_router)
api.add_router("", people_router)
api.add_router("", outcomes_router)
api.add_router("", meetings_router)
api.add_router("", relay_router)
api.add_router("", followup_router)
api.add_router("", youth_router)
api.add_router("", complaints_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A refused rule answers 409, or 403 when the person may not do this at all. Every limit of a single value is
    in the schema (422 when broken), so what a rule refuses is well-formed input that the state of the records,
    today's date, or how the values sent relate to each other does not allow: `field` names the input it concerns,
    when one does; `missing` lists each thing a step whose gates do not hold is missing, and what fixes it."""
    if isinstance(error, NotPermittedError):
        return api.create_response(request, {"detail": error.message}, status=403)
    items = error.items if isinstance(error, RefusedError) else []
    body = {"detail": error.message, "field": error.field, "missing": [m.dict() for m in missing_out(items)]}
    return api.create_response(request, body, status=409)


@api.exception_handler(RequestDataTooBig)
def request_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body larger than Django reads (one that did not say its length up front): 413, as the middleware answers."""
    return plain.too_large(request)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unreachable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The database went away while answering: 503 with Retry-After, as for pages (ninja would otherwise answer
    500 itself)."""
    logger.error("The database failed during an API request: answered 503", exc_info=error)
    return plain.unavailable(request)


class ServiceSummary(Schema):
    id: int
    name: str
    code: str
    my_roles: list[str]


class OpeningHoursOut(Schema):
    day: str
    closed: bool | None
    opens: datetime.time | None
    closes: datetime.time | None


class ServiceOut(ServiceSummary):
    organisation: str
    areas_covered: str
    phone: str
    email: str
    welsh_language_standards: bool
    opening_hours: list[OpeningHoursOut]


class MemberOut(Schema):
    id: int
    full_name: str
    roles: list[str]
    rjc_level: str | None


def _role_values(user: User, service_id: int) -> list[str]:
    return sorted(role.value for role in roles_in(user, service_id))


@api.get("/services", response={200: list[ServiceSummary], **READ_ERRORS}, summary="Services you have a role in")
def list_services(request: HttpRequest) -> list[ServiceSummary]:
    user = access.signed_in_user(request)
    return [
        ServiceSummary(id=service.pk, name=service.name, code=service.code, my_roles=_role_values(user, service.pk))
        for service in access.services_visible_to(user).order_by("name")
    ]


@api.get("/services/{service_id}", response={200: ServiceOut, **READ_ERRORS}, summary="One service")
def get_service(request: HttpRequest, service_id: int = path_id()) -> ServiceOut:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id)
    return ServiceOut(
        id=service.pk,
        name=service.name,
        code=service.code,
        my_roles=_role_values(user, service.pk),
        organisation=service.organisation.name,
        areas_covered=service.areas_covered,
        phone=service.phone,
        email=service.email,
        welsh_language_standards=service.welsh_language_standards,
        opening_hours=[
            OpeningHoursOut(
                day=Day(day).name.lower(),
                closed=row.closed if row else None,
                opens=row.opens if row else None,
                closes=row.closes if row else None,
            )
            for day, row in selectors.opening_hours_by_day(service)
        ],
    )


@api.get("/services/{service_id}/people", response={200: list[MemberOut], **READ_ERRORS}, summary="A service's people")
def list_people(request: HttpRequest, service_id: int = path_id()) -> list[MemberOut]:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.VIEW_PEOPLE)
    members = access.people_of(user, service)
    return [
        MemberOut(
            id=member.user.pk,
            full_name=member.user.full_name,
            roles=[Role(role).value for role in member.roles],
            rjc_level=member.record.rjc_level if member.record else None,
        )
        for member in members
    ]
