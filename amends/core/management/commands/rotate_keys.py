"""Re-encrypt everything held under FIELD_ENCRYPTION_KEYS with the newest key, so older keys can be retired.

Put the new key first in FIELD_ENCRYPTION_KEYS (keeping the old ones after it), run `manage.py rotate_keys`, and once
it reports that everything uses the newest key, remove the old keys. It covers every encrypted column, the
second-factor secrets allauth keeps, and the message files on disk.

Resumable: each batch is committed on its own, and a value already under the newest key is left alone, so a run that
was stopped (or failed) is simply run again and carries on where it stopped. Progress is reported batch by batch, as
counts only: nothing decrypted is ever printed.
"""

from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from amends.core.fields import EncryptedMixin, encrypted_columns, fernet, is_under_newest_key, rotate_token
from amends.relay import files as relay_files
from amends.relay.models import MessageFile

# allauth keeps second-factor secrets in a JSON column, encrypted through our MFA adapter with the same keys.
SECOND_FACTOR_SECRETS = {Authenticator.Type.TOTP: "secret", Authenticator.Type.RECOVERY_CODES: "seed"}

Progress = Callable[[int, int], None]


def _rotated(token: str, where: str) -> str:
    try:
        return rotate_token(token)
    except InvalidToken:
        raise CommandError(f"{where} cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS.") from None


def rotate_column(
    model: type[models.Model], field: EncryptedMixin, *, batch_size: int, progress: Progress | None = None
) -> int:
    """Re-encrypt one column in primary-key order, one committed batch at a time; return how many values were
    rewritten (values already under the newest key are passed over)."""
    rows = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("pk")
    total = rows.count()
    rotated = done = 0
    last_pk: Any = None
    while True:
        with transaction.atomic():
            batch = rows if last_pk is None else rows.filter(pk__gt=last_pk)
            # Cast to plain text so the ORM hands back the stored token instead of decrypting it, and lock the rows
            # so a write made meanwhile is not overwritten with the older value.
            tokens = list(
                batch.select_for_update().values_list("pk", Cast(field.attname, models.TextField()))[:batch_size]
            )
            if not tokens:
                return rotated
            for pk, token in tokens:
                if is_under_newest_key(token):
                    continue
                new_token = _rotated(token, f"{model._meta.label}.{field.name} (pk {pk})")
                # A Value is written as it is: the field does not encrypt expressions again.
                model._base_manager.filter(pk=pk).update(
                    **{field.attname: models.Value(new_token, output_field=models.TextField())}
                )
                rotated += 1
        done += len(tokens)
        last_pk = tokens[-1][0]
        if progress is not None:
            progress(done, total)


def rotate_second_factor_secrets(*, batch_size: int) -> int:
    """Re-encrypt the TOTP secrets and recovery-code seeds; return how many were rewritten."""
    rotated = 0
    with transaction.atomic():
        authenticators = Authenticator.objects.select_for_update().filter(type__in=list(SECOND_FACTOR_SECRETS))
        for authenticator in authenticators.order_by("pk").iterator(chunk_size=batch_size):
            key = SECOND_FACTOR_SECRETS[Authenticator.Type(authenticator.type)]
            if not isinstance(authenticator.data, dict) or not authenticator.data.get(key):
                continue
            if is_under_newest_key(authenticator.data[key]):
                continue
            secret = _rotated(authenticator.data[key], f"Authenticator pk {authenticator.pk}")
            Authenticator.objects.filter(pk=authenticator.pk).update(data={**authenticator.data, key: secret})
            rotated += 1
    return rotated


def rotate_message_files(*, progress: Progress | None = None) -> int:
    """Re-encrypt each message file on disk under the newest key, replacing it whole (write beside, then rename)."""
    names = list(MessageFile.objects.order_by("pk").values_list("stored_name", flat=True))
    rotated = 0
    for done, name in enumerate(names, start=1):
        path = relay_files.private_dir() / name
        if path.exists():
            token = path.read_bytes()
            if not is_under_newest_key(token):
                try:
                    new_token = fernet().rotate(token)
                except InvalidToken:
                    raise CommandError(f"Message file {name} cannot be decrypted with any key.") from None
                partial = path.with_name(f"{name}.rotating")
                partial.write_bytes(new_token)
                partial.chmod(0o600)
                partial.replace(path)
                rotated += 1
        if progress is not None:
            progress(done, len(names))
    return rotated


class Command(BaseCommand):
    help = "Re-encrypt personal data, second-factor secrets and message files under the first encryption key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows read and rewritten at a time.")

    def _progress(self, label: str) -> Progress:
        def report(done: int, total: int) -> None:
            share = 100 if total == 0 else done * 100 // total
            self.stdout.write(f"  {label}: {done:,} of {total:,} ({share}%)")

        return report

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for model, fields in encrypted_columns().items():
            for field in fields:
                label = f"{model._meta.label}.{field.name}"
                count = rotate_column(model, field, batch_size=batch_size, progress=self._progress(label))
                self.stdout.write(f"{label}: {count:,} values re-encrypted.")
        count = rotate_second_factor_secrets(batch_size=batch_size)
        self.stdout.write(f"{Authenticator._meta.label}: {count:,} second-factor secrets re-encrypted.")
        count = rotate_message_files(progress=self._progress("message files"))
        self.stdout.write(f"Message files: {count:,} re-encrypted.")
        self.stdout.write(self.style.SUCCESS("Every encrypted value now uses the newest key."))
