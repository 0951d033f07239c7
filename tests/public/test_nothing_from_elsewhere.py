"""No tracking and no third-party requests: every public and participant page loads only from Amends itself and
sends its forms only to Amends. (Links to elsewhere, such as the ICO's complaints page, load nothing until chosen.)"""

import re

import pytest
from django.conf import settings
from django.test import Client

from amends.cases.models import State
from tests.case_builders import build_case
from tests.participation.builders import open_link
from tests.personas import Personas

pytestmark = pytest.mark.django_db

LOADED = re.compile(r"""<(?:script|img|iframe|link|source|audio|video)\b[^>]*\b(?:src|href)=["']([^"']+)""", re.I)
ACTIONS = re.compile(r"""<form\b[^>]*\baction=["']([^"']+)""", re.I)


def _elsewhere(address: str) -> bool:
    return bool(re.match(r"^(?:[a-z]+:)?//", address, re.I)) and not address.startswith(settings.AMENDS_BASE_URL)


def _check(html: str, path: str) -> None:
    assert not [found for found in LOADED.findall(html) if _elsewhere(found) or found.startswith("data:text")], path
    assert not [found for found in ACTIONS.findall(html) if _elsewhere(found)], path
    assert "<script" not in html.replace('<script nonce="', "").replace('<script type="module" src="/static/', ""), path


def test_public_and_participant_pages_load_nothing_from_elsewhere(personas: Personas) -> None:
    code = personas.service.code.lower()
    client = Client()
    for prefix in ("", "/cy"):
        for rest in ("", "contact/", "privacy/", "accessibility/", "feedback/", "refer/"):
            response = client.get(f"{prefix}/rj/{code}/{rest}")
            assert response.status_code == 200
            _check(response.content.decode(), response.request["PATH_INFO"])
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
    )
    open_link(client, built.harmed, personas.facilitator)
    for prefix in ("", "/cy"):
        for rest in ("", "consent/", "messages/", "meeting/", "survey/"):
            response = client.get(f"{prefix}/your-part/{rest}")
            assert response.status_code == 200
            _check(response.content.decode(), response.request["PATH_INFO"])
