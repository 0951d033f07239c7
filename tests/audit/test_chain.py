import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from amends.accounts.models import Invitation, Role, Service, User
from amends.accounts.services import invite_member
from amends.audit import triggers
from amends.audit.models import AuditAction, AuditChainHead, AuditEvent
from amends.audit.services import CONCEALED, changes_between, created_values, record_event, verify_chain
from tests.factories import ServiceFactory, SupervisionSessionFactory, UserFactory
from tests.personas import Personas

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def actor(db: None) -> User:
    return UserFactory(second_factor=False)


@pytest.fixture
def events(actor: User) -> list[AuditEvent]:
    """Four events in a row, oldest first."""
    service = ServiceFactory()
    return [
        record_event(
            action=AuditAction.SERVICE_UPDATED,
            actor=actor,
            target=service,
            service=service,
            changes={"phone": {"before": f"01000 00000{n}", "after": f"01000 00000{n + 1}"}},
        )
        for n in range(4)
    ]


@contextmanager
def append_only_triggers_removed() -> Iterator[None]:
    """What someone able to drop triggers could do; DDL is transactional, so the test's rollback undoes it too."""
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def execute(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_audit_fails_at(event_id: int) -> None:
    with pytest.raises(CommandError, match=rf"Audit chain broken at event {event_id}:"):
        call_command("verify_audit", stdout=io.StringIO())


def test_it_links_each_event_to_the_one_before(actor: User) -> None:
    previous = AuditChainHead.objects.get_or_create(pk=1)[0].last_hash

    first = record_event(action=AuditAction.SIGNED_IN, actor=actor)
    second = record_event(action=AuditAction.SIGNED_OUT, actor=actor)

    assert first.previous_hash == previous
    assert second.previous_hash == first.hash
    assert [event.hash for event in (first, second)] == [first.compute_hash(), second.compute_hash()]
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash) == (second.pk, second.hash)


def test_it_finds_an_intact_chain_intact(events: list[AuditEvent]) -> None:
    output = io.StringIO()

    call_command("verify_audit", stdout=output)

    assert verify_chain() is None
    assert f"Audit chain intact: {AuditEvent.objects.count()} events verified" in output.getvalue()


def test_it_names_an_event_whose_changes_were_altered(events: list[AuditEvent]) -> None:
    with append_only_triggers_removed():
        AuditEvent.objects.filter(pk=events[1].pk).update(changes={"phone": {"before": "-", "after": "-"}})

    verify_audit_fails_at(events[1].pk)


def test_it_names_an_event_whose_action_was_altered(events: list[AuditEvent]) -> None:
    with append_only_triggers_removed():
        execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", [AuditAction.SIGNED_IN.value, events[2].pk])  # noqa: S608

    verify_audit_fails_at(events[2].pk)


def test_it_names_the_event_after_one_deleted_from_the_middle(events: list[AuditEvent]) -> None:
    with append_only_triggers_removed():
        execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])  # noqa: S608

    verify_audit_fails_at(events[2].pk)


def test_it_names_the_newest_event_when_it_was_deleted(events: list[AuditEvent]) -> None:
    with append_only_triggers_removed():
        execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[-1].pk])  # noqa: S608

    verify_audit_fails_at(events[-1].pk)


def test_it_names_an_event_inserted_with_a_forged_previous_hash(events: list[AuditEvent], actor: User) -> None:
    forged = AuditEvent(action=AuditAction.SIGNED_IN, actor=actor, previous_hash="f" * 64)
    forged.hash = forged.compute_hash()
    forged.save()

    verify_audit_fails_at(forged.pk)


def test_it_notices_an_event_appended_without_moving_the_chain_head(events: list[AuditEvent], actor: User) -> None:
    # A forgery that links correctly to the newest event: only the chain head shows it was not written by record_event.
    forged = AuditEvent(action=AuditAction.SIGNED_IN, actor=actor, previous_hash=events[-1].hash)
    forged.hash = forged.compute_hash()
    forged.save()

    verify_audit_fails_at(forged.pk)


