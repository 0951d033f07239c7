"""The issue's test on the demo service: its database holds no plaintext personal data, and a key rotation over all of
it completes with everything still reading under the new key alone."""

import io
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from amends.core.fields import encrypted_columns
from tests.dataprotection.test_no_plaintext import _plaintexts, _stored_text

pytestmark = pytest.mark.django_db


def _every_value() -> dict[tuple[str, Any, str], Any]:
    return {
        (model._meta.label, row.pk, field.name): getattr(row, field.attname)
        for model, fields in encrypted_columns().items()
        for row in model._base_manager.all()
        for field in fields
    }


def test_the_demo_holds_no_plaintext_and_reads_after_a_key_rotation() -> None:
    call_command("load_demo", stdout=io.StringIO())
    plaintexts = _plaintexts()
    assert len(plaintexts) > 100
    stored = _stored_text()
    assert sorted(text for text in plaintexts if text in stored) == []
    before = _every_value()
    new_key = Fernet.generate_key().decode()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *settings.FIELD_ENCRYPTION_KEYS]):
        output = io.StringIO()
        call_command("rotate_keys", "--batch-size=50", stdout=output)

    assert "Every encrypted value now uses the newest key." in output.getvalue()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert _every_value() == before
