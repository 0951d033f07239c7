"""Every API write that changes an existing record takes the version its client read, so two clients' changes never
silently overwrite each other (a stale version answers 409).

The rule, read from the OpenAPI schema alone:
- a PATCH, PUT or DELETE changes the record its path names;
- a POST that answers 201 creates a record (a child under its parent, such as a contact under a participant): there is
  no earlier version of it to be stale, so it takes none;
- a POST that answers 200 acts on an existing record (a transition, a triage decision, cancelling a meeting, recording
  or correcting the one agreement of a case): it changes that record.
Each write that changes a record must have a required `version` property in its JSON body. The only exceptions are
below, each with its reason; an exception for an operation that no longer exists fails too.
"""

import json
from typing import Any

import pytest

from amends.api import api

pytestmark = pytest.mark.django_db

# Writes that change a record without a version, and why no change can be lost through them.
WITHOUT_VERSION = {
    ("post", "/api/v1/tasks/{task_id}/done"): "Takes nothing from what was read (no body) and happens once: marking a "
    "task done again is refused, so there is nothing to overwrite.",
    ("post", "/api/v1/cases/{case_id}/risk-assessments/{assessment_id}/sign-off"): "Happens once: an assessment "
    "already signed off refuses another sign-off, and an assessment is never edited (a change is a new assessment).",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The schema /api/v1/openapi.json serves, read from the API itself (every request through the middleware connects
    to the database first, which a module-scoped fixture may not)."""
    return dict(json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"))))


def _body_schema(schema: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    while "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].split("/")[-1]]
    return dict(body)


def _changes_a_record(method: str, operation: dict[str, Any]) -> bool:
    if method in {"patch", "put", "delete"}:
        return True
    return method == "post" and "200" in operation["responses"]


def _writes(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in {"post", "patch", "put", "delete"}
    ]


def test_it_tells_a_creation_from_a_change_for_every_post(schema: dict[str, Any]) -> None:
    unclear = [
        f"POST {path}"
        for method, path, operation in _writes(schema)
        if method == "post" and ("200" in operation["responses"]) == ("201" in operation["responses"])
    ]
    assert unclear == [], "Each POST documents either 201 (it creates) or 200 (it changes a record), not both"


def test_it_takes_a_version_on_every_write_that_changes_a_record(schema: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _writes(schema):
        if not _changes_a_record(method, operation) or (method, path) in WITHOUT_VERSION:
            continue
        body = _body_schema(schema, operation)
        if "version" not in body.get("properties", {}) or "version" not in body.get("required", []):
            missing.append(f"{method.upper()} {path}")
        elif "409" not in operation["responses"]:
            missing.append(f"{method.upper()} {path} (409 not documented)")
    assert missing == [], f"Writes that change a record without a required version: {missing}"


def test_it_excepts_only_operations_that_exist_and_change_a_record(schema: dict[str, Any]) -> None:
    writes = {(method, path): operation for method, path, operation in _writes(schema)}
    for key in WITHOUT_VERSION:
        assert key in writes, f"{key} is no longer in the API: drop its exception"
        assert _changes_a_record(key[0], writes[key]), f"{key} creates a record: it needs no exception"
