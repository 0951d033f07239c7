"""The audit chain's hash: HMAC-SHA-256 under a key kept outside the database, named in each event by its key id.

Why a key: the algorithm is published, so a plain hash proves only that the rows agree with one another, and whoever
can rewrite rows (the database's owner, able to drop the append-only triggers) can recompute every later hash. Under
a key they cannot, unless they also hold the key; the anchors (amends/audit/anchors.py) catch even that.

Keys come from settings.AUDIT_CHAIN_KEYS, newest first. A new event is hashed under the newest key and records that
key's id (a keyed fingerprint of the key, so the id gives nothing away), which is part of what is hashed. After a
rotation the older keys stay in the list and still verify the events they hashed: keep every key that hashed an event
for as long as the events are kept.

Events written before the chain was keyed (key id ""): rows are append-only, so no migration rehashes them. They keep
their plain SHA-256 over the content they always had, verified as before, but only as the start of the chain: an
unkeyed event after a keyed one is refused, and the chain must end with a keyed event (the migration that brought the
key appends one, AUDIT_CHAIN_KEYED, when older events exist). So a rewrite with plain SHA-256 is caught at the first
rewritten event that follows a keyed one, or, when the whole chain was rewritten unkeyed, because it no longer ends
with a keyed event; and changing an old unkeyed event means recomputing the keyed event after it, which needs the key.
"""

import functools
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC
from typing import Any, Protocol

from django.conf import settings

# The key id of an event hashed with plain SHA-256, before the chain was keyed.
UNKEYED = ""


class UnknownChainKeyError(LookupError):
    """An event or anchor names a key that AUDIT_CHAIN_KEYS does not hold."""


class Hashable(Protocol):
    """What the chain hashes of an event (the model or a historical model in a migration)."""

    previous_hash: str
    occurred_at: Any
    actor_id: Any
    action: str
    target_type: str
    target_id: str
    service_id: Any
    changes: Any
    request_id: str
    key_id: str


def canonical(content: Mapping[str, Any]) -> bytes:
    """One fixed serialisation, so the same content always hashes the same."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def content_of(event: Hashable) -> dict[str, Any]:
    """The event's content as hashed; an unkeyed event's lacks the key id, as it did before keys came."""
    content = {
        "previous_hash": event.previous_hash,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "service": event.service_id,
        "changes": event.changes,
        "request_id": event.request_id,
    }
    if event.key_id != UNKEYED:
        content["key_id"] = event.key_id
    return content


def key_id_of(key: str) -> str:
    """A short name for a key that reveals nothing of it: an HMAC of a fixed text under the key."""
    return hmac.new(key.encode(), b"amends audit chain key id", hashlib.sha256).hexdigest()[:12]


@functools.cache
def _keyring(keys: tuple[str, ...]) -> dict[str, bytes]:
    # Cached by the keys themselves, so each event costs one HMAC and a settings change (a test's) is seen at once.
    return {key_id_of(key): key.encode() for key in keys}


def _keys() -> dict[str, bytes]:
    return _keyring(tuple(settings.AUDIT_CHAIN_KEYS))


def signing_key_id() -> str:
    """The id of the newest key, which hashes new events and signs new anchors."""
    return next(iter(_keys()))


def key_ids() -> list[str]:
    """The ids of every key held, newest first."""
    return list(_keys())


def mac(data: bytes, *, key_id: str) -> str:
    """HMAC-SHA-256 of data under the key with this id, in hex."""
    key = _keys().get(key_id)
    if key is None:
        raise UnknownChainKeyError(key_id)
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def seal(event: Hashable) -> str:
    """The event's hash: HMAC-SHA-256 under its key, or plain SHA-256 for an event from before the chain was keyed."""
    data = canonical(content_of(event))
    if event.key_id == UNKEYED:
        return hashlib.sha256(data).hexdigest()
    return mac(data, key_id=event.key_id)
