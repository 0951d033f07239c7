"""Writing and verifying the audit chain."""

import datetime
import decimal
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from amends.accounts.models import Service, User
from amends.audit import chain
from amends.audit.models import GENESIS_HASH, READS, AuditAction, AuditChainHead, AuditEvent, LastWrite
from amends.core.fields import EncryptedMixin
from amends.core.log import current_request_id

# Shown in place of a personal value, so the audit says that a field changed without repeating what it holds.
CONCEALED = "[encrypted]"


def _plain(value: Any) -> Any:
    """A value as JSON that every database stores unchanged (PostgreSQL's jsonb would rewrite floats)."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields' current values, to compare before and after a change."""
    return {name: getattr(instance, getattr(instance._meta.get_field(name), "attname", name)) for name in fields}


def changes_between(instance: models.Model, before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The fields that changed, each as {"before": …, "after": …}; personal (encrypted) values are concealed."""
    result: dict[str, Any] = {}
    for name in sorted(set(before) | set(after)):
        if before.get(name) == after.get(name):
            continue
        if isinstance(instance._meta.get_field(name), EncryptedMixin):
            result[name] = {"before": CONCEALED, "after": CONCEALED}
        else:
            result[name] = {"before": _plain(before.get(name)), "after": _plain(after.get(name))}
    return result


def created_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A new record's fields as changes from nothing."""
    return changes_between(instance, {}, field_values(instance, fields))


def target_of(instance: models.Model | None) -> tuple[str, str]:
    if instance is None:
        return "", ""
    return instance._meta.label_lower, str(instance.pk)


def record_event(
    *,
    action: AuditAction,
    actor: User | None,
    target: models.Model | None = None,
    service: Service | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction so it stands or falls with the write."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    target_type, target_id = target_of(target)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            service=service,
            changes=_plain(dict(changes or {})),
            request_id=current_request_id(),
            previous_hash=head.last_hash,
            key_id=chain.signing_key_id(),
        )
        event.hash = event.compute_hash()
        event.save()
        head.last_event_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_event_id", "last_hash"])
        # Under the chain head's lock, so two writers never both create the row.
        if action not in READS and not LastWrite.objects.filter(service=service).update(event_id=event.pk):
            LastWrite.objects.create(service=service, event_id=event.pk)
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    reason: str


def verify_chain(*, batch_size: int = 2000) -> ChainProblem | None:
    """Walk the chain oldest first; return the first problem found, or None when every link holds.

    Safe to run while Amends is writing: the newest event recorded before the walk began must be found with its
    hash, and any event beyond the head that the chain head never recorded was written outside Amends. Events from
    before the chain was keyed are accepted only at its start, and it must end keyed (amends/audit/chain.py).
    """
    start = AuditChainHead.objects.filter(pk=1).first()
    start_id, start_hash = (start.last_event_id, start.last_hash) if start else (0, GENESIS_HASH)
    known_last_id = start_id
    expected_previous = GENESIS_HASH
    reached_start = start_id == 0
    keyed_seen = False
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.pk > known_last_id:
            # Every genuine event moves the head in its own transaction; one beyond it came from outside Amends.
            head = AuditChainHead.objects.filter(pk=1).first()
            known_last_id = head.last_event_id if head else 0
            if event.pk > known_last_id:
                return ChainProblem(event.pk, "it was added outside Amends: the chain never recorded it")
        if event.previous_hash != expected_previous:
            return ChainProblem(
                event.pk, "it does not follow the event before it: an event was deleted or inserted out of order"
            )
        if event.key_id == chain.UNKEYED and keyed_seen:
            return ChainProblem(event.pk, "it is not keyed, yet follows keyed events: it was rewritten without the key")
        try:
            computed = event.compute_hash()
        except chain.UnknownChainKeyError:
            return ChainProblem(
                event.pk,
                f"it names a chain key Amends does not hold (key id {event.key_id}): "
                "the key was removed from AUDIT_CHAIN_KEYS too soon, or the event was forged",
            )
        if computed != event.hash:
            return ChainProblem(event.pk, "its content does not match its hash: the row was altered")
        if event.pk == start_id:
            reached_start = event.hash == start_hash
        keyed_seen = keyed_seen or event.key_id != chain.UNKEYED
        expected_previous = event.hash
        last = event
    if not reached_start:
        return ChainProblem(start_id, "the newest events are missing: the chain was cut short")
    if last is not None and last.key_id == chain.UNKEYED:
        return ChainProblem(last.pk, "the chain does not end with a keyed event: it was rewritten without the key")
    return None
