"""The keyed chain and its anchors: a rewrite with recomputed hashes is caught, with or without the key."""

import datetime
import hashlib
import hmac
import importlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from amends.accounts.models import User
from amends.audit import anchors, chain, tasks
from amends.audit.models import AuditAction, AuditChainHead, AuditEvent
from amends.audit.services import record_event, verify_chain
from tests.audit.test_chain import append_only_triggers_removed
from tests.factories import UserFactory

OLD_KEY = "an-older-audit-chain-key-for-these-tests-0123456789"
NEW_KEY = "a-newer-audit-chain-key-for-these-tests-0123456789"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def actor(db: None) -> User:
    return UserFactory(second_factor=False)


@pytest.fixture
def anchor_directory(settings: Any, tmp_path: Path) -> Path:
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


def record(actor: User, count: int) -> list[AuditEvent]:
    return [
        record_event(action=AuditAction.CASE_NOTE_ADDED, actor=actor, changes={"kind": {"before": None, "after": n}})
        for n in range(count)
    ]


def verify_audit() -> str:
    output = io.StringIO()
    call_command("verify_audit", stdout=output)
    return output.getvalue()


def verify_audit_failure() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=io.StringIO())
    return str(raised.value)


def plain_sha256(event: AuditEvent) -> str:
    """The published algorithm, as someone without the key would compute it."""
    return hashlib.sha256(chain.canonical(chain.content_of(event))).hexdigest()


def rewrite_from(event: AuditEvent, *, rehash: Any, key_id: str | None = None) -> None:
    """What the database's owner could do: alter an event, recompute every later hash, and move the chain head."""
    later = list(AuditEvent.objects.filter(pk__gte=event.pk).order_by("id"))
    later[0].changes = {"kind": {"before": None, "after": "something else"}}
    previous = later[0].previous_hash
    with append_only_triggers_removed():
        for row in later:
            row.previous_hash = previous
            if key_id is not None:
                row.key_id = key_id
            row.hash = rehash(row)
            AuditEvent.objects.filter(pk=row.pk).update(
                changes=row.changes, previous_hash=row.previous_hash, key_id=row.key_id, hash=row.hash
            )
            previous = row.hash
    AuditChainHead.objects.filter(pk=1).update(last_event_id=later[-1].pk, last_hash=previous)


def test_it_hashes_each_event_with_hmac_under_the_newest_key(actor: User, settings: Any) -> None:
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY, OLD_KEY]

    event = record_event(action=AuditAction.SIGNED_IN, actor=actor)

    assert event.key_id == chain.key_id_of(NEW_KEY) != chain.key_id_of(OLD_KEY)
    content = chain.canonical(chain.content_of(event))
    assert chain.content_of(event)["key_id"] == event.key_id
    assert event.hash == hmac.new(NEW_KEY.encode(), content, hashlib.sha256).hexdigest()
    assert event.hash != plain_sha256(event)


@pytest.mark.parametrize("key_id", [None, chain.UNKEYED], ids=["keeping-key-ids", "as-unkeyed-events"])
def test_it_names_the_first_event_rewritten_with_plain_sha256(actor: User, key_id: str | None) -> None:
    events = record(actor, 4)

    rewrite_from(events[1], rehash=plain_sha256, key_id=key_id)

    assert f"Audit chain broken at event {events[1].pk}:" in verify_audit_failure()


def test_it_names_an_event_rewritten_with_the_key_by_an_anchor_taken_before(
    actor: User, anchor_directory: Path
) -> None:
    first = record(actor, 2)
    anchors.write_anchor(directory=anchor_directory, now=NOW)
    second = record(actor, 2)
    anchors.write_anchor(directory=anchor_directory, now=NOW + datetime.timedelta(days=1))

    rewrite_from(second[0], rehash=chain.seal)

    # With the key the chain itself agrees again; only the anchor, written outside the database, still differs.
    assert verify_chain() is None
    failure = verify_audit_failure()
    assert f"Audit chain broken at event {second[-1].pk}: its hash differs from the anchor taken at" in failure
    assert f"after event {first[-1].pk}" in failure
    assert f"event {first[-1].pk}:" not in failure


def test_it_verifies_an_intact_chain_against_its_anchors(actor: User, anchor_directory: Path) -> None:
    record(actor, 2)
    call_command("audit_anchor", stdout=io.StringIO())
    record(actor, 1)

    assert f"{AuditEvent.objects.count()} events verified, against 1 anchor." in verify_audit()


def test_it_reports_an_anchor_whose_signature_fails(actor: User, anchor_directory: Path) -> None:
    events = record(actor, 2)
    path = anchors.write_anchor(directory=anchor_directory)
    assert path is not None
    forged = {**json.loads(path.read_text()), "hash": events[0].hash}
    path.write_text(json.dumps(forged))

    failure = verify_audit_failure()

    assert f"Audit anchor {path.name} fails: its signature does not match" in failure
    assert "Audit chain broken" not in failure


def test_it_reports_an_anchor_that_cannot_be_read(actor: User, anchor_directory: Path) -> None:
    record(actor, 1)
    anchor_directory.mkdir(parents=True)
    (anchor_directory / "audit-anchor-20260601T120000Z-1.json").write_text("{not json")

    assert "Audit anchor audit-anchor-20260601T120000Z-1.json fails: it cannot be read" in verify_audit_failure()


