"""The JSON API (OpenAPI 3.1 at /api/v1/openapi.json). Session sign-in with CSRF; the same access helpers as pages."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.security import SessionAuth

from amends.accounts import access, selectors
from amends.accounts.models import Day, Role, User
from amends.permissions import Capability, roles_in

api = NinjaAPI(
    title="Amends API",
    version="1",
    description="Case management for restorative justice services. Every endpoint needs a signed-in staff session "
    "with two-factor sign-in; a record you may not see answers 404, exactly as one that does not exist.",
    auth=SessionAuth(csrf=True),
    urls_namespace="api",
    # The schema and its browser need a signed-in session too.
    docs_decorator=login_required,
)


class Problem(Schema):
    detail: str


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


@api.get("/services", response=list[ServiceSummary], summary="Services you have a role in")
def list_services(request: HttpRequest) -> list[ServiceSummary]:
    user = access.signed_in_user(request)
    return [
        ServiceSummary(id=service.pk, name=service.name, code=service.code, my_roles=_role_values(user, service.pk))
        for service in access.services_visible_to(user).order_by("name")
    ]


@api.get("/services/{service_id}", response={200: ServiceOut, 404: Problem}, summary="One service")
def get_service(request: HttpRequest, service_id: int) -> ServiceOut:
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


@api.get("/services/{service_id}/people", response={200: list[MemberOut], 404: Problem}, summary="A service's people")
def list_people(request: HttpRequest, service_id: int) -> list[MemberOut]:
    user = access.signed_in_user(request)
    service = access.get_service_for_user(user, service_id, Capability.VIEW_PEOPLE)
    members = selectors.member_list(service=service, memberships=access.memberships_visible_to(user, service))
    return [
        MemberOut(
            id=member.user.pk,
            full_name=member.user.full_name,
            roles=[Role(role).value for role in member.roles],
            rjc_level=member.record.rjc_level if member.record else None,
        )
        for member in members
    ]
