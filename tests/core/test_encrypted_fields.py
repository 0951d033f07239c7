import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings
from django.test.utils import isolate_apps

from amends.accounts.adapters import MFAAdapter
from amends.accounts.models import Invitation, ObservedPractice, Role, SupervisionSession
from amends.accounts.services import invite_member
from amends.core.fields import (
    EncryptedBooleanField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedIntegerField,
    EncryptedTextField,
)
from tests.factories import TEST_TOTP_SECRET, ObservedPracticeFactory, SupervisionSessionFactory, UserFactory
from tests.personas import Personas

NEW_KEY = Fernet.generate_key().decode()
WELSH = "Siân ŵ ŷ"


def raw_column(model: type[models.Model], pk: Any, column: str) -> Any:
    """What the database holds, read past the ORM so nothing is decrypted."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def old_key() -> str:
    return str(settings.FIELD_ENCRYPTION_KEYS[0])


@pytest.fixture
def sample_model(db: None) -> Iterator[Any]:
    """A model with one field of each encrypted kind, all nullable; its table lives only for the test."""
    with isolate_apps("amends.core"):

        class EncryptedSample(models.Model):
            text = EncryptedTextField(null=True)
            number = EncryptedIntegerField(null=True)
            flag = EncryptedBooleanField(null=True)
            day = EncryptedDateField(null=True)

            class Meta:
                app_label = "core"
                db_table = "core_encrypted_sample"

            def __str__(self) -> str:
                return f"{self.pk}"

        # Raw DDL, because SQLite's schema editor refuses to run inside the test's transaction, which rolls it back.
        sql, params = connection.schema_editor().table_sql(EncryptedSample)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield EncryptedSample


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", ""),
        ("text", WELSH),
        ("number", 0),
        ("number", -42),
        ("flag", False),
        ("flag", True),
        ("day", datetime.date(2024, 2, 29)),
        ("text", None),
        ("number", None),
        ("flag", None),
        ("day", None),
    ],
)
def test_it_gives_back_exactly_the_value_it_stored(sample_model: Any, field: str, value: Any) -> None:
    sample = sample_model.objects.create(**{field: value})

    loaded = getattr(sample_model.objects.get(pk=sample.pk), field)

    assert loaded == value
    assert type(loaded) is type(value)


def test_it_stores_none_as_null_and_everything_else_as_a_token(sample_model: Any) -> None:
    empty = sample_model.objects.create(text="", number=0, flag=False)
    nothing = sample_model.objects.create()

    assert all(raw_column(sample_model, empty.pk, column) is not None for column in ("text", "number", "flag"))
    assert raw_column(sample_model, nothing.pk, "text") is None


def test_it_round_trips_personal_text_through_a_real_record(personas: Personas) -> None:
    empty = SupervisionSessionFactory(notes="")
    welsh = SupervisionSessionFactory(notes=WELSH)
    invitation = invite_member(
        service=personas.service,
        actor=personas.coordinator,
        email="sian.jones@amends.example",
        full_name=WELSH,
        role=Role.FACILITATOR,
    )

    assert SupervisionSession.objects.get(pk=empty.pk).notes == ""
    assert SupervisionSession.objects.get(pk=welsh.pk).notes == WELSH
    reloaded = Invitation.objects.get(pk=invitation.pk)
    assert (reloaded.email, reloaded.full_name) == ("sian.jones@amends.example", WELSH)


def test_it_stores_a_fernet_token_not_the_plaintext(personas: Personas) -> None:
    invitation = invite_member(
        service=personas.service,
        actor=personas.coordinator,
        email="sian.jones@amends.example",
        full_name=WELSH,
        role=Role.FACILITATOR,
    )

    for column, plaintext in (("email", "sian.jones@amends.example"), ("full_name", WELSH)):
        stored = raw_column(Invitation, invitation.pk, column)
        assert plaintext not in stored
        assert "sian" not in stored.lower()
        assert json.loads(Fernet(old_key().encode()).decrypt(stored.encode())) == plaintext


def test_it_reads_values_written_under_an_older_key_once_a_new_key_is_first(db: None) -> None:
    session = SupervisionSessionFactory(notes=WELSH)

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, old_key()]):
        assert SupervisionSession.objects.get(pk=session.pk).notes == WELSH


def test_it_refuses_to_read_a_value_without_the_key_it_was_written_under(db: None) -> None:
    session = SupervisionSessionFactory(notes=WELSH)

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(ImproperlyConfigured):
        SupervisionSession.objects.get(pk=session.pk)


def test_it_writes_new_values_under_the_first_key(db: None) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, old_key()]):
        session = SupervisionSessionFactory(notes=WELSH)

    stored = raw_column(SupervisionSession, session.pk, "notes").encode()
    assert json.loads(Fernet(NEW_KEY.encode()).decrypt(stored)) == WELSH
    with pytest.raises(InvalidToken):
        Fernet(old_key().encode()).decrypt(stored)


def test_it_re_encrypts_every_encrypted_column_under_the_newest_key(personas: Personas) -> None:
    retired_key = old_key()
    invitation = invite_member(
        service=personas.service,
        actor=personas.coordinator,
        email="sian.jones@amends.example",
        full_name=WELSH,
        role=Role.FACILITATOR,
    )
    sessions = [SupervisionSessionFactory(notes=f"{WELSH} {n}") for n in range(3)]
    observation = ObservedPracticeFactory(notes="")
    updated_at = SupervisionSession.objects.get(pk=sessions[0].pk).updated_at
    stored = [
        (Invitation, invitation.pk, "email", "sian.jones@amends.example"),
        (Invitation, invitation.pk, "full_name", WELSH),
        *((SupervisionSession, session.pk, "notes", session.notes) for session in sessions),
        (ObservedPractice, observation.pk, "notes", ""),
    ]
    output = io.StringIO()

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, retired_key]):
        call_command("rotate_keys", "--batch-size=2", stdout=output)

    for model, pk, column, plaintext in stored:
        token = raw_column(model, pk, column).encode()
        assert json.loads(Fernet(NEW_KEY.encode()).decrypt(token)) == plaintext
        with pytest.raises(InvalidToken):
            Fernet(retired_key.encode()).decrypt(token)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert Invitation.objects.get(pk=invitation.pk).full_name == WELSH
        assert [SupervisionSession.objects.get(pk=session.pk).notes for session in sessions] == [
            session.notes for session in sessions
        ]
        assert SupervisionSession.objects.get(pk=sessions[0].pk).updated_at == updated_at
    assert "accounts.Invitation.email: 1 values re-encrypted." in output.getvalue()
    assert "accounts.SupervisionSession.notes: 3 values re-encrypted." in output.getvalue()
    assert "accounts.SupervisionSession.notes: 2 of 3 (66%)" in output.getvalue()
    assert WELSH not in output.getvalue()
    assert "sian" not in output.getvalue()


def test_it_re_encrypts_second_factor_secrets_under_the_newest_key(db: None) -> None:
    user = UserFactory()
    retired_key = old_key()

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, retired_key]):
        call_command("rotate_keys", stdout=io.StringIO())

    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    with pytest.raises(InvalidToken):
        Fernet(retired_key.encode()).decrypt(totp.data["secret"].encode())
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert MFAAdapter().decrypt(totp.data["secret"]) == TEST_TOTP_SECRET


@pytest.mark.parametrize(
    "lookup",
    [
        {"email": "sian.jones@amends.example"},
        {"email__iexact": "sian.jones@amends.example"},
        {"full_name__icontains": "Siân"},
        {"email__in": ["sian.jones@amends.example"]},
        {"full_name__startswith": "S"},
    ],
)
def test_it_refuses_to_filter_on_an_encrypted_field(db: None, lookup: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfigured, match="cannot be searched"):
        Invitation.objects.filter(**lookup)


def test_it_allows_asking_whether_an_encrypted_field_is_empty(db: None) -> None:
    SupervisionSessionFactory(notes="")

    assert SupervisionSession.objects.filter(notes__isnull=False).count() == 1
    assert SupervisionSession.objects.filter(notes__isnull=True).count() == 0


@pytest.mark.parametrize("field_class", [EncryptedTextField, EncryptedCharField, EncryptedEmailField])
@pytest.mark.parametrize("option", ["unique", "db_index", "primary_key"])
def test_it_refuses_an_encrypted_field_that_is_unique_indexed_or_a_key(field_class: type, option: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="cannot be unique"):
        field_class(max_length=200, **{option: True})


def test_a_rotation_run_again_passes_over_what_already_uses_the_newest_key(db: None) -> None:
    """Resumable: a stopped run is run again, and only what is still under an older key is rewritten."""
    retired_key = old_key()
    done = SupervisionSessionFactory(notes="already rotated")
    waiting = SupervisionSessionFactory(notes="still under the old key")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, retired_key]):
        SupervisionSession.objects.filter(pk=done.pk).update(notes="already rotated")
        before = raw_column(SupervisionSession, done.pk, "notes")
        output = io.StringIO()
        call_command("rotate_keys", stdout=output)
        again = io.StringIO()
        call_command("rotate_keys", stdout=again)

    assert raw_column(SupervisionSession, done.pk, "notes") == before
    assert "accounts.SupervisionSession.notes: 1 values re-encrypted." in output.getvalue()
    assert "accounts.SupervisionSession.notes: 0 values re-encrypted." in again.getvalue()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert SupervisionSession.objects.get(pk=waiting.pk).notes == "still under the old key"
