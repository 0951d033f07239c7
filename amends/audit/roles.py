"""What the application's PostgreSQL role is granted: rows to read and write, and nothing it could own.

Production runs Amends under a role that owns no table (DATABASE_URL) and migrations under the owner
(MIGRATION_DATABASE_URL). PostgreSQL lets only a table's owner (or a superuser) alter it, disable or drop its
triggers, so the application's role cannot switch off the audit's append-only triggers; on top of that it is refused
UPDATE, DELETE and TRUNCATE on the audit events, so the rows stand even without the triggers.
"""

from django.db import connection

from amends.audit.models import AuditEvent


class RoleRefusedError(Exception):
    """The named role cannot serve as the application's role."""


def application_grants(role: str) -> list[str]:
    """The statements that give the role what Amends needs, now and for the tables later migrations create."""
    quoted = connection.ops.quote_name(role)
    audit = connection.ops.quote_name(AuditEvent._meta.db_table)
    schema = _schema()
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        # Tables the owner creates in later migrations get the same, without running this again.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        # Audit events are only ever added.
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {quoted}",
    ]


def _schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return connection.ops.quote_name(schema)


def grant_application_role(*, role: str) -> list[str]:
    """Grant the role what Amends needs, after checking it is neither a superuser nor an owner; returns the SQL run."""
    if connection.vendor != "postgresql":
        raise RoleRefusedError("only PostgreSQL has roles to grant")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise RoleRefusedError(f"there is no role {role}: create it first (CREATE ROLE … LOGIN PASSWORD …)")
        if found[0]:
            raise RoleRefusedError(f"{role} is a superuser, which can alter any table and disable any trigger")
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)", [role]
        )
        (owned,) = cursor.fetchone()
        if owned:
            raise RoleRefusedError(
                f"{role} owns {owned} tables or other relations; the application's role must own nothing"
            )
        statements = application_grants(role)
        for statement in statements:
            cursor.execute(statement)
    return statements
