"""Clear answers at the edges, never a server error: a request too large to read (413), a database that cannot be
reached (503 with Retry-After, and back without a restart), and a health check a load balancer can use."""

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from amends.api import api
from amends.core.heartbeat import record_heartbeat
from amends.core.middleware import DatabaseUnavailableMiddleware
from amends.core.models import WorkerHeartbeat
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db

THREE_MEGABYTES = 3 * 1024 * 1024


def test_it_answers_413_with_a_reason_to_a_json_body_over_the_limit(personas: Personas) -> None:
    body = json.dumps({"summary": "x" * THREE_MEGABYTES})

    response = signed_in_client(personas.coordinator).post(
        f"/api/v1/services/{personas.service.pk}/referrals", body, content_type="application/json"
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "too large" in response.json()["detail"]


def test_it_answers_413_to_a_body_read_by_the_api_that_said_nothing_of_its_size_up_front(personas: Personas) -> None:
    # A form with a file may send more than the field limit, so the middleware lets it through; the API's own read
    # of the body then meets Django's limit.
    response = signed_in_client(personas.coordinator).post(
        f"/api/v1/services/{personas.service.pk}/referrals", {"summary": "x" * THREE_MEGABYTES}
    )

    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(("prefix", "heading"), [("", "What you sent is too large"), ("/cy", "rhy fawr")])
def test_it_answers_413_with_a_page_to_a_form_over_the_limit(personas: Personas, prefix: str, heading: str) -> None:
    response = Client().post(
        f"{prefix}/rj/{personas.service.code.lower()}/feedback/",
        f"summary={'x' * THREE_MEGABYTES}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert heading in page
    assert "govuk-footer" in page


def test_it_answers_413_with_a_page_to_form_fields_over_the_limit_beside_a_file(personas: Personas) -> None:
    response = Client().post(f"/rj/{personas.service.code.lower()}/feedback/", {"summary": "x" * THREE_MEGABYTES})

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


@override_settings(AMENDS_RELAY_MAX_UPLOAD_MB=1)
def test_it_lets_a_form_carry_a_file_as_large_as_amends_accepts_and_no_larger(
    personas: Personas, tmp_path: Path
) -> None:
    address = f"/rj/{personas.service.code.lower()}/feedback/"
    within = tmp_path / "within.pdf"
    within.write_bytes(b"x" * THREE_MEGABYTES)  # 3 MB: under 1 MB of file and 2.5 MB of fields
    beyond = tmp_path / "beyond.pdf"
    beyond.write_bytes(b"x" * (4 * 1024 * 1024))

    with within.open("rb") as file:
        assert Client().post(address, {"file": file}).status_code == 200
    with beyond.open("rb") as file:
        assert Client().post(address, {"file": file}).status_code == 413


# What Connection.connect() resets before it tries: put back afterwards, with the test's own open connection.
CONNECTION_STATE = (
    "connection",
    "in_atomic_block",
    "savepoint_ids",
    "atomic_blocks",
    "needs_rollback",
    "health_check_enabled",
    "health_check_done",
    "close_at",
    "closed_in_transaction",
    "errors_occurred",
)


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Point the connection at a database that is not there, as when its server has stopped, so that the next request
    really tries to connect and fails; then back again. The test's open connection (and its transaction) is set
    aside meanwhile: an in-memory SQLite database would end with it."""
    settings_dict = connection.settings_dict
    saved_settings = {key: settings_dict[key] for key in ("NAME", "HOST", "PORT")}
    saved_state = {name: getattr(connection, name) for name in CONNECTION_STATE}
    connection.connection = None
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/amends.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1: refused at once
    try:
        yield
    finally:
        settings_dict.update(saved_settings)
        for name, value in saved_state.items():
            setattr(connection, name, value)


def test_it_answers_400_as_json_on_the_api_to_a_host_it_does_not_serve() -> None:
    response = Client(HTTP_HOST="not a host!").get("/api/v1/cases")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "The request cannot be read."
    # Pages keep Django's own page.
    assert Client(HTTP_HOST="not a host!").get("/").status_code == 400


def test_it_answers_503_while_the_database_is_unreachable_and_recovers_without_a_restart() -> None:
    client = Client()
    with database_unreachable():
        page = client.get("/rj/")
        api = client.get("/api/v1/services")
        health = client.get("/healthz")
        assert connection.connection is None  # nothing broken is kept for the next request

    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page.content.decode()
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert "unavailable" in api.json()["detail"]
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "unreachable", "worker": "unknown"}
    assert client.get("/rj/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_it_reports_the_database_and_an_unknown_worker_without_failing_the_load_balancer() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "unknown"}
    assert Client().get("/healthz?worker=1").status_code == 503


def test_it_reports_a_worker_that_beat_recently_as_ok() -> None:
    record_heartbeat(worker_id="worker-a")

    response = Client().get("/healthz?worker=1")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


@override_settings(AMENDS_WORKER_LATE_SECONDS=120)
def test_it_reports_a_worker_silent_too_long_as_late() -> None:
    WorkerHeartbeat.objects.create(worker_id="worker-a", beat_at=timezone.now() - datetime.timedelta(seconds=121))

    assert Client().get("/healthz").json()["worker"] == "late"
    assert Client().get("/healthz?worker=1").status_code == 503


def test_it_forgets_workers_silent_for_a_day() -> None:
    WorkerHeartbeat.objects.create(worker_id="gone", beat_at=timezone.now() - datetime.timedelta(days=2))

    record_heartbeat(worker_id="running")

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["running"]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_worker_records_a_heartbeat_when_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # django-tasks-db's own loop is left out: it closes the database connection between tasks, which would end the
    # test's transaction. What is ours is the heartbeat around it.
    monkeypatch.setattr(DatabaseWorkerCommand, "handle", lambda self, *args, **options: None)

    call_command("db_worker", "--no-reload", "--worker-id", "worker-b", verbosity=0)

    assert WorkerHeartbeat.objects.filter(worker_id="worker-b").exists()
    assert Client().get("/healthz").json()["worker"] == "ok"


def test_it_answers_503_when_the_database_fails_while_a_page_or_the_api_is_being_made() -> None:
    # The database went away after the request began: the view (or the API handler) raised, and no response was made.
    factory = RequestFactory()
    page = DatabaseUnavailableMiddleware(lambda request: HttpResponse()).process_exception(
        factory.get("/services/"), OperationalError("server closed the connection unexpectedly")
    )
    answer = api.on_exception(factory.get("/api/v1/services"), InterfaceError("connection already closed"))

    assert page is not None
    assert (page.status_code, page["Retry-After"]) == (503, "30")
    assert (answer.status_code, answer["Retry-After"]) == (503, "30")
