"""Reading settings from the environment: each reader names the variable when its value is wrong."""

import base64
import binascii
import os
from collections.abc import MutableMapping, Sequence
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    """A setting from the environment has a value Amends cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Environment variable {name}: {problem}")


class Env:
    """Typed readers over os.environ built on django-environ, failing loudly with the variable's name."""

    def __init__(self) -> None:
        self._env = environ.Env()

    def _raw(self, name: str) -> str | None:
        value = os.environ.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def string(self, name: str, *, default: str) -> str:
        return self._raw(name) or default

    def boolean(self, name: str, *, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        lowered = raw.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise SettingError(name, f"expected true or false, got {raw!r}")

    def integer(self, name: str, *, default: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingError(name, f"expected a whole number, got {raw!r}") from None
        if value < 0:
            raise SettingError(name, f"expected zero or more, got {value}")
        return value

    def strings(self, name: str, *, default: Sequence[str]) -> list[str]:
        raw = self._raw(name)
        if raw is None:
            return list(default)
        values = [item.strip() for item in raw.split(",") if item.strip()]
        if not values:
            raise SettingError(name, "give at least one value, separated by commas")
        return values

    def choice(self, name: str, *, default: str, choices: Sequence[str]) -> str:
        value = self.string(name, default=default)
        if value not in choices:
            raise SettingError(name, f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def secret(self, name: str, *, development_default: str, production: bool) -> str:
        raw = self._raw(name)
        if raw is None:
            if production:
                raise SettingError(name, "must be set in production")
            return development_default
        if production and raw == development_default:
            raise SettingError(name, "still has the development value; set a secret of your own")
        if len(raw) < 32:
            raise SettingError(name, "must be at least 32 characters long")
        return raw

    def secrets(self, name: str, *, development_default: list[str], production: bool) -> list[str]:
        """Several secrets, comma-separated, newest first: a key being rotated out stays to check what it signed."""
        raw = self._raw(name)
        if raw is None:
            if production:
                raise SettingError(name, "must be set in production (comma-separated secrets, newest first)")
            return development_default
        values = [value.strip() for value in raw.split(",") if value.strip()]
        if not values:
            raise SettingError(name, "give at least one secret")
        for position, value in enumerate(values, start=1):
            if len(value) < 32:
                raise SettingError(name, f"secret {position} must be at least 32 characters long")
            if production and value in development_default:
                raise SettingError(name, f"secret {position} is the development value; set a secret of your own")
        if len(set(values)) != len(values):
            raise SettingError(name, "a secret appears twice")
        return values

    def base_url(self, name: str, *, production: bool) -> str:
        """The address Amends is reached at, for links in emails, letters and printed output. Outside production it
        defaults to the one `make run` serves: http://127.0.0.1:<PORT>, so PORT=8001 makes links on 8001 too."""
        raw = self._raw(name)
        if raw is not None:
            return raw.rstrip("/")
        if production:
            return ""
        port = self.integer("PORT", default=8000)
        if not 1 <= port <= 65535:
            raise SettingError("PORT", f"expected a port number from 1 to 65535, got {port}")
        return f"http://127.0.0.1:{port}"

    def fernet_keys(self, name: str, *, development_default: list[str], production: bool) -> list[str]:
        raw = self._raw(name)
        if raw is None:
            if production:
                raise SettingError(name, "must be set in production (comma-separated Fernet keys, newest first)")
            return development_default
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        if not keys:
            raise SettingError(name, "give at least one Fernet key")
        for position, key in enumerate(keys, start=1):
            try:
                decoded = base64.urlsafe_b64decode(key.encode())
            except (binascii.Error, ValueError):
                decoded = b""
            if len(decoded) != 32:
                raise SettingError(name, f"key {position} is not a Fernet key (32 url-safe base64-encoded bytes)")
            if production and key in development_default:
                raise SettingError(name, f"key {position} is the development key; generate one of your own")
        return keys

    def database(self, name: str, *, default: str) -> dict[str, Any]:
        url = self.string(name, default=default)
        try:
            config = self._env.db_url_config(url)
        except (ImproperlyConfigured, KeyError, ValueError) as error:
            raise SettingError(name, f"not a database URL Amends understands ({error})") from None
        engine = config.get("ENGINE", "")
        if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
            raise SettingError(name, "use a sqlite:/// or postgres:// URL")
        return dict(config)


# Commands that create or alter tables, or grant on them: they run as the database's owner when
# MIGRATION_DATABASE_URL names it, while everything else (the web server, the task worker) runs as DATABASE_URL's
# role, which owns nothing and so can neither alter a table nor disable a trigger.
OWNER_COMMANDS = frozenset({"migrate", "createcachetable", "grant_application_role"})


def use_migration_database(argv: Sequence[str], environ: MutableMapping[str, str]) -> None:
    """For a command in OWNER_COMMANDS, point DATABASE_URL at MIGRATION_DATABASE_URL when that is set."""
    command = argv[1] if len(argv) > 1 else ""
    owner_url = environ.get("MIGRATION_DATABASE_URL", "").strip()
    if command in OWNER_COMMANDS and owner_url:
        environ["DATABASE_URL"] = owner_url
