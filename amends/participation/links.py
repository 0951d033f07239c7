"""Issuing, revoking and checking participants' secure links.

The link's token and the separate code are shown once (in the email, text or letter, and to the facilitator for the
code) and kept only as keyed hashes. What is sent says only that there is something to see: never the service's
name, what RJ is, or anything about the case, because someone else may read the participant's email or phone.
"""

import datetime
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.services import require_case_access, require_open
from amends.core.errors import DomainError
from amends.core.languages import django_language
from amends.dataprotection.restriction import refuse_if_restricted
from amends.participation.models import MOST_FAILED_CHECKS, LinkChannel, ParticipantLink, SecondCheck
from amends.participation.senders import TextNotSentError, text_sender
from amends.people.languages import participant_languages
from amends.people.models import Participant, ParticipantRole

# Who may be given a link: the people taking part themselves, not the professionals around them.
LINKED_ROLES = frozenset(
    {
        ParticipantRole.PERSON_HARMED,
        ParticipantRole.PERSON_RESPONSIBLE,
        ParticipantRole.SUPPORTER,
        ParticipantRole.PARENT_OR_GUARDIAN,
        ParticipantRole.COMMUNITY_MEMBER,
    }
)
MOST_DAYS = 90
CODE_DIGITS = 6


@dataclass(frozen=True)
class IssuedLink:
    """A new link with its secrets, which exist only here: `url` always, `code` when the check is a code."""

    link: ParticipantLink
    url: str
    code: str


def _languages(participant: Participant) -> list[str]:
    """The languages of what is sent, as codes to activate: the languages the participant reads."""
    return [django_language(code) for code in participant_languages(participant)]


def _page_language(participant: Participant) -> str:
    """The language the link opens in (its pages have a switch, and show Welsh and English together to someone
    whose language is not known): the first of the languages they read."""
    return _languages(participant)[0]


def link_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.AMENDS_BASE_URL + reverse("participation:open", kwargs={"token": token})


def _check_route(participant: Participant, channel: LinkChannel) -> None:
    person = participant.person
    if channel == LinkChannel.EMAIL and not person.email:
        raise DomainError(_("There is no email address for them: add one, or choose another way."), field="channel")
    if channel == LinkChannel.SMS and not person.phone:
        raise DomainError(_("There is no phone number for them: add one, or choose another way."), field="channel")
    if channel == LinkChannel.LETTER:
        if person.no_letters:
            raise DomainError(_("They asked not to be sent letters: choose another way."), field="channel")
        if not person.address:
            raise DomainError(_("There is no address for them: add one, or choose another way."), field="channel")


def _send(link: ParticipantLink, token: str, participant: Participant) -> None:
    """Email or text the link; a letter is printed by the facilitator from the page that shows the link once."""
    languages = _languages(participant)
    context = {"expires_on": timezone.localtime(link.expires_at).date(), "second_check": link.second_check}
    parts = []
    for language in languages:
        with translation.override(language):
            url = link_url(token, language)
            parts.append(render_to_string("participation/link_message.txt", {**context, "url": url}).strip())
    body = "\n\n".join(parts)
    if link.channel == LinkChannel.EMAIL:
        subjects = []
        for language in languages:
            with translation.override(language):
                subjects.append(_("There is something new for you to see"))
        send_mail(" / ".join(subjects), body, None, [participant.person.email])
    elif link.channel == LinkChannel.SMS:
        try:
            text_sender().send(to=participant.person.phone, body=body)
        except TextNotSentError as error:
            raise DomainError(str(error), field="channel") from error