@pytest.mark.parametrize(
    "change",
    [
        lambda event: execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["signed_in", event.pk]),  # noqa: S608
        lambda event: execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk]),  # noqa: S608
        lambda event: execute(f"DELETE FROM {TABLE}", []),  # noqa: S608
        lambda event: AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.SIGNED_IN),
        lambda event: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda event: AuditEvent.objects.all().delete(),
        lambda event: event.save(),
        lambda event: event.delete(),
    ],
    ids=[
        "sql-update",
        "sql-delete",
        "sql-delete-all",
        "orm-update",
        "orm-delete",
        "orm-delete-all",
        "save",
        "instance-delete",
    ],
)
def test_it_refuses_to_change_or_delete_an_event(
    events: list[AuditEvent], change: Callable[[AuditEvent], object]
) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(events[1])

    assert AuditEvent.objects.count() == len(events)
    assert verify_chain() is None


def test_it_refuses_to_truncate_the_events_on_postgresql(events: list[AuditEvent]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")

    # Check the new events' deferred foreign keys now: PostgreSQL will not truncate a table with checks pending.
    execute("SET CONSTRAINTS ALL IMMEDIATE", [])

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(f"TRUNCATE {TABLE} CASCADE", [])

    assert AuditEvent.objects.count() == len(events)


def test_it_still_appends_events(events: list[AuditEvent], actor: User) -> None:
    appended = record_event(action=AuditAction.SIGNED_OUT, actor=actor)

    assert AuditEvent.objects.order_by("-id").first() == appended
    assert AuditEvent.objects.count() == len(events) + 1
    assert verify_chain() is None


def test_it_conceals_encrypted_fields_in_changes(db: None) -> None:
    session = SupervisionSessionFactory(notes="Discussed the person harmed's wishes")
    invitation = Invitation(email="new@amends.example", full_name="Siân Jones", role=Role.FACILITATOR)

    changes = changes_between(
        invitation,
        {"email": "old@amends.example", "full_name": "Siân Jones", "role": Role.REFERRER},
        {"email": "new@amends.example", "full_name": "Siân Jones", "role": Role.FACILITATOR},
    )

    assert changes == {
        "email": {"before": CONCEALED, "after": CONCEALED},
        "role": {"before": "referrer", "after": "facilitator"},
    }
    assert created_values(session, ("held_on", "notes")) == {
        "held_on": {"before": None, "after": session.held_on.isoformat()},
        "notes": {"before": CONCEALED, "after": CONCEALED},
    }


def test_it_keeps_an_invited_persons_details_out_of_the_audit(personas: Personas) -> None:
    email, name = "sian.jones@amends.example", "Siân Ŵyn Jones"

    invitation = invite_member(
        service=personas.service, actor=personas.coordinator, email=email, full_name=name, role=Role.FACILITATOR
    )

    event = AuditEvent.objects.get(action=AuditAction.INVITATION_SENT, target_id=str(invitation.pk))
    assert event.changes["email"] == event.changes["full_name"] == {"before": CONCEALED, "after": CONCEALED}
    assert event.changes["role"]["after"] == Role.FACILITATOR.value
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
        row = " ".join(json.dumps(value, ensure_ascii=False, default=str) for value in cursor.fetchone())
    for secret in ("sian", "jones", "Siân", "Ŵyn", json.dumps(name)[1:-1], "amends.example"):
        assert secret.lower() not in row.lower()


def change_service_code_recording_first(*, service: Service, actor: User, code: str) -> None:
    """A write shaped like a service's, with the audit event recorded before the write that fails."""
    with transaction.atomic():
        record_event(action=AuditAction.SERVICE_UPDATED, actor=actor, target=service, service=service)
        Service.objects.filter(pk=service.pk).update(code=code)


def test_it_writes_no_event_when_the_write_it_records_fails(events: list[AuditEvent], actor: User) -> None:
    head = AuditChainHead.objects.get(pk=1)
    service = ServiceFactory()

    with pytest.raises(IntegrityError):
        change_service_code_recording_first(service=service, actor=actor, code="ab")

    assert AuditEvent.objects.count() == len(events)
    assert AuditChainHead.objects.get(pk=1).last_hash == head.last_hash
    assert verify_chain() is None
