"""Database triggers that make the audit table append-only, on SQLite and PostgreSQL alike.

They refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) for every connection, so the application, a shell and a
migration all meet the same wall. Only someone who can drop triggers can get past it, and verify_audit catches that.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

SQLITE_CREATE = [
    (
        f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    ),
    (
        f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]

POSTGRESQL_CREATE = [
    (
        "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$;"
    ),
    (
        f"CREATE OR REPLACE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();"
    ),
    (
        f"CREATE OR REPLACE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();"
    ),
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE};",
]


def _statements(connection: BaseDatabaseWrapper, *, create: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if connection.vendor == "postgresql":
        return POSTGRESQL_CREATE if create else POSTGRESQL_DROP
    raise NotImplementedError(f"No append-only audit triggers for {connection.vendor}.")


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=False):
            cursor.execute(statement)