def test_it_names_an_anchored_event_that_was_deleted(actor: User, anchor_directory: Path) -> None:
    events = record(actor, 3)
    anchors.write_anchor(directory=anchor_directory)

    with append_only_triggers_removed(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [events[-1].pk])  # noqa: S608
    AuditChainHead.objects.filter(pk=1).update(last_event_id=events[1].pk, last_hash=events[1].hash)

    assert verify_chain() is None
    assert f"Audit chain broken at event {events[-1].pk}: the event was deleted" in verify_audit_failure()


def test_it_still_verifies_old_events_and_anchors_after_the_key_is_rotated(
    actor: User, settings: Any, anchor_directory: Path
) -> None:
    settings.AUDIT_CHAIN_KEYS = [OLD_KEY]
    old = record(actor, 2)
    anchors.write_anchor(directory=anchor_directory)

    settings.AUDIT_CHAIN_KEYS = [NEW_KEY, OLD_KEY]
    new = record(actor, 1)

    assert {event.key_id for event in old} == {chain.key_id_of(OLD_KEY)}
    assert new[0].key_id == chain.key_id_of(NEW_KEY)
    assert "against 1 anchor." in verify_audit()


def test_it_names_an_event_whose_key_was_removed_too_soon(actor: User, settings: Any, anchor_directory: Path) -> None:
    settings.AUDIT_CHAIN_KEYS = [OLD_KEY]
    old = record(actor, 1)
    path = anchors.write_anchor(directory=anchor_directory)
    assert path is not None
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY]
    record(actor, 1)

    failure = verify_audit_failure()

    assert f"Audit chain broken at event {old[0].pk}: it names a chain key Amends does not hold" in failure
    assert f"Audit anchor {path.name} fails: it was signed with a key Amends does not hold" in failure


def unkeyed_event(actor: User) -> AuditEvent:
    """An event as written before the chain was keyed."""
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    event = AuditEvent(action=AuditAction.SIGNED_IN, actor=actor, previous_hash=head.last_hash, key_id=chain.UNKEYED)
    event.hash = plain_sha256(event)
    event.save()
    AuditChainHead.objects.filter(pk=1).update(last_event_id=event.pk, last_hash=event.hash)
    return event


def test_it_accepts_unkeyed_events_only_at_the_start_of_a_chain_that_ends_keyed(actor: User) -> None:
    keyed_chain = importlib.import_module("amends.audit.migrations.0013_keyed_chain")
    unkeyed = [unkeyed_event(actor), unkeyed_event(actor)]
    problem = verify_chain()
    assert problem is not None
    assert (problem.event_id, problem.reason) == (
        unkeyed[-1].pk,
        "the chain does not end with a keyed event: it was rewritten without the key",
    )

    keyed_chain.seal_unkeyed_events(apps, connection.schema_editor())

    marker = AuditEvent.objects.order_by("-id").first()
    assert marker is not None
    assert (marker.action, marker.changes, marker.key_id) == (
        AuditAction.AUDIT_CHAIN_KEYED,
        {"unkeyed_events": 2},
        chain.signing_key_id(),
    )
    record(actor, 1)
    assert verify_chain() is None


def test_it_deletes_anchors_older_than_the_keeping_period(actor: User, settings: Any, anchor_directory: Path) -> None:
    record(actor, 1)
    settings.AUDIT_ANCHOR_KEEP_DAYS = 30
    old = anchors.write_anchor(
        directory=anchor_directory, now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=31)
    )
    kept = anchors.write_anchor(
        directory=anchor_directory, now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=29)
    )
    output = io.StringIO()

    call_command("audit_anchor", stdout=output)

    assert old is not None
    assert kept is not None
    assert not old.exists()
    assert kept.exists()
    assert len(list(anchor_directory.iterdir())) == 2
    assert "Deleted 1 anchors older than 30 days." in output.getvalue()


def test_the_task_writes_an_anchor_and_queues_itself_once(actor: User, settings: Any, anchor_directory: Path) -> None:
    record(actor, 1)
    settings.TASKS = DATABASE_TASKS

    tasks.anchor_audit_chain.call()
    tasks.anchor_audit_chain.call()

    assert len(list(anchor_directory.glob("audit-anchor-*.json"))) >= 1
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.anchor_audit_chain.module_path)
    assert queued.run_after == tasks.next_run_at()
    assert queued.args_kwargs == {"args": [], "kwargs": {}}


def test_the_command_queues_the_daily_anchor_once(settings: Any, db: None) -> None:
    settings.TASKS = DATABASE_TASKS
    output = io.StringIO()

    call_command("audit_anchor", "--schedule", stdout=output)
    call_command("audit_anchor", "--schedule", stdout=output)

    assert "Queued the audit anchor" in output.getvalue()
    assert "Not queued" in output.getvalue()


def test_it_writes_no_anchor_over_a_head_that_does_not_match_its_event(actor: User, anchor_directory: Path) -> None:
    record(actor, 1)
    AuditChainHead.objects.filter(pk=1).update(last_hash="f" * 64)

    with pytest.raises(CommandError, match="No anchor written"):
        call_command("audit_anchor", stdout=io.StringIO())
    assert not anchor_directory.exists()
