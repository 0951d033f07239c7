"""The JSON API answers with the same access rules as the pages."""

import pytest
from django.test import Client

from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_services_you_have_a_role_in(personas: Personas) -> None:
    body = signed_in_client(personas.coordinator).get("/api/v1/services").json()
    assert body == [
        {
            "id": personas.service.pk,
            "name": personas.service.name,
            "code": personas.service.code,
            "my_roles": ["coordinator"],
        }
    ]


def test_it_gives_a_partnership_lead_the_partnership_services(personas: Personas) -> None:
    body = signed_in_client(personas.partnership_lead).get("/api/v1/services").json()
    assert [service["id"] for service in body] == [personas.service.pk]
    assert body[0]["my_roles"] == ["partnership_lead"]


def test_it_answers_404_with_a_reason_for_another_service(personas: Personas) -> None:
    response = signed_in_client(personas.coordinator).get(f"/api/v1/services/{personas.other_service.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_it_lists_people_with_their_roles(personas: Personas) -> None:
    body = signed_in_client(personas.coordinator).get(f"/api/v1/services/{personas.service.pk}/people").json()
    facilitator = next(person for person in body if person["id"] == personas.facilitator.pk)
    assert facilitator["roles"] == ["facilitator"]
    assert facilitator["rjc_level"] == "intermediate"


def test_it_publishes_an_openapi_3_1_schema_to_anyone(personas: Personas) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"SessionAuth", "AccessTokenAuth"} <= set(schema["components"]["securitySchemes"])


def test_it_keeps_the_swagger_page_behind_sign_in(personas: Personas) -> None:
    # ninja renders it from a CDN with an inline script, which our content security policy would block anyway.
    assert Client().get("/api/v1/docs").status_code == 302
    assert signed_in_client(personas.facilitator).get("/api/v1/docs").status_code == 200


def test_it_documents_every_answer_each_operation_gives(personas: Personas) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "404", "422"} <= documented, f"{method} {path}"
            if method != "get":
                assert {"400", "409"} <= documented, f"{method} {path}"
