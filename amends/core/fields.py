"""Model fields that encrypt personal data at rest with MultiFernet.

The value is serialised as JSON before encryption, so an empty string, zero and false come back exactly as they were
stored, and only None is stored as NULL. Keys come from settings.FIELD_ENCRYPTION_KEYS (newest first), never from
SECRET_KEY. Lookups on an encrypted column are refused; ordering by one or putting it in a constraint or index would
act on ciphertext and is meaningless, so never do either: search and sort through other columns.
"""

import datetime
import hashlib
import hmac
import json
import unicodedata
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """The MultiFernet for the configured keys; the first key encrypts, every key decrypts."""
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_value(value: Any) -> str:
    """Encrypt one JSON-serialisable value."""
    return fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def decrypt_value(token: str) -> Any:
    """Decrypt a token written by encrypt_value."""
    try:
        plain = fernet().decrypt(token.encode())
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from None
    return json.loads(plain)


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return fernet().rotate(token.encode()).decode()


def is_under_newest_key(token: bytes | str) -> bool:
    """Whether the token was written under the first key in FIELD_ENCRYPTION_KEYS (so a rotation can skip it)."""
    raw = token.encode() if isinstance(token, str) else token
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).decrypt(raw)
    except InvalidToken:
        return False
    return True


def encrypted_columns() -> dict[type[models.Model], list["EncryptedMixin"]]:
    """Each model's encrypted columns, each column once: proxies share a table, parents own their own columns."""
    from django.apps import apps

    columns: dict[type[models.Model], list[EncryptedMixin]] = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedMixin)]
        if fields:
            columns[model] = fields
    return columns


class EncryptedMixin(models.Field):  # type: ignore[type-arg]
    """Store the field's value as a Fernet token in a text column, whatever its Python type."""

    encrypted = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("unique") or kwargs.get("db_index") or kwargs.get("primary_key"):
            raise ImproperlyConfigured("Encrypted fields cannot be unique, indexed or primary keys.")
        super().__init__(*args, **kwargs)

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        return models.TextField().db_type(connection)

    def get_internal_type(self) -> str:
        return "TextField"

    def serialise(self, value: Any) -> Any:
        return value

    def deserialise(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Expression):
            return value
        return encrypt_value(self.serialise(self.to_python(value)))

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        return value if prepared else self.get_prep_value(value)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Any:
        if value is None:
            return None
        return self.deserialise(decrypt_value(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise ImproperlyConfigured(f"Encrypted field {self.name!r} cannot be searched with {lookup_name!r}.")
        return super().get_lookup(lookup_name)


class EncryptedTextField(EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """Long free text: notes, narratives, addresses."""


class EncryptedCharField(EncryptedMixin, models.CharField):  # type: ignore[type-arg]
    """Short text such as a phone number or a name; max_length is checked in forms only."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):  # type: ignore[type-arg]
    """An email address."""


class EncryptedIntegerField(EncryptedMixin, models.IntegerField):  # type: ignore[type-arg]
    """A whole number."""


class EncryptedBooleanField(EncryptedMixin, models.BooleanField):  # type: ignore[type-arg]
    """True or false."""


class EncryptedListField(EncryptedMixin, models.TextField):  # type: ignore[type-arg]
    """A list of short codes (such as accessibility needs, which can be health data), kept as one encrypted value.
    Forms declare their own field for it (a MultipleChoiceField)."""

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        return list(value)


class EncryptedDateField(EncryptedMixin, models.DateField):  # type: ignore[type-arg]
    """A calendar date, such as a date of birth."""

    def serialise(self, value: Any) -> Any:
        return value.isoformat()

    def deserialise(self, value: Any) -> Any:
        return datetime.date.fromisoformat(value)


def blind_index(*parts: str) -> str:
    """A keyed hash of normalised text, for exact-match lookups of encrypted values (BLIND_INDEX_KEY, not the
    Fernet keys). Case, accents spacing and punctuation are ignored, so "Siân  O'Neil" matches "SIAN ONEIL"."""
    normalised = "|".join(_normalise(part) for part in parts)
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if character.isalnum())
