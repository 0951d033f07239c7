"""The demo prints a participant's secure link that works, so that anyone trying Amends sees the participant's side."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from amends.participation.demo import DEMO_LINK_TOKEN
from amends.participation.models import ParticipantLink

pytestmark = pytest.mark.django_db


def test_the_demo_prints_a_live_link_for_eleri_jones_that_opens_with_her_date_of_birth() -> None:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    printed = output.getvalue()
    assert f"/link/{DEMO_LINK_TOKEN}/" in printed
    assert "Date of birth for the check: 12/08/1983" in printed
    ParticipantLink.objects.update(locked_at=ParticipantLink.objects.get().created_at)
    call_command("load_demo", "--quiet-sign-ins")  # a second run makes a locked demo link live again
    assert ParticipantLink.objects.get().is_live
    client = Client()
    assert client.get(f"/link/{DEMO_LINK_TOKEN}/").status_code == 302
    response = client.post(reverse("participation:check"), {"answer": "12/08/1983"})
    assert response["Location"] == reverse("participation:home")
    assert "Eleri" in client.get(reverse("participation:home")).content.decode()
