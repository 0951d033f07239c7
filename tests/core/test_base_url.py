"""Links sent by email use the address Amends is configured to be reached at (AMENDS_BASE_URL, or PORT's)."""

import pytest
from django.core import mail
from django.test import override_settings

from amends.accounts import services
from amends.accounts.models import Role
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@override_settings(AMENDS_BASE_URL="http://127.0.0.1:8001")
def test_an_invitation_links_to_the_address_amends_is_served_at(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(
            service=personas.service,
            actor=personas.coordinator,
            email="new.person@example.org",
            full_name="New Person",
            role=Role.FACILITATOR,
        )

    assert "http://127.0.0.1:8001/invitation/" in mail.outbox[-1].body
