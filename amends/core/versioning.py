"""No lost updates: a record people edit carries a version number that every save checks and moves on."""

from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from amends.core.errors import DomainError


class VersionedModel(models.Model):
    """A record two people might edit at once."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def stale_version_error() -> DomainError:
    return DomainError(
        _(
            "Someone else changed this record after you opened it, so your changes were not saved. "
            "Open it again to see what they changed, then make your changes again."
        ),
        field="version",
    )


def check_version(instance: VersionedModel, expected_version: int | None) -> None:
    """Refuse when the stored version is not the one the editor started from (None skips the check)."""
    if expected_version is None:
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if stored != expected_version:
        raise stale_version_error()


def save_versioned(instance: VersionedModel, *, expected_version: int | None, fields: list[str]) -> None:
    """Save the fields only if nobody saved the record since `expected_version`, and move the version on.

    The check and the write are one UPDATE ... WHERE version = expected, so two saves cannot both pass it.
    """
    manager: Any = type(instance)._default_manager
    query = manager.filter(pk=instance.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    values = {name: getattr(instance, name) for name in fields}
    if "updated_at" in {field.name for field in instance._meta.get_fields()}:
        from django.utils import timezone

        instance.updated_at = timezone.now()  # type: ignore[attr-defined]
        values["updated_at"] = instance.updated_at  # type: ignore[attr-defined]
    # Encrypted fields need their own get_prep_value, which update() applies per field as save() does.
    if query.update(**values, version=F("version") + 1) != 1:
        raise stale_version_error()
    instance.version = (expected_version or instance.version) + 1
