"""What a participant reads and does through their secure link: the one way in to their own records.

Every read here is scoped to the link's participant: a record that is someone else's answers 404, as a missing one
does. Every write is the domain service of the part of Amends it concerns, called with actor None (the participant
acting themselves), so the same rules, audit events and timeline entries apply as when a facilitator records it.
A refusal is worded for the participant, and never names anyone else in the case.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.models import ProcessKind, State
from amends.cases.services import RefusedError
from amends.consent import services as consent_services
from amends.consent.models import ConsentKind, ConsentMethod, ConsentRecord, ConsentScope
from amends.core.errors import DomainError
from amends.followup import services as followup_services
from amends.followup.models import FeedbackSurvey, SurveyMethod
from amends.meetings.models import Attendee, MeetingStatus
from amends.people.models import PRINCIPAL_ROLES, Participant
from amends.relay import selectors as relay_selectors
from amends.relay import services as relay_services
from amends.relay.models import (
    PASSED_ON_STATUSES,
    DeliveryMethod,
    MessageFile,
    MessageKind,
    MessageStatus,
    RelayMessage,
)

# What the participant is shown of what was sent to them: passed on, and not declined.
SHOWN_STATUSES = frozenset(PASSED_ON_STATUSES - {MessageStatus.DECLINED})
# Passed on to them, and not opened yet.
NEW_STATUS = MessageStatus.RELEASED


# Consent ------------------------------------------------------------------------------------------------------------


def consent_records(participant: Participant) -> list[ConsentRecord]:
    """Their consent records, newest first: the first is the one that counts."""
    return list(participant.consent_records.order_by("-occurred_at", "-pk"))


def consent_is_given(records: list[ConsentRecord]) -> bool:
    return bool(records) and records[0].kind == ConsentKind.GIVEN


def process_choices(participant: Participant) -> list[ProcessKind]:
    """The ways of taking part they may consent to online: the case's chosen process, or any while none is chosen."""
    chosen = participant.case.process_kind
    return [ProcessKind(chosen)] if chosen else list(ProcessKind)


def may_give_consent(participant: Participant, records: list[ConsentRecord]) -> bool:
    return participant.case.is_open and not consent_is_given(records)


# The service's refusals name "they"; the participant reads "you".
CONSENT_REFUSALS = {
    "scopes": lambda: _("Choose what you agree to."),
    "process_kinds": lambda: _("Choose the ways of taking part you agree to."),
    "share_with": lambda: _("Say who we may share information with."),
}


@transaction.atomic
def give_consent(
    *,
    participant: Participant,
    scopes: Iterable[ConsentScope | str],
    process_kinds: Iterable[ProcessKind | str],
    share_with: str = "",
) -> ConsentRecord:
    """The participant gives their consent online: what it covers, and to which ways of taking part."""
    chosen_kinds = list(process_kinds)
    if any(kind not in process_choices(participant) for kind in chosen_kinds):
        raise DomainError(CONSENT_REFUSALS["process_kinds"](), field="process_kinds")
    try:
        return consent_services.give_consent(
            participant=participant,
            actor=None,
            scopes=scopes,
            process_kinds=chosen_kinds,
            method=ConsentMethod.ONLINE,
            occurred_at=timezone.now(),
            share_with=share_with,
        )
    except DomainError as error:
        if error.field in CONSENT_REFUSALS:
            raise DomainError(CONSENT_REFUSALS[error.field](), field=error.field) from error
        raise


def withdraw_consent(*, participant: Participant, reason: str = "") -> ConsentRecord:
    """The participant withdraws their consent: the process stops at once and their facilitator is told."""
    return consent_services.withdraw_consent(participant=participant, actor=None, reason=reason)


# Messages -----------------------------------------------------------------------------------------------------------


def messages_to(participant: Participant) -> list[RelayMessage]:
    """What has been passed on to them, newest first."""
    messages = list(
        relay_selectors.released_to(participant)
        .filter(status__in=sorted(SHOWN_STATUSES))
        .order_by("-released_at", "-pk")
    )
    for message in messages:
        message.case = participant.case
    return messages


