"""Rows and cells for the message pages' GOV.UK components: display only, no rules."""

from typing import Any

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import link, tag
from amends.cases.presenters import day, name_of
from amends.relay.files import download_name
from amends.relay.forms import party_label
from amends.relay.models import (
    FlagKind,
    FlagPlace,
    FlagResolution,
    IdentifyingFlag,
    MessageFile,
    MessageKind,
    MessageStatus,
    RelayMessage,
)

STATUS_COLOURS = {
    MessageStatus.DRAFT: "grey",
    MessageStatus.SUBMITTED: "blue",
    MessageStatus.IN_REVIEW: "blue",
    MessageStatus.RETURNED: "orange",
    MessageStatus.APPROVED: "turquoise",
    MessageStatus.RELEASED: "green",
    MessageStatus.DELIVERED: "green",
    MessageStatus.ACKNOWLEDGED: "green",
    MessageStatus.REPLIED: "purple",
    MessageStatus.DECLINED: "red",
}


def status_tag(message: RelayMessage) -> SafeString:
    status = MessageStatus(message.status)
    return tag(str(status.label), STATUS_COLOURS[status])


def message_url(message: RelayMessage) -> str:
    return reverse("message_detail", kwargs={"case_id": message.case_id, "message_id": message.pk})


def from_to(message: RelayMessage) -> str:
    return _("From %(sender)s to %(recipient)s") % {
        "sender": party_label(message.sender),
        "recipient": party_label(message.recipient),
    }


def last_moved(message: RelayMessage) -> Any:
    return max(
        (
            moment
            for moment in (
                message.submitted_at,
                message.approved_at,
                message.returned_at,
                message.released_at,
                message.delivered_at,
                message.acknowledged_at,
                message.replied_at,
                message.declined_at,
            )
            if moment is not None
        ),
        default=None,
    )


def message_rows(messages: list[RelayMessage]) -> list[list[Any]]:
    return [
        [
            link(message_url(message), from_to(message)),
            MessageKind(message.kind).label,
            status_tag(message),
            day(message.created_at),
            day(last_moved(message)),
        ]
        for message in messages
    ]


def passed_on_rows(messages: list[RelayMessage]) -> list[list[Any]]:
    """For the recipient's participant page: what has been passed on to them."""
    return [
        [
            link(message_url(message), party_label(message.sender)),
            MessageKind(message.kind).label,
            day(message.released_at),
            status_tag(message),
        ]
        for message in messages
    ]


def by_whom(user: Any) -> str:
    """Who wrote a message or took a step: a member of staff, or (None) the participant themselves."""
    return name_of(user) if user is not None else _("The participant, through their secure link")


def message_summary(message: RelayMessage) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("From"), "value": party_label(message.sender)},
        {"key": _("To"), "value": party_label(message.recipient)},
        {"key": _("Kind of message"), "value": MessageKind(message.kind).label},
        {"key": _("Status"), "value": status_tag(message)},
        {"key": _("Written by"), "value": f"{by_whom(message.written_by)}, {day(message.created_at)}"},
    ]
    if message.reply_to is not None:
        rows.append(
            {"key": _("In reply to"), "value": link(message_url(message.reply_to), _("The message replied to"))}
        )
    for label, moment, who in (
        (_("Submitted"), message.submitted_at, message.submitted_by),
        (_("Review started"), message.review_started_at, message.review_started_by),
        (_("Returned for changes"), message.returned_at, message.returned_by),
        (_("Approved"), message.approved_at, message.approved_by),
        (_("Released"), message.released_at, message.released_by),
        (_("Delivered"), message.delivered_at, message.delivered_by),
        (_("Acknowledged"), message.acknowledged_at, message.acknowledged_by),
        (_("Replied to"), message.replied_at, message.replied_by),
        (_("Declined"), message.declined_at, message.declined_by),
    ):
        if moment is not None:
            rows.append({"key": label, "value": f"{day(moment)}, {by_whom(who)}"})
    if message.return_reason:
        rows.append({"key": _("What to change"), "value": linebreaksbr(message.return_reason)})
    if message.redactions:
        rows.append({"key": _("What was redacted"), "value": linebreaksbr(message.redactions)})
    if message.delivery_method:
        rows.append({"key": _("How it was delivered"), "value": message.get_delivery_method_display()})
    if message.decline_reason:
        rows.append({"key": _("Why they declined it"), "value": linebreaksbr(message.decline_reason)})
    return rows


def file_rows(files: list[MessageFile]) -> list[list[Any]]:
    rows = []
    for item in files:
        url = reverse(
            "message_file",
            kwargs={"case_id": item.message.case_id, "message_id": item.message_id, "file_id": item.pk},
        )
        rows.append(
            [
                link(url, _("Download"), download_name(item)),
                download_name(item),
                item.content_type,
                filesizeformat(item.size),
                f"{day(item.uploaded_at)}, {name_of(item.uploaded_by)}",
            ]
        )
    return rows


def flag_where(flag: IdentifyingFlag) -> str:
    if flag.place == FlagPlace.FILE and flag.file is not None:
        return _("In the file %(name)s") % {"name": download_name(flag.file)}
    return str(FlagPlace(flag.place).label)


def flag_found(flag: IdentifyingFlag) -> str:
    if flag.kind == FlagKind.FILE:
        return _("Audio, video and scans cannot be checked automatically: look and listen for anything identifying.")
    return str(flag.matched_text)


def flag_decision(flag: IdentifyingFlag) -> str:
    if not flag.is_resolved:
        return str(FlagResolution.UNRESOLVED.label)
    said = f"{FlagResolution(flag.resolution).label} ({name_of(flag.resolved_by)}, {day(flag.resolved_at)})"
    return f"{said}: {flag.reason}" if flag.reason else said


def flag_rows(flag: IdentifyingFlag) -> list[dict[str, Any]]:
    return [
        {"key": _("Found"), "value": flag_found(flag)},
        {"key": _("Where"), "value": flag_where(flag)},
        {"key": _("Decision"), "value": flag_decision(flag)},
    ]
