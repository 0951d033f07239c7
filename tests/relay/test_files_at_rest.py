"""Message files at rest: a key rotation re-encrypts them on disk, and erasing the case deletes them."""

import io
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import TestCase, override_settings

from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.dataprotection import erasure
from amends.relay.models import MessageFile
from tests.personas import Personas
from tests.relay.conftest import PDF_BYTES, letter_case, upload, write_letter

NEW_KEY = Fernet.generate_key().decode()


def test_a_key_rotation_re_encrypts_message_files_under_the_newest_key(personas: Personas, settings: object) -> None:
    built = letter_case(personas)
    upload(personas, write_letter(personas, built), PDF_BYTES)
    path = Path(settings.AMENDS_PRIVATE_DIR) / "relay" / MessageFile.objects.get().stored_name  # type: ignore[attr-defined]
    retired_key = settings.FIELD_ENCRYPTION_KEYS[0]  # type: ignore[attr-defined]

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, retired_key]):
        output = io.StringIO()
        call_command("rotate_keys", stdout=output)
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)

    assert Fernet(NEW_KEY.encode()).decrypt(path.read_bytes()) == PDF_BYTES
    assert "Message files: 1 re-encrypted." in output.getvalue()
    assert "Message files: 0 re-encrypted." in again.getvalue()


def test_erasing_the_case_deletes_its_files_from_disk(personas: Personas, settings: object) -> None:
    built = letter_case(personas)
    upload(personas, write_letter(personas, built), PDF_BYTES)
    stored = MessageFile.objects.get()
    path = Path(settings.AMENDS_PRIVATE_DIR) / "relay" / stored.stored_name  # type: ignore[attr-defined]
    assert path.exists()
    case_services.transition_case(case=built.case, actor=personas.coordinator, name="close", closure_reason="other")

    with TestCase.captureOnCommitCallbacks(execute=True):
        erasure.anonymise_case(case=built.case, actor=None)

    assert not path.exists()
    stored.refresh_from_db()
    assert stored.original_name == ""
    assert Case.objects.get(pk=built.case.pk).state == State.CLOSED