def new_message_count(participant: Participant) -> int:
    return relay_selectors.released_to(participant).filter(status=NEW_STATUS).count()


def message_to(participant: Participant, message_id: int) -> RelayMessage:
    """One message passed on to them; any other (someone else's, or not passed on) is 404."""
    message = relay_selectors.released_to(participant).filter(pk=message_id, status__in=sorted(SHOWN_STATUSES)).first()
    if message is None:
        raise Http404
    message.case = participant.case
    return message


def is_opened(message: RelayMessage) -> bool:
    """Whether its delivery through the link (or otherwise) is recorded, so that its words may be shown."""
    return message.status in SHOWN_STATUSES and message.status != NEW_STATUS


def files_of(message: RelayMessage) -> list[MessageFile]:
    files = list(message.files.order_by("uploaded_at", "pk"))
    for item in files:
        item.message = message
    return files


def file_of(participant: Participant, message_id: int, file_id: int) -> MessageFile:
    """A file of a message passed on to them and opened; any other is 404."""
    message = message_to(participant, message_id)
    if not is_opened(message):
        raise Http404
    message_file = message.files.filter(pk=file_id).first()
    if message_file is None:
        raise Http404
    message_file.message = message
    return message_file


def open_message(*, participant: Participant, message: RelayMessage) -> bool:
    """The participant opens a message: the first time, that is its delivery, through the same step (and the same
    re-check of the gates) as when a facilitator records one. False when it cannot be delivered now, and so is not
    to be shown."""
    if message.recipient_id != participant.pk:
        raise Http404
    if message.status != NEW_STATUS:
        return is_opened(message)
    try:
        delivered = relay_services.take_step(
            message=message, actor=None, step="deliver", delivery_method=DeliveryMethod.SECURE_LINK
        )
    except DomainError:
        return False
    message.status, message.delivered_at = delivered.status, delivered.delivered_at
    message.version = delivered.version
    return True


def may_write(participant: Participant) -> bool:
    """Messages are written while the process is prepared or under way, or while the agreement is monitored."""
    case = participant.case
    return case.is_open and case.state in relay_services.WRITING_STATES


def _not_now() -> DomainError:
    return DomainError(
        _("Your message cannot be passed on at the moment. Please talk to your facilitator about it."), field="body"
    )


def _submit(draft: RelayMessage) -> RelayMessage:
    """Submit what the participant wrote for their facilitator's review: the identifying-details check runs and the
    facilitator gets a task to review it. A refusal of the gates names people, so the participant reads another."""
    try:
        return relay_services.take_step(message=draft, actor=None, step="submit")
    except RefusedError as error:
        raise _not_now() from error


@transaction.atomic
def reply(*, participant: Participant, message: RelayMessage, body: str) -> RelayMessage:
    """The participant's reply to a message passed on to them, submitted for review at once."""
    if message.recipient_id != participant.pk or not is_opened(message):
        raise Http404
    if not may_write(participant):
        raise _not_now()
    if not body.strip():
        raise DomainError(_("Write your message."), field="body")
    try:
        if message.status in relay_services.STEPS_BY_NAME["reply"].sources:
            draft = relay_services.take_step(message=message, actor=None, step="reply")
            draft = relay_services.edit_message(message=draft, actor=None, kind=MessageKind.LETTER, body=body)
        else:
            draft = relay_services.create_message(
                case=participant.case,
                actor=None,
                sender=participant,
                recipient=message.sender,
                kind=MessageKind.LETTER,
                body=body,
                reply_to=message,
            )
    except RefusedError as error:
        raise _not_now() from error
    return _submit(draft)


def counterparts(participant: Participant) -> list[Participant]:
    """Whom they may write a new letter to: the person harmed or responsible with whom a message has already passed
    (either way), in the order they first did."""
    passed = (
        RelayMessage.objects.filter(
            Q(recipient=participant, status__in=sorted(SHOWN_STATUSES))
            | Q(sender=participant, released_at__isnull=False)
        )
        .select_related("sender", "recipient")
        .order_by("created_at", "pk")
    )
    found: dict[int, Participant] = {}
    for message in passed:
        other = message.sender if message.recipient_id == participant.pk else message.recipient
        if other.role in PRINCIPAL_ROLES and other.takes_part and other.pk != participant.pk:
            found.setdefault(other.pk, other)
    return list(found.values())


