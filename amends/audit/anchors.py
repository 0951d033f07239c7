"""Anchors: the chain head written outside the database each day, signed with the chain key.

A keyed chain stops someone who can rewrite rows but does not hold the key. Someone who holds both could still rewrite
an event and recompute every later hash; an anchor written before that still names the old hash, so the rewrite shows.
Each anchor is a small JSON file (the head's event id and hash, when it was taken, the key id, and an HMAC over them)
in settings.AUDIT_ANCHOR_DIR, which should be storage the database's owner cannot write (another host, or a bucket
with object lock). Anchors older than AUDIT_ANCHOR_KEEP_DAYS are deleted when a new one is written.
"""

import datetime
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from amends.audit import chain
from amends.audit.models import AuditChainHead, AuditEvent

NAME = re.compile(r"^audit-anchor-(?P<taken>\d{8}T\d{6}Z)-(?P<event>\d+)\.json$")
NAME_TIME = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Anchor:
    event_id: int
    hash: str
    taken_at: str
    key_id: str
    signature: str
    name: str


@dataclass(frozen=True)
class AnchorProblem:
    name: str
    event_id: int | None
    reason: str


class AnchorRefusedError(Exception):
    """The chain head does not match its event, so no anchor is written over a chain that is already broken."""


def _signed(*, event_id: int, event_hash: str, taken_at: str, key_id: str) -> bytes:
    return chain.canonical({"event_id": event_id, "hash": event_hash, "taken_at": taken_at, "key_id": key_id})


def write_anchor(*, directory: Path, now: datetime.datetime | None = None) -> Path | None:
    """Write the chain head to a new signed file in directory; None when the chain has no events yet."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_event_id == 0:
        return None
    stored = AuditEvent.objects.filter(pk=head.last_event_id).values_list("hash", flat=True).first()
    if stored != head.last_hash:
        raise AnchorRefusedError(
            f"the chain head names event {head.last_event_id}, whose hash differs: run verify_audit"
        )
    taken = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    key_id = chain.signing_key_id()
    taken_at = taken.isoformat()
    content = {"event_id": head.last_event_id, "hash": head.last_hash, "taken_at": taken_at, "key_id": key_id}
    signature = chain.mac(
        _signed(event_id=head.last_event_id, event_hash=head.last_hash, taken_at=taken_at, key_id=key_id), key_id=key_id
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-anchor-{taken:{NAME_TIME}}-{head.last_event_id}.json"
    # Written whole, then renamed into place, so a reader never finds half an anchor.
    with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".tmp", delete=False, encoding="utf-8") as file:
        json.dump({**content, "signature": signature}, file, indent=2)
        file.write("\n")
    os.replace(file.name, path)
    return path


def delete_old_anchors(*, directory: Path, keep_days: int, now: datetime.datetime | None = None) -> int:
    """Delete the anchors taken more than keep_days ago (by the time in their names); returns how many went."""
    if not directory.is_dir():
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    deleted = 0
    for path in directory.iterdir():
        match = NAME.match(path.name)
        if match is None:
            continue
        taken = datetime.datetime.strptime(match["taken"], NAME_TIME).replace(tzinfo=datetime.UTC)
        if taken < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _read(path: Path) -> Anchor:
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    return Anchor(
        event_id=int(data["event_id"]),
        hash=str(data["hash"]),
        taken_at=str(data["taken_at"]),
        key_id=str(data["key_id"]),
        signature=str(data["signature"]),
        name=path.name,
    )


def read_anchors(*, directory: Path) -> tuple[list[Anchor], list[AnchorProblem]]:
    """Every anchor file in directory, oldest event first, and a problem for each one that cannot be read."""
    if not directory.is_dir():
        return [], []
    anchors: list[Anchor] = []
    problems: list[AnchorProblem] = []
    for path in sorted(directory.iterdir()):
        if NAME.match(path.name) is None:
            continue
        try:
            anchors.append(_read(path))
        except (OSError, ValueError, KeyError, TypeError):
            problems.append(AnchorProblem(path.name, None, "it cannot be read as an anchor"))
    anchors.sort(key=lambda anchor: (anchor.event_id, anchor.taken_at))
    return anchors, problems


def check_anchors(*, directory: Path) -> tuple[int, list[AnchorProblem]]:
    """Check the chain against every anchor in directory: how many were checked, and every problem found.

    An anchor whose signature fails was altered or forged. An anchor whose event is missing, or whose hash differs
    from the event's, shows the chain was changed after the anchor was taken: at that event or one before it, but
    after the newest earlier anchor that still holds.
    """
    anchors, problems = read_anchors(directory=directory)
    stored = dict(AuditEvent.objects.filter(pk__in={anchor.event_id for anchor in anchors}).values_list("pk", "hash"))
    holding: Anchor | None = None
    for anchor in anchors:
        try:
            expected = chain.mac(
                _signed(
                    event_id=anchor.event_id, event_hash=anchor.hash, taken_at=anchor.taken_at, key_id=anchor.key_id
                ),
                key_id=anchor.key_id,
            )
        except chain.UnknownChainKeyError:
            problems.append(
                AnchorProblem(
                    anchor.name, None, f"it was signed with a key Amends does not hold (key id {anchor.key_id})"
                )
            )
            continue
        if not hmac.compare_digest(expected, anchor.signature):
            problems.append(
                AnchorProblem(anchor.name, None, "its signature does not match: the file was altered or forged")
            )
            continue
        since = f", after event {holding.event_id}" if holding is not None else ""
        if anchor.event_id not in stored:
            problems.append(
                AnchorProblem(
                    anchor.name,
                    anchor.event_id,
                    f"the event was deleted after the anchor was taken at {anchor.taken_at}",
                )
            )
        elif stored[anchor.event_id] != anchor.hash:
            problems.append(
                AnchorProblem(
                    anchor.name,
                    anchor.event_id,
                    f"its hash differs from the anchor taken at {anchor.taken_at}: it or an event before it{since} "
                    "was rewritten after the anchor was taken",
                )
            )
        else:
            holding = anchor
    return len(anchors), problems
