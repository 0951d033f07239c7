"""Re-encrypt every value held under FIELD_ENCRYPTION_KEYS with the newest key, so older keys can be retired."""

from argparse import ArgumentParser
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from amends.core.fields import EncryptedMixin, rotate_token

# allauth keeps second-factor secrets in a JSON column, encrypted through our MFA adapter with the same keys.
SECOND_FACTOR_SECRETS = {Authenticator.Type.TOTP: "secret", Authenticator.Type.RECOVERY_CODES: "seed"}


def encrypted_columns() -> dict[type[models.Model], list[EncryptedMixin]]:
    """Each model's encrypted columns, each column once: proxies share a table, parents own their own columns."""
    columns: dict[type[models.Model], list[EncryptedMixin]] = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedMixin)]
        if fields:
            columns[model] = fields
    return columns


def _rotated(token: str, where: str) -> str:
    try:
        return rotate_token(token)
    except InvalidToken:
        raise CommandError(f"{where} cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS.") from None


def rotate_column(model: type[models.Model], field: EncryptedMixin, *, batch_size: int) -> int:
    """Re-encrypt one column in primary-key order, batch by batch; return how many values were rewritten."""
    rows = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("pk")
    rotated = 0
    last_pk: Any = None
    while True:
        batch = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        # Cast to plain text so the ORM hands back the stored token instead of decrypting it, and lock the rows so
        # a write made meanwhile is not overwritten with the older value.
        tokens = list(batch.select_for_update().values_list("pk", Cast(field.attname, models.TextField()))[:batch_size])
        if not tokens:
            return rotated
        for pk, token in tokens:
            new_token = _rotated(token, f"{model._meta.label}.{field.name} (pk {pk})")
            # A Value is written as it is: the field does not encrypt expressions again.
            model._base_manager.filter(pk=pk).update(
                **{field.attname: models.Value(new_token, output_field=models.TextField())}
            )
        rotated += len(tokens)
        last_pk = tokens[-1][0]


def rotate_second_factor_secrets(*, batch_size: int) -> int:
    """Re-encrypt the TOTP secrets and recovery-code seeds; return how many were rewritten."""
    authenticators = Authenticator.objects.select_for_update().filter(type__in=list(SECOND_FACTOR_SECRETS))
    rotated = 0
    for authenticator in authenticators.order_by("pk").iterator(chunk_size=batch_size):
        key = SECOND_FACTOR_SECRETS[Authenticator.Type(authenticator.type)]
        if not isinstance(authenticator.data, dict) or not authenticator.data.get(key):
            continue
        data = {**authenticator.data, key: _rotated(authenticator.data[key], f"Authenticator pk {authenticator.pk}")}
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
        rotated += 1
    return rotated


class Command(BaseCommand):
    help = "Re-encrypt all personal data and second-factor secrets under the first key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows read and rewritten at a time.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for model, fields in encrypted_columns().items():
            # One transaction per model: a model's columns all move to the new key together, or none do.
            with transaction.atomic():
                count = sum(rotate_column(model, field, batch_size=batch_size) for field in fields)
            names = ", ".join(field.name for field in fields)
            self.stdout.write(f"{model._meta.label}: {count} values re-encrypted ({names}).")
        with transaction.atomic():
            count = rotate_second_factor_secrets(batch_size=batch_size)
        self.stdout.write(f"{Authenticator._meta.label}: {count} second-factor secrets re-encrypted.")
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the newest key."))