@transaction.atomic
def write_letter(*, participant: Participant, recipient: Participant, body: str) -> RelayMessage:
    """A new letter from the participant to someone they have exchanged messages with, submitted for review at once."""
    if recipient.pk not in {other.pk for other in counterparts(participant)}:
        raise DomainError(_("Choose who the letter is for."), field="recipient")
    if not may_write(participant):
        raise _not_now()
    if not body.strip():
        raise DomainError(_("Write your letter."), field="body")
    draft = relay_services.create_message(
        case=participant.case,
        actor=None,
        sender=participant,
        recipient=recipient,
        kind=MessageKind.LETTER,
        body=body,
    )
    return _submit(draft)


def messages_from(participant: Participant) -> list[RelayMessage]:
    """What they wrote themselves through their link, newest first (never a facilitator's draft on their behalf)."""
    return list(
        RelayMessage.objects.filter(sender=participant, written_by__isnull=True)
        .exclude(status=MessageStatus.DRAFT)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


# Meetings -----------------------------------------------------------------------------------------------------------


def places_of(participant: Participant, now: datetime.datetime | None = None) -> list[Attendee]:
    """Their own place at each meeting still to come (booked, or cancelled so they know), soonest first, with the
    meeting and its venue. Never anyone else's place."""
    places = list(
        participant.meeting_places.filter(
            meeting__status__in=[MeetingStatus.BOOKED, MeetingStatus.CANCELLED],
            meeting__ends_at__gte=now or timezone.now(),
        )
        .select_related("meeting__venue")
        .order_by("meeting__starts_at", "pk")
    )
    for place in places:
        place.participant = participant
        place.meeting.case = participant.case
    return places


def place_at(participant: Participant, meeting_id: int) -> Attendee:
    """Their own place at one meeting; a meeting they are not coming to is 404."""
    place = participant.meeting_places.filter(meeting_id=meeting_id).select_related("meeting__venue").first()
    if place is None:
        raise Http404
    place.participant = participant
    place.meeting.case = participant.case
    return place


# The feedback survey ------------------------------------------------------------------------------------------------


def survey_is_open(participant: Participant) -> bool:
    """A survey is theirs to answer once the case is following up, if they took part and have not answered one."""
    case = participant.case
    return (
        case.state == State.FOLLOWING_UP
        and participant.takes_part
        and not FeedbackSurvey.objects.filter(case=case, participant=participant).exists()
    )


@transaction.atomic
def answer_survey(*, participant: Participant, answers: followup_services.SurveyAnswers) -> FeedbackSurvey:
    """The participant answers their feedback survey online. Once sent it is kept as they gave it."""
    if not survey_is_open(participant):
        raise DomainError(_("There is no survey for you to answer at the moment."))
    return followup_services.record_survey(
        case=participant.case,
        actor=None,
        participant=participant,
        taken_on=timezone.localdate(),
        method=SurveyMethod.ONLINE,
        answers=answers,
    )


@dataclass(frozen=True)
class Summary:
    """What the participant's home page says about each part."""

    consent_given: bool
    consent_withdrawn: bool
    new_messages: int
    meetings: int
    # Meetings still to come that were called off: their pages say they will not go ahead, never why.
    meetings_off: int
    survey_open: bool


def summary(participant: Participant) -> Summary:
    latest = participant.consent_records.order_by("-occurred_at", "-pk").first()
    return Summary(
        consent_given=latest is not None and latest.kind == ConsentKind.GIVEN,
        consent_withdrawn=latest is not None and latest.kind == ConsentKind.WITHDRAWN,
        new_messages=new_message_count(participant),
        meetings=participant.meeting_places.filter(
            meeting__status=MeetingStatus.BOOKED, meeting__ends_at__gte=timezone.now()
        ).count(),
        meetings_off=participant.meeting_places.filter(
            meeting__status=MeetingStatus.CANCELLED, meeting__ends_at__gte=timezone.now()
        ).count(),
        survey_open=survey_is_open(participant),
    )
