"""Shared makings of the relay tests: a letter-exchange case, and files kept in a temporary private directory."""

import io
from pathlib import Path
from typing import Any

import pytest

from amends.cases.models import ProcessKind, State
from amends.relay import services
from amends.relay.models import MessageKind, RelayMessage
from tests.case_builders import BuiltCase, build_case
from tests.personas import Personas

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
LETTER = "Dear Ann, I am sorry for what I did. I live at 14 Elm Grove Road now and I have changed. Rob"


@pytest.fixture(autouse=True)
def private_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    return tmp_path / "private"


def letter_case(personas: Personas, state: State = State.IN_PROCESS) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=state,
        process=ProcessKind.LETTERS,
    )


def write_letter(personas: Personas, built: BuiltCase, body: str = LETTER) -> RelayMessage:
    """A letter from the person responsible to the person harmed, as a draft."""
    return services.create_message(
        case=built.case,
        actor=personas.facilitator,
        sender=built.responsible,
        recipient=built.harmed,
        kind=MessageKind.LETTER,
        body=body,
    )


def step(personas: Personas, message: RelayMessage, name: str, **fields: str) -> RelayMessage:
    return services.take_step(message=message, actor=personas.facilitator, step=name, **fields)


def released_letter(personas: Personas, built: BuiltCase, body: str = "I am sorry. Rob") -> RelayMessage:
    """A letter with nothing to flag, taken through review to release."""
    message = write_letter(personas, built, body)
    for name in ("submit", "approve", "release"):
        message = step(personas, message, name)
    return message


def upload(personas: Personas, message: RelayMessage, data: bytes, name: str = "scan.pdf") -> object:
    return services.add_file(message=message, actor=personas.facilitator, name=name, content=io.BytesIO(data))