@transaction.atomic
def issue_link(
    *,
    participant: Participant,
    actor: User,
    channel: LinkChannel | str,
    second_check: SecondCheck | str,
    days: int | None = None,
) -> IssuedLink:
    """Give one participant a new link, replacing any earlier one, and send it (email or text) or return it for a
    letter. The link and any code are returned once, to show to the facilitator; only their hashes are kept."""
    case = participant.case
    require_case_access(actor, case)
    require_open(case)
    refuse_if_restricted(participant.person_id)
    channel = LinkChannel(channel)
    second_check = SecondCheck(second_check)
    days = settings.AMENDS_LINK_DAYS if days is None else days
    if participant.role not in LINKED_ROLES:
        raise DomainError(_("A secure link is for the people taking part, not the professionals around them."))
    if not 1 <= days <= MOST_DAYS:
        raise DomainError(_("Choose between 1 and %(most)s days.") % {"most": MOST_DAYS}, field="days")
    if second_check == SecondCheck.DATE_OF_BIRTH and participant.person.date_of_birth is None:
        raise DomainError(
            _("Their date of birth is not recorded: choose a code, or record their date of birth first."),
            field="second_check",
        )
    _check_route(participant, channel)
    now = timezone.now()
    for earlier in participant.links.select_for_update().filter(revoked_at__isnull=True, expires_at__gt=now):
        earlier.revoked_at = now
        earlier.revoked_by = actor
        earlier.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice("0123456789") for _digit in range(CODE_DIGITS)) if second_check == "code" else ""
    link = ParticipantLink.objects.create(
        participant=participant,
        token_hash=ParticipantLink.hash_secret(token),
        channel=channel,
        second_check=second_check,
        code_hash=ParticipantLink.hash_secret(code) if code else "",
        issued_by=actor,
        expires_at=now + datetime.timedelta(days=days),
    )
    record_event(
        action=AuditAction.LINK_ISSUED,
        actor=actor,
        target=link,
        service=case.service,
        changes={
            "participant": participant.pk,
            "channel": channel.value,
            "second_check": second_check.value,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    _send(link, token, participant)
    return IssuedLink(link=link, url=link_url(token, _page_language(participant)), code=code)


@transaction.atomic
def revoke_link(*, link: ParticipantLink, actor: User) -> ParticipantLink:
    """Stop a link working at once."""
    case = link.participant.case
    require_case_access(actor, case)
    locked = ParticipantLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is not None:
        raise DomainError(_("This link is already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    record_event(action=AuditAction.LINK_REVOKED, actor=actor, target=locked, service=case.service)
    return locked


def _matches(link: ParticipantLink, answer: str | datetime.date | None) -> bool:
    if link.second_check == SecondCheck.DATE_OF_BIRTH:
        return isinstance(answer, datetime.date) and answer == link.participant.person.date_of_birth
    typed = "".join(str(answer or "").split())
    return bool(typed) and hmac.compare_digest(ParticipantLink.hash_secret(typed), link.code_hash)


@transaction.atomic
def check_link(*, link: ParticipantLink, answer: str | datetime.date | None) -> bool:
    """The second check. A wrong answer counts against the link, and the last allowed one locks it; every try is
    in the audit. Raises DomainError when the link no longer works."""
    locked = ParticipantLink.objects.select_for_update().get(pk=link.pk)
    service = link.participant.case.service
    if not locked.is_live:
        raise DomainError(_("This link does not work any more."))
    if _matches(link, answer):
        locked.failed_checks = 0
        locked.last_opened_at = timezone.now()
        locked.save(update_fields=["failed_checks", "last_opened_at", "updated_at"])
        record_event(action=AuditAction.LINK_OPENED, actor=None, target=locked, service=service)
        link.failed_checks, link.last_opened_at = locked.failed_checks, locked.last_opened_at
        return True
    locked.failed_checks += 1
    fields = ["failed_checks", "updated_at"]
    if locked.failed_checks >= MOST_FAILED_CHECKS:
        locked.locked_at = timezone.now()
        fields.append("locked_at")
    locked.save(update_fields=fields)
    action = AuditAction.LINK_LOCKED if locked.locked_at else AuditAction.LINK_CHECK_FAILED
    record_event(action=action, actor=None, target=locked, service=service, changes={"failed": locked.failed_checks})
    link.failed_checks, link.locked_at = locked.failed_checks, locked.locked_at
    return False


def tries_left(link: ParticipantLink) -> int:
    return max(MOST_FAILED_CHECKS - link.failed_checks, 0)
