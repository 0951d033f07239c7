"""The JSON API answers with the same access rules as the pages."""

from html.parser import HTMLParser

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


class _Scripts(HTMLParser):
    """The scripts and stylesheets a page loads, and any inline script a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.inline_scripts = 0
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.sources.append(attributes["src"] or "")
            # A JSON data block is read by a script, never run, so the content security policy does not apply.
            self._in_inline_script = not attributes.get("src") and attributes.get("type") != "application/json"
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.sources.append(attributes.get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False


def test_it_shows_the_api_docs_to_anyone_with_only_our_own_scripts(personas: Personas) -> None:
    # Our content security policy allows scripts only from our own static files (or with the page's nonce).
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = _Scripts()
    page.feed(response.content.decode())
    assert "/static/ninja/swagger-ui-bundle.js" in page.sources
    assert all(source.startswith("/static/") for source in page.sources), page.sources
    assert page.inline_scripts == 0
    assert "/api/v1/openapi.json" in response.content.decode()


def test_it_documents_every_answer_each_operation_gives(personas: Personas) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "404", "422"} <= documented, f"{method} {path}"
            if method != "get":
                assert {"400", "409"} <= documented, f"{method} {path}"


def test_no_two_api_schemas_share_a_name_with_different_fields() -> None:
    """The OpenAPI document names each schema by its class: two different classes of one name would document one
    endpoint with the other's fields."""
    import importlib
    import json
    import pkgutil

    from ninja import Schema

    import amends

    for module in pkgutil.walk_packages(amends.__path__, "amends."):
        if module.name.endswith(".api"):
            importlib.import_module(module.name)
    shapes: dict[str, set[str]] = {}
    pending: list[type[Schema]] = list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if schema.__module__.startswith("amends."):
            shape = json.dumps(schema.model_json_schema(), sort_keys=True)
            shapes.setdefault(schema.__name__, set()).add(shape)
    assert {name: len(found) for name, found in shapes.items() if len(found) > 1} == {}
