"""A secure link in the demo, so that anyone trying Amends can see the participant's side: Eleri Jones, the person
harmed in the letter exchange, with the letter released to her. Its token is published, like the demo passwords, so
the demo is never loaded in production (load_demo refuses)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.participation.links import link_url
from amends.participation.models import LinkChannel, ParticipantLink, SecondCheck
from amends.people.models import Participant, ParticipantRole
from amends.referrals.models import crime_reference_key

DEMO_LINK_TOKEN = "demo-link-for-eleri-jones-in-the-letter-exchange"  # noqa: S105 (published, demo only)
# The letter exchange's crime reference (amends/cases/demo.py, letters_with_a_redaction).
LETTERS_CRIME_REFERENCE = "WA/17733/26"
DEMO_LINK_DAYS = 28


@transaction.atomic
def refresh_demo_link() -> tuple[str, Participant] | None:
    """Make the demo link live for another DEMO_LINK_DAYS (whatever happened to it since), and return its address
    and participant; None when the demo's letter exchange is not there."""
    participant = (
        Participant.objects.select_related("person", "case__service", "case__lead_facilitator")
        .filter(
            case__referral__crime_reference_key=crime_reference_key(LETTERS_CRIME_REFERENCE),
            case__service__code="SV",
            role=ParticipantRole.PERSON_HARMED,
        )
        .first()
    )
    if participant is None or participant.case.lead_facilitator is None:
        return None
    token_hash = ParticipantLink.hash_secret(DEMO_LINK_TOKEN)
    expires_at = timezone.now() + datetime.timedelta(days=DEMO_LINK_DAYS)
    link = ParticipantLink.objects.filter(token_hash=token_hash).first()
    if link is None:
        link = ParticipantLink.objects.create(
            participant=participant,
            token_hash=token_hash,
            channel=LinkChannel.EMAIL,
            second_check=SecondCheck.DATE_OF_BIRTH,
            issued_by=participant.case.lead_facilitator,
            expires_at=expires_at,
        )
        record_event(
            action=AuditAction.LINK_ISSUED,
            actor=participant.case.lead_facilitator,
            target=link,
            service=participant.case.service,
            changes={"participant": participant.pk, "demo": True},
        )
    elif not link.is_live or link.expires_at < expires_at - datetime.timedelta(days=1):
        link.expires_at, link.revoked_at, link.revoked_by = expires_at, None, None
        link.locked_at, link.failed_checks = None, 0
        link.save(update_fields=["expires_at", "revoked_at", "revoked_by", "locked_at", "failed_checks", "updated_at"])
    return link_url(DEMO_LINK_TOKEN, settings.LANGUAGE_CODE), participant
