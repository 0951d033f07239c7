"""Pages that can be read answer HEAD as they answer GET: a link checker, a monitor or a proxy asks with HEAD."""

import re
from pathlib import Path

import pytest
from django.test import Client

from amends.cases.models import State
from tests.case_builders import build_case
from tests.conftest import signed_in_client
from tests.participation.builders import open_link
from tests.personas import Personas

pytestmark = pytest.mark.django_db

AMENDS = Path(__file__).resolve().parents[2] / "amends"
# The secure link's own views change on another branch of issue 16 (they mask the token for HEAD and OPTIONS).
LEFT_TO_THE_LINK_WORK = {AMENDS / "participation" / "link_views.py"}


def _head_answers(client: Client, paths: list[str]) -> dict[str, int]:
    return {path: client.head(path).status_code for path in paths}


def test_it_answers_head_on_every_public_page(personas: Personas) -> None:
    code = personas.service.code.lower()
    paths = ["/healthz", "/accounts/login/", "/rj/"]
    for prefix in ("", "/cy"):
        paths += [
            f"{prefix}/rj/{code}/{rest}"
            for rest in ("", "contact/", "privacy/", "accessibility/", "feedback/", "refer/", "refer/sent/")
        ]

    answers = _head_answers(Client(), paths)

    assert answers == dict.fromkeys(paths, 200)
    assert Client().head("/").status_code == 302  # the home page sends a stranger to sign in


def test_it_answers_head_on_a_participants_pages(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.ASSESSING,
    )
    client = Client()
    open_link(client, built.harmed, personas.facilitator)
    paths = [f"/your-part/{rest}" for rest in ("", "consent/", "consent/withdraw/", "messages/", "meeting/", "survey/")]

    assert _head_answers(client, paths) == dict.fromkeys(paths, 200)


def test_it_answers_head_on_staff_pages(personas: Personas) -> None:
    paths = ["/", "/services/", f"/services/{personas.service.pk}/"]

    assert _head_answers(signed_in_client(personas.coordinator), paths) == dict.fromkeys(paths, 200)


def test_no_page_is_limited_to_get_without_head() -> None:
    # require_http_methods(["GET"]) answers HEAD with 405; require_safe allows both.
    get_only = re.compile(r"require_http_methods\(\[\s*[\"']GET[\"']\s*\]\)")
    offenders = [
        str(path.relative_to(AMENDS))
        for path in sorted(AMENDS.rglob("*.py"))
        if path not in LEFT_TO_THE_LINK_WORK and get_only.search(path.read_text())
    ]

    assert offenders == []
