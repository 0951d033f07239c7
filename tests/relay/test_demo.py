"""The demo's letter exchange: a letter with a redacted street, released and posted, and a reply in draft."""

import pytest
from django.core.management import call_command

from amends.cases.models import Case, State
from amends.referrals.models import crime_reference_key
from amends.relay.models import FlagKind, FlagResolution, MessageStatus, RelayMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_letter_exchange_with_a_redaction_and_a_draft_reply() -> None:
    call_command("load_demo", "--quiet-sign-ins")
    case = Case.objects.get(referral__crime_reference_key=crime_reference_key("WA/17733/26"))
    assert case.state == State.IN_PROCESS
    letter, reply = RelayMessage.objects.filter(case=case).order_by("pk")
    assert letter.status == MessageStatus.REPLIED
    assert letter.delivered_at is not None
    assert "Brynglas" not in letter.body
    assert "22 Brynglas Road" in letter.redactions
    (flag,) = letter.flags.all()
    assert (flag.kind, flag.resolution) == (FlagKind.ADDRESS, FlagResolution.REDACTED)
    assert reply.status == MessageStatus.DRAFT
    assert reply.reply_to == letter
    assert reply.sender == letter.recipient
