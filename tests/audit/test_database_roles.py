"""The application's database role owns nothing: it cannot switch off the audit's triggers or alter its table."""

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from amends.accounts.models import User
from amends.audit.models import AuditAction, AuditEvent
from amends.audit.services import record_event, verify_chain
from config.env import use_migration_database
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


def execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def application_role(db: None) -> Iterator[str]:
    """A role that owns nothing, granted as production's is, and this connection acting as it; the test's rollback
    takes the role away again (roles and grants are transactional in PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no roles: any connection can drop its triggers")
    role = f"amends_test_application_{os.getpid()}"
    execute(f"CREATE ROLE {connection.ops.quote_name(role)} NOLOGIN")
    call_command("grant_application_role", role, stdout=io.StringIO())
    execute(f"SET ROLE {connection.ops.quote_name(role)}")
    yield role
    execute("RESET ROLE")


@pytest.fixture
def actor(db: None) -> User:
    return UserFactory(second_factor=False)


@pytest.mark.parametrize(
    "statement",
    [
        f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_no_update_or_delete",
        f"DROP TRIGGER audit_event_no_update_or_delete ON {TABLE}",
        f"ALTER TABLE {TABLE} ADD COLUMN forged text",
        f"ALTER TABLE {TABLE} DROP COLUMN hash",
        "DROP FUNCTION audit_event_refuse_change() CASCADE",
    ],
    ids=["disable-all-triggers", "disable-trigger", "drop-trigger", "add-column", "drop-column", "drop-function"],
)
def test_the_application_role_cannot_switch_off_or_alter_the_audit(application_role: str, statement: str) -> None:
    with pytest.raises(DatabaseError, match="must be owner of"), transaction.atomic():
        execute(statement)


@pytest.mark.parametrize(
    "statement",
    [f"UPDATE {TABLE} SET action = 'signed_in'", f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"],  # noqa: S608
    ids=["update", "delete", "truncate"],
)
def test_the_application_role_may_not_change_audit_rows_even_without_the_triggers(
    application_role: str, statement: str
) -> None:
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        execute(statement)


def test_the_application_role_still_records_events(actor: User, application_role: str) -> None:
    event = record_event(action=AuditAction.SIGNED_IN, actor=actor)

    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert verify_chain() is None


def test_it_refuses_to_grant_a_role_that_owns_a_table_or_is_a_superuser(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no roles")
    owner = f"amends_test_owner_{os.getpid()}"
    execute(f"CREATE ROLE {connection.ops.quote_name(owner)} NOLOGIN")
    execute("CREATE TABLE amends_test_owned (id integer)")
    execute(f"ALTER TABLE amends_test_owned OWNER TO {connection.ops.quote_name(owner)}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1")
        (superuser,) = cursor.fetchone()

    with pytest.raises(CommandError, match="owns 1 tables or other relations; the application's role must own nothing"):
        call_command("grant_application_role", owner, stdout=io.StringIO())
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("grant_application_role", superuser, stdout=io.StringIO())


def test_only_owner_commands_use_the_migration_database() -> None:
    environ = {
        "DATABASE_URL": "postgres://amends_app@db/amends",
        "MIGRATION_DATABASE_URL": "postgres://owner@db/amends",
    }

    for command in ("runserver", "db_worker", "verify_audit", "shell"):
        unchanged = dict(environ)
        use_migration_database(["manage.py", command], unchanged)
        assert unchanged["DATABASE_URL"] == "postgres://amends_app@db/amends"
    for command in ("migrate", "createcachetable", "grant_application_role"):
        switched = dict(environ)
        use_migration_database(["manage.py", command, "--no-input"], switched)
        assert switched["DATABASE_URL"] == "postgres://owner@db/amends"
    alone = {"DATABASE_URL": "postgres://amends_app@db/amends"}
    use_migration_database(["manage.py", "migrate"], alone)
    assert alone == {"DATABASE_URL": "postgres://amends_app@db/amends"}


def test_manage_py_creates_tables_through_the_migration_database(tmp_path: Path) -> None:
    application, owner = tmp_path / "application.sqlite3", tmp_path / "owner.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AMENDS_ENVIRONMENT": "development",
        "DATABASE_URL": f"sqlite:///{application}",
        "MIGRATION_DATABASE_URL": f"sqlite:///{owner}",
    }

    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "createcachetable"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )

    with sqlite3.connect(owner) as database:
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"amends_cache", "amends_figures"} <= tables
    assert not application.exists() or application.stat().st_size == 0
