"""Writes of relay messages: writing and changing one, its files, the identifying-details check and its flags, and
the one service that moves a message on (take_step), by the STEPS table below.

Each service checks who may act and that the case is open, writes in one transaction, records its audit event and
tells the case's timeline. Every step from submission on re-checks the four gates, except those that hold a message
back (returning it for changes, the recipient declining it) or record what the recipient did with it
(acknowledging it): refusing those would only leave the record wrong. Audit changes and timeline text never hold the
message's words or anyone's personal details.
"""

import hashlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import OPEN_STATES, Case, State, TaskKind, TimelineKind
from amends.cases.services import (
    add_timeline,
    close_tasks,
    coordinators_of,
    create_task,
    require_case_access,
    require_gates,
    require_open,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.core.workdays import add_working_days
from amends.dataprotection.restriction import refuse_if_restricted
from amends.people.models import Participant, Person
from amends.relay import check, files
from amends.relay.models import (
    DeliveryMethod,
    FlagKind,
    FlagPlace,
    FlagResolution,
    IdentifyingFlag,
    MessageFile,
    MessageKind,
    MessageStatus,
    RelayMessage,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Messages are written while the process is prepared and under way, and while the agreement is monitored (an apology
# letter is often an agreed action).
WRITING_STATES = frozenset({State.PREPARING, State.SCHEDULED, State.IN_PROCESS, State.AGREEMENT_MONITORING})
# A message reaches its recipient only once the process is under way.
RELEASE_STATES = frozenset({State.IN_PROCESS, State.AGREEMENT_MONITORING})
# The lead facilitator reviews a submitted message within this many working days.
REVIEW_WORKING_DAYS = 5
AWAITING_REVIEW = frozenset({MessageStatus.SUBMITTED, MessageStatus.IN_REVIEW})
# What a participant does themselves through their secure link (the services' actor is then None): submit what they
# wrote, reply to what they were sent, and open it (recorded as its delivery through the link). Every other step is a
# facilitator's.
PARTICIPANT_STEPS = frozenset({"submit", "reply", "deliver"})


@dataclass(frozen=True)
class Step:
    """One way a message moves on: from which statuses, to which, and what it asks of the case."""

    name: str
    label: "StrOrPromise"
    sources: frozenset[MessageStatus]
    target: MessageStatus
    # Re-check the four gates (require_gates) before the step.
    gates: bool
    # The case states the step is taken in.
    case_states: frozenset[State]
    timeline: TimelineKind | None
    # The message's <stamp>_at and <stamp>_by record when and by whom.
    stamp: str


def _statuses(*statuses: MessageStatus) -> frozenset[MessageStatus]:
    return frozenset(statuses)


S = MessageStatus
STEPS: tuple[Step, ...] = (
    Step(
        "submit",
        gettext_lazy("Submit for review"),
        _statuses(S.DRAFT, S.RETURNED),
        S.SUBMITTED,
        True,
        WRITING_STATES,
        TimelineKind.MESSAGE_SUBMITTED,
        "submitted",
    ),
    Step(
        "start_review",
        gettext_lazy("Start the review"),
        _statuses(S.SUBMITTED),
        S.IN_REVIEW,
        True,
        WRITING_STATES,
        None,
        "review_started",
    ),
    Step(
        "return",
        gettext_lazy("Return for changes"),
        _statuses(S.SUBMITTED, S.IN_REVIEW, S.APPROVED),
        S.RETURNED,
        False,
        OPEN_STATES,
        TimelineKind.MESSAGE_RETURNED,
        "returned",
    ),
    Step(
        "approve",
        gettext_lazy("Approve"),
        _statuses(S.SUBMITTED, S.IN_REVIEW),
        S.APPROVED,
        True,
        WRITING_STATES,
        TimelineKind.MESSAGE_APPROVED,
        "approved",
    ),
    Step(
        "release",
        gettext_lazy("Release to the recipient"),
        _statuses(S.APPROVED),
        S.RELEASED,
        True,
        RELEASE_STATES,
        TimelineKind.MESSAGE_RELEASED,
        "released",
    ),
    Step(
        "deliver",
        gettext_lazy("Record delivery"),
        _statuses(S.RELEASED),
        S.DELIVERED,
        True,
        RELEASE_STATES,
        TimelineKind.MESSAGE_DELIVERED,
        "delivered",
    ),
    Step(
        "acknowledge",
        gettext_lazy("Record that the recipient acknowledged it"),
        _statuses(S.DELIVERED),
        S.ACKNOWLEDGED,
        False,
        OPEN_STATES,
        TimelineKind.MESSAGE_ACKNOWLEDGED,
        "acknowledged",
    ),
    Step(
        "reply",
        gettext_lazy("Write a reply"),
        _statuses(S.DELIVERED, S.ACKNOWLEDGED),
        S.REPLIED,
        True,
        WRITING_STATES,
        None,
        "replied",
    ),
    Step(
        "decline",
        gettext_lazy("Record that the recipient declined it"),
        _statuses(S.APPROVED, S.RELEASED),
        S.DECLINED,
        False,
        OPEN_STATES,
        TimelineKind.MESSAGE_DECLINED,
        "declined",
    ),
)
STEPS_BY_NAME = {step.name: step for step in STEPS}


def steps_from(status: MessageStatus | str) -> list[Step]:
    """The steps a message in `status` may take, in the table's order."""
    return [step for step in STEPS if status in step.sources]


# Parties ------------------------------------------------------------------------------------------------------------


def _require_actor(actor: User | None, case: Case) -> None:
    """A member of staff who may work on the case; None is the participant, whose secure link the caller checked."""
    if actor is not None:
        require_case_access(actor, case)


def _require_writing(actor: User | None, case: Case) -> None:
    _require_actor(actor, case)
    require_open(case)
    if case.state not in WRITING_STATES:
        raise DomainError(
            _(
                "Messages are written while the process is being prepared or is under way, or while the agreement is "
                "monitored."
            )
        )


def _check_parties(case: Case, sender: Participant, recipient: Participant) -> None:
    if sender.case_id != case.pk:
        raise DomainError(_("Choose someone in this case."), field="sender")
    if recipient.case_id != case.pk:
        raise DomainError(_("Choose someone in this case."), field="recipient")
    if sender.pk == recipient.pk:
        raise DomainError(_("A message goes to someone other than the person it is from."), field="recipient")
    if not sender.takes_part:
        raise DomainError(_("Only someone taking part sends a message."), field="sender")
    if not recipient.takes_part:
        raise DomainError(_("Only someone taking part receives a message."), field="recipient")
    if not (sender.is_person_harmed or sender.is_person_responsible) and not (
        recipient.is_person_harmed or recipient.is_person_responsible
    ):
        raise DomainError(_("A message is from or to the person harmed or the person responsible."), field="recipient")
    if sender.supports_id == recipient.pk or recipient.supports_id == sender.pk:
        raise DomainError(
            _("A supporter and the person they support speak to each other directly, not through the relay."),
            field="recipient",
        )


def _describe(message: RelayMessage) -> str:
    """For the timeline: the kind of message and the parts of its sender and recipient, never their names."""
    return _("%(kind)s: %(sender)s to %(recipient)s") % {
        "kind": MessageKind(message.kind).label,
        "sender": message.sender.get_role_display(),
        "recipient": message.recipient.get_role_display(),
    }


# The identifying-details check --------------------------------------------------------------------------------------


def sender_record(person: Person) -> check.SenderRecord:
    """What the sender's record holds that could identify or locate them."""
    return check.SenderRecord(
        address=person.address,
        phone=person.phone,
        email=person.email,
        family_name=person.family_name,
        details=[detail.value for detail in person.identifying_details.all()],
    )


def run_check(message: RelayMessage) -> list[IdentifyingFlag]:
    """Flag what in the message could identify or locate its sender, and each file to check by eye.

    A flag whose words are no longer in the text goes away, unless it was redacted (it records what was taken out);
    a flag whose words are still there stays as it is, resolved or not.
    """
    found = {
        check.normalised(item.text): item
        for item in check.find_identifying(message.body, sender_record(message.sender.person))
    }
    flags = list(IdentifyingFlag.objects.filter(message=message))
    for flag in flags:
        if flag.place != FlagPlace.TEXT:
            continue
        key = check.normalised(flag.matched_text)
        if key in found:
            del found[key]
        elif flag.resolution != FlagResolution.REDACTED:
            flag.delete()
    for item in found.values():
        IdentifyingFlag.objects.create(message=message, kind=item.kind, matched_text=item.text, place=FlagPlace.TEXT)
    flagged_files = [flag.file_id for flag in flags if flag.file_id is not None]
    for message_file in MessageFile.objects.filter(message=message).exclude(pk__in=flagged_files):
        _flag_file(message_file)
    return list(IdentifyingFlag.objects.filter(message=message))


def _flag_file(message_file: MessageFile) -> IdentifyingFlag:
    return IdentifyingFlag.objects.create(
        message=message_file.message, kind=FlagKind.FILE, place=FlagPlace.FILE, file=message_file
    )


def unresolved_problem(message: RelayMessage, action: str) -> str | None:
    """What stops `action` while flags are unresolved: how many, and of what kinds; None when all are resolved."""
    unresolved = [flag for flag in IdentifyingFlag.objects.filter(message=message) if not flag.is_resolved]
    if not unresolved:
        return None
    kinds = sorted({str(FlagKind(flag.kind).label).lower() for flag in unresolved})
    return _(
        "%(action)s is not possible yet: identifying-details flags still to resolve: %(count)s (%(kinds)s). "
        "Redact each detail, or record why it is kept."
    ) % {"action": action, "count": len(unresolved), "kinds": ", ".join(kinds)}


# Writing a message --------------------------------------------------------------------------------------------------


@transaction.atomic
def create_message(
    *,
    case: Case,
    actor: User | None,
    sender: Participant,
    recipient: Participant,
    kind: MessageKind | str,
    body: str = "",
    reply_to: RelayMessage | None = None,
) -> RelayMessage:
    """Write a message from one participant to another, as a draft: nothing reaches the recipient until it is
    reviewed, approved and released. actor is None when the sender writes it themselves, through their secure link."""
    _require_writing(actor, case)
    _check_parties(case, sender, recipient)
    kind = MessageKind(kind)
    message = RelayMessage.objects.create(
        case=case,
        sender=sender,
        recipient=recipient,
        kind=kind,
        body=body.strip(),
        reply_to=reply_to,
        written_by=actor,
    )
    message.case = case
    record_event(
        action=AuditAction.MESSAGE_SAVED,
        actor=actor,
        target=message,
        service=case.service,
        changes={
            "kind": kind.value,
            "sender": sender.pk,
            "recipient": recipient.pk,
            "reply_to": reply_to.pk if reply_to else None,
            "status": MessageStatus.DRAFT.value,
            "body": "[encrypted]",
        },
    )
    return message


def _locked(message: RelayMessage, expected_version: int | None) -> RelayMessage:
    locked = (
        RelayMessage.objects.select_for_update()
        .select_related("sender__person", "recipient__person")
        .get(pk=message.pk)
    )
    check_version(locked, expected_version)
    locked.case = message.case
    return locked


def _require_editable(message: RelayMessage) -> None:
    if not message.is_editable:
        raise DomainError(
            _("This message is %(status)s: it is changed only as a draft or when returned for changes.")
            % {"status": str(MessageStatus(message.status).label).lower()}
        )


@transaction.atomic
def edit_message(
    *,
    message: RelayMessage,
    actor: User | None,
    kind: MessageKind | str,
    body: str,
    expected_version: int | None = None,
) -> RelayMessage:
    """Change a draft or a returned message; once it has been submitted, changed words are checked again."""
    case = message.case
    _require_writing(actor, case)
    locked = _locked(message, expected_version)
    _require_editable(locked)
    kind, body = MessageKind(kind), body.strip()
    changes: dict[str, object] = {}
    if locked.kind != kind:
        changes["kind"] = {"before": locked.kind, "after": kind.value}
    if locked.body != body:
        changes["body"] = {"before": "[encrypted]", "after": "[encrypted]"}
    if not changes:
        return locked
    locked.kind, locked.body = kind, body
    save_versioned(locked, expected_version=locked.version, fields=["kind", "body"])
    if "body" in changes and locked.submitted_at is not None:
        run_check(locked)
    record_event(action=AuditAction.MESSAGE_SAVED, actor=actor, target=locked, service=case.service, changes=changes)
    return locked


@transaction.atomic
def add_file(*, message: RelayMessage, actor: User, name: str, content: IO[bytes]) -> MessageFile:
    """Add a scan or recording to a draft or returned message: one of the allowed kinds (by its first bytes), no
    larger than the limit, stored encrypted under a random name outside the web root."""
    case = message.case
    _require_writing(actor, case)
    locked = _locked(message, None)
    _require_editable(locked)
    limit = files.max_upload_bytes()
    data = files.read_limited(content, limit)
    if data is None:
        raise DomainError(
            _("The file is too large: the most is %(megabytes)s MB.") % {"megabytes": limit // (1024 * 1024)},
            field="file",
        )
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    sniffed = files.sniff(data[: files.HEAD_BYTES])
    if sniffed is None:
        raise DomainError(
            _("Upload a PDF, JPEG or PNG scan, an MP3, M4A or WAV recording, or an MP4 or WebM video."), field="file"
        )
    stored_name = files.new_stored_name(sniffed)
    files.write_encrypted(stored_name, data)
    try:
        message_file = MessageFile.objects.create(
            message=locked,
            stored_name=stored_name,
            original_name=files.named_for(name or "", sniffed),
            content_type=sniffed.content_type,
            family=sniffed.family,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        if locked.submitted_at is not None:
            _flag_file(message_file)
        record_event(
            action=AuditAction.FILE_UPLOADED,
            actor=actor,
            target=message_file,
            service=case.service,
            changes={
                "message": locked.pk,
                "content_type": sniffed.content_type,
                "size": len(data),
                "name": "[encrypted]",
            },
        )
    except BaseException:
        files.remove(stored_name)
        raise
    return message_file


# Flags --------------------------------------------------------------------------------------------------------------


@transaction.atomic
def resolve_flag(
    *,
    flag: IdentifyingFlag,
    actor: User,
    resolution: FlagResolution | str,
    reason: str = "",
    expected_version: int | None = None,
) -> IdentifyingFlag:
    """Decide about a flagged detail while the message is reviewed: redact it (in the text, every place the words
    appear), or keep it, saying why: it does not identify them, or the sender agreed. The message's version read is
    checked, so a decision made on words since changed is refused."""
    message = flag.message
    case = message.case
    require_case_access(actor, case)
    require_open(case)
    locked = _locked(message, expected_version)
    if locked.status not in AWAITING_REVIEW:
        raise DomainError(_("Flags are resolved while the message is reviewed."))
    flag = IdentifyingFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolution == FlagResolution.REDACTED:
        raise DomainError(_("This detail has been redacted already."))
    resolution = FlagResolution(resolution)
    if resolution == FlagResolution.UNRESOLVED:
        raise DomainError(_("Choose what to do about this detail."), field="resolution")
    reason = reason.strip()
    if not reason and (resolution != FlagResolution.REDACTED or flag.place == FlagPlace.FILE):
        if flag.place == FlagPlace.FILE:
            message_text = _("Say what you checked in the file, and what you redacted or why it is kept.")
        else:
            message_text = _("Say why the detail is kept.")
        raise DomainError(message_text, field="reason")
    before = flag.resolution
    flag.resolution, flag.reason = resolution, reason
    flag.resolved_by, flag.resolved_at = actor, timezone.now()
    flag.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])
    changes: dict[str, object] = {
        "flag": flag.pk,
        "kind": flag.kind,
        "resolution": {"before": before, "after": resolution.value},
        "reason": "[encrypted]",
    }
    if resolution == FlagResolution.REDACTED and flag.place == FlagPlace.TEXT:
        redacted = check.redact(locked.body, flag.matched_text, _("[redacted]"))
        if redacted != locked.body:
            locked.body = redacted
            save_versioned(locked, expected_version=locked.version, fields=["body"])
            changes["body"] = {"before": "[encrypted]", "after": "[encrypted]"}
            run_check(locked)
    record_event(
        action=AuditAction.MESSAGE_FLAG_RESOLVED, actor=actor, target=locked, service=case.service, changes=changes
    )
    return flag


# Moving a message on ------------------------------------------------------------------------------------------------


def _redactions(message: RelayMessage, note: str) -> str:
    """What was redacted, as recorded at approval: each redacted detail, then the facilitator's note."""
    lines = [
        f"{FlagKind(flag.kind).label}: {flag.matched_text or flag.reason}"
        for flag in IdentifyingFlag.objects.filter(message=message, resolution=FlagResolution.REDACTED)
    ]
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


def _close_review_task(case: Case, actor: User | None, message: RelayMessage) -> None:
    others = RelayMessage.objects.filter(case=case, status__in=sorted(AWAITING_REVIEW)).exclude(pk=message.pk)
    if not others.exists():
        close_tasks(case=case, actor=actor, kinds=[TaskKind.REVIEW_MESSAGE])


@transaction.atomic
def take_step(
    *,
    message: RelayMessage,
    actor: User | None,
    step: str,
    expected_version: int | None = None,
    reason: str = "",
    redactions: str = "",
    delivery_method: DeliveryMethod | str = "",
) -> RelayMessage:
    """Move a message on by one step of STEPS. Returns the message, or for "reply" the new reply (a draft).

    actor is None for the participant's own steps through their secure link (PARTICIPANT_STEPS; the caller checked
    that the message is theirs): submitting what they wrote, replying, and opening it, which is its delivery."""
    case = message.case
    _require_actor(actor, case)
    require_open(case)
    chosen = STEPS_BY_NAME.get(step)
    if chosen is None:
        raise DomainError(_("There is no such step."), field="step")
    if actor is None and chosen.name not in PARTICIPANT_STEPS:
        raise NotPermittedError(_("You cannot work on this case."))
    locked = _locked(message, expected_version)
    if actor is None and chosen.name == "submit" and locked.written_by_id is not None:
        raise NotPermittedError(_("You cannot work on this case."))
    before = MessageStatus(locked.status)
    if before not in chosen.sources:
        raise DomainError(
            _("%(step)s is not possible: the message is %(status)s.")
            % {"step": chosen.label, "status": str(before.label).lower()},
            field="step",
        )
    if chosen.gates:
        require_gates(case, str(chosen.label))
    if case.state not in chosen.case_states:
        if chosen.case_states == RELEASE_STATES:
            raise DomainError(
                _(
                    "A message is released and delivered only while the process is under way or the agreement is "
                    "monitored."
                )
            )
        raise DomainError(
            _("%(step)s is not possible while the case is %(state)s.")
            % {"step": chosen.label, "state": str(State(case.state).label).lower()}
        )
    changes: dict[str, object] = {"status": {"before": before.value, "after": chosen.target.value}}
    fields = ["status", f"{chosen.stamp}_at", f"{chosen.stamp}_by"]
    reason = reason.strip()
    if chosen.name == "submit":
        if not locked.body and not MessageFile.objects.filter(message=locked).exists():
            raise DomainError(_("Write the message, or add the file that carries it, before submitting it."))
        run_check(locked)
    elif chosen.name in ("approve", "release"):
        problem = unresolved_problem(locked, str(chosen.label))
        if problem:
            raise DomainError(problem)
        if chosen.name == "release":
            refuse_if_restricted(locked.recipient.person_id)
        if chosen.name == "approve":
            locked.redactions = _redactions(locked, redactions)
            fields.append("redactions")
            changes["redactions"] = "[encrypted]"
    elif chosen.name == "return":
        if not reason:
            raise DomainError(_("Say what should change before the message can go on."), field="reason")
        locked.return_reason = reason
        fields.append("return_reason")
        changes["reason"] = "[encrypted]"
    elif chosen.name == "decline":
        if not reason:
            raise DomainError(_("Say why they declined it, in their words if they gave any."), field="reason")
        locked.decline_reason = reason
        fields.append("decline_reason")
        changes["reason"] = "[encrypted]"
    elif chosen.name == "deliver":
        if not delivery_method:
            raise DomainError(_("Choose how it was delivered."), field="delivery_method")
        # Delivery through the secure link is the participant opening it, and nothing else.
        if (actor is None) != (delivery_method == DeliveryMethod.SECURE_LINK):
            raise DomainError(
                _("Delivery through the secure link is recorded when the recipient opens the message there."),
                field="delivery_method",
            )
        locked.delivery_method = DeliveryMethod(delivery_method).value
        fields.append("delivery_method")
        changes["delivery_method"] = locked.delivery_method
    now = timezone.now()
    locked.status = chosen.target
    setattr(locked, f"{chosen.stamp}_at", now)
    setattr(locked, f"{chosen.stamp}_by", actor)
    save_versioned(locked, expected_version=locked.version, fields=fields)
    record_event(action=AuditAction.MESSAGE_MOVED, actor=actor, target=locked, service=case.service, changes=changes)
    if chosen.timeline is not None:
        add_timeline(case=case, actor=actor, kind=chosen.timeline, participant=locked.sender, detail=_describe(locked))
    if chosen.name == "submit":
        reviewer = case.lead_facilitator or actor or next(iter(coordinators_of(case.service)), None)
        if reviewer is not None:
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.REVIEW_MESSAGE,
                assigned_to=reviewer,
                due_on=add_working_days(timezone.localdate(), REVIEW_WORKING_DAYS),
            )
    elif chosen.name in ("approve", "return"):
        _close_review_task(case, actor, locked)
    elif chosen.name == "reply":
        return create_message(
            case=case,
            actor=actor,
            sender=locked.recipient,
            recipient=locked.sender,
            kind=locked.kind,
            reply_to=locked,
        )
    return locked
