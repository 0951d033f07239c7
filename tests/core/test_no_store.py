"""What a signed-in person is shown is never kept by a browser or proxy: the Back button on a shared office computer
does not bring a case back after signing out."""

import pytest
from django.test import Client

from tests.case_builders import build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_not_stored(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    response = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_response_that_says_how_it_is_cached_keeps_its_own_header(personas: Personas) -> None:
    # The public pages set their own; a signed-in person reading them is given the same header as anyone.
    privacy = f"/rj/{personas.service.code.lower()}/privacy/"
    response = signed_in_client(personas.facilitator).get(privacy)
    anonymous = Client().get(privacy)
    assert response["Cache-Control"] == anonymous["Cache-Control"]
