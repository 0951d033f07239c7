"""Makings of the participant page tests: a browser session that passed a live secure link's second check."""

import datetime
import secrets

from django.test import Client
from django.utils import timezone

from amends.accounts.models import User
from amends.participation.models import LinkChannel, ParticipantLink, SecondCheck
from amends.participation.session import SESSION_KEY
from amends.people.models import Participant


def open_link(client: Client, participant: Participant, issued_by: User) -> ParticipantLink:
    """A live link for the participant, and the client's session acting for it (as after the second check)."""
    link = ParticipantLink.objects.create(
        participant=participant,
        token_hash=ParticipantLink.hash_secret(secrets.token_urlsafe(32)),
        channel=LinkChannel.EMAIL,
        second_check=SecondCheck.DATE_OF_BIRTH,
        issued_by=issued_by,
        expires_at=timezone.now() + datetime.timedelta(days=28),
    )
    session = client.session
    session[SESSION_KEY] = link.pk
    session.save()
    return link
