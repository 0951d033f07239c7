import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from config.env import Env, SettingError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_SECRET = "development-only-secret-for-these-tests-0123456789"
DEVELOPMENT_KEY = Fernet.generate_key().decode()


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("maybe", lambda env: env.boolean("AMENDS_TEST_SETTING", default=False)),
        ("ten", lambda env: env.integer("AMENDS_TEST_SETTING", default=1)),
        ("1.5", lambda env: env.integer("AMENDS_TEST_SETTING", default=1)),
        ("-1", lambda env: env.integer("AMENDS_TEST_SETTING", default=1)),
        ("staging", lambda env: env.choice("AMENDS_TEST_SETTING", default="test", choices=("test", "production"))),
        (
            "short",
            lambda env: env.secret("AMENDS_TEST_SETTING", development_default=DEVELOPMENT_SECRET, production=False),
        ),
        (
            DEVELOPMENT_SECRET,
            lambda env: env.secret("AMENDS_TEST_SETTING", development_default=DEVELOPMENT_SECRET, production=True),
        ),
        (
            "not-a-fernet-key",
            lambda env: env.fernet_keys("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_KEY], production=False),
        ),
        (
            f"{Fernet.generate_key().decode()},{DEVELOPMENT_KEY[:-4]}",
            lambda env: env.fernet_keys("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_KEY], production=False),
        ),
        (
            DEVELOPMENT_KEY,
            lambda env: env.fernet_keys("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_KEY], production=True),
        ),
        (
            f"{DEVELOPMENT_SECRET[::-1]},short",
            lambda env: env.secrets("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_SECRET], production=False),
        ),
        (
            f"{DEVELOPMENT_SECRET[::-1]},{DEVELOPMENT_SECRET}",
            lambda env: env.secrets("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_SECRET], production=True),
        ),
        (
            f"{DEVELOPMENT_SECRET[::-1]},{DEVELOPMENT_SECRET[::-1]}",
            lambda env: env.secrets("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_SECRET], production=False),
        ),
        ("mysql://amends@db.example/amends", lambda env: env.database("AMENDS_TEST_SETTING", default="sqlite:///x")),
        ("redis://cache.example/0", lambda env: env.database("AMENDS_TEST_SETTING", default="sqlite:///x")),
    ],
    ids=[
        "bool",
        "int-not-a-number",
        "int-not-whole",
        "int-negative",
        "choice",
        "secret-too-short",
        "secret-development-value-in-production",
        "fernet-key-malformed",
        "fernet-second-key-malformed",
        "fernet-development-key-in-production",
        "secrets-second-too-short",
        "secrets-development-value-in-production",
        "secrets-repeated",
        "database-mysql",
        "database-unknown-scheme",
    ],
)
def test_it_names_the_variable_whose_value_is_wrong(
    monkeypatch: pytest.MonkeyPatch, value: str, read: Callable[[Env], Any]
) -> None:
    monkeypatch.setenv("AMENDS_TEST_SETTING", value)

    with pytest.raises(SettingError, match=r"^Environment variable AMENDS_TEST_SETTING: "):
        read(Env())


@pytest.mark.parametrize(
    "read",
    [
        lambda env: env.secret("AMENDS_TEST_SETTING", development_default=DEVELOPMENT_SECRET, production=True),
        lambda env: env.fernet_keys("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_KEY], production=True),
        lambda env: env.secrets("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_SECRET], production=True),
    ],
    ids=["secret", "fernet-keys", "secrets"],
)
def test_it_requires_secrets_to_be_set_in_production(
    monkeypatch: pytest.MonkeyPatch, read: Callable[[Env], Any]
) -> None:
    monkeypatch.setenv("AMENDS_TEST_SETTING", "  ")

    with pytest.raises(SettingError, match="AMENDS_TEST_SETTING: must be set in production"):
        read(Env())


def test_it_uses_development_secrets_outside_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMENDS_TEST_SETTING", raising=False)
    env = Env()

    assert env.secret("AMENDS_TEST_SETTING", development_default=DEVELOPMENT_SECRET, production=False) == (
        DEVELOPMENT_SECRET
    )
    assert env.fernet_keys("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_KEY], production=False) == [
        DEVELOPMENT_KEY
    ]
    assert env.secrets("AMENDS_TEST_SETTING", development_default=[DEVELOPMENT_SECRET], production=False) == [
        DEVELOPMENT_SECRET
    ]


def test_it_reads_good_values(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    monkeypatch.setenv("AMENDS_TEST_BOOL", " Off ")
    monkeypatch.setenv("AMENDS_TEST_INT", "0")
    monkeypatch.setenv("AMENDS_TEST_LIST", " amends.example , ,www.amends.example ")
    monkeypatch.setenv("AMENDS_TEST_KEYS", " , ".join(keys))
    monkeypatch.setenv("AMENDS_TEST_DATABASE", "postgres://amends@db.example:5432/amends")
    monkeypatch.setenv("AMENDS_TEST_SECRETS", f" {DEVELOPMENT_SECRET[::-1]} ,{DEVELOPMENT_SECRET.upper()}")
    env = Env()

    assert env.boolean("AMENDS_TEST_BOOL", default=True) is False
    assert env.integer("AMENDS_TEST_INT", default=5) == 0
    assert env.strings("AMENDS_TEST_LIST", default=[]) == ["amends.example", "www.amends.example"]
    assert env.fernet_keys("AMENDS_TEST_KEYS", development_default=[DEVELOPMENT_KEY], production=True) == keys
    assert env.database("AMENDS_TEST_DATABASE", default="sqlite:///x")["ENGINE"] == "django.db.backends.postgresql"
    assert env.secrets("AMENDS_TEST_SECRETS", development_default=[DEVELOPMENT_SECRET], production=True) == [
        DEVELOPMENT_SECRET[::-1],
        DEVELOPMENT_SECRET.upper(),
    ]


def test_it_names_a_list_variable_that_holds_no_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_TEST_SETTING", " , ")

    with pytest.raises(SettingError, match="AMENDS_TEST_SETTING"):
        Env().strings("AMENDS_TEST_SETTING", default=["localhost"])


def start_django(
    environment: dict[str, str], command: tuple[str, ...] = ("-c", "import django; django.setup()")
) -> Any:
    """Start Django in a fresh process with these environment variables, as a server would."""
    return subprocess.run(
        [sys.executable, *command],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_with_a_bad_setting() -> None:
    result = start_django({**os.environ, "DEBUG": "maybe"}, ("manage.py", "check"))

    assert result.returncode != 0
    assert "Environment variable DEBUG: expected true or false, got 'maybe'" in result.stderr


PRODUCTION = {
    "AMENDS_ENVIRONMENT": "production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi1rZXktZm9yLXRoZS10ZXN0cy0wMDA=",
    "BLIND_INDEX_KEY": "a-production-blind-index-key-long-enough-0123456789",
    "ALLOWED_HOSTS": "amends.example",
    "AMENDS_BASE_URL": "https://amends.example",
    "AUDIT_CHAIN_KEYS": "a-production-audit-chain-key-long-enough-0123456789",
    "AUDIT_ANCHOR_DIR": "/srv/amends-audit-anchors",
}


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"AMENDS_BASE_URL": "http://amends.example"}, "AMENDS_BASE_URL"),
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS"),
        ({"BLIND_INDEX_KEY": ""}, "BLIND_INDEX_KEY"),
        ({"AUDIT_CHAIN_KEYS": ""}, "AUDIT_CHAIN_KEYS"),
        ({"AUDIT_CHAIN_KEYS": "development-only-audit-chain-key-never-used-in-production"}, "AUDIT_CHAIN_KEYS"),
        ({"AUDIT_ANCHOR_DIR": ""}, "AUDIT_ANCHOR_DIR"),
    ],
)
def test_it_refuses_to_start_in_production_with_an_unsafe_setting(change: dict[str, str], variable: str) -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **change}
    result = start_django({key: value for key, value in environment.items() if value != ""})
    assert result.returncode != 0
    assert f"Environment variable {variable}:" in result.stderr


def test_it_starts_in_production_with_safe_settings() -> None:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION}
    environment.pop("DEBUG", None)
    result = start_django(environment)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("environment", "production", "expected"),
    [
        ({}, False, "http://127.0.0.1:8000"),
        ({"PORT": "8001"}, False, "http://127.0.0.1:8001"),
        ({"PORT": "8001", "AMENDS_BASE_URL": "https://amends.example/"}, False, "https://amends.example"),
        ({"PORT": "8001"}, True, ""),
    ],
    ids=["default-port", "port", "base-url-wins", "production-has-no-default"],
)
def test_it_makes_links_on_the_port_served_unless_told_an_address(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], production: bool, expected: str
) -> None:
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("AMENDS_BASE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert Env().base_url("AMENDS_BASE_URL", production=production) == expected


def test_it_names_a_port_that_is_not_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMENDS_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "70000")

    with pytest.raises(SettingError, match=r"^Environment variable PORT: "):
        Env().base_url("AMENDS_BASE_URL", production=False)


def test_the_settings_follow_port_when_django_starts() -> None:
    environment = {key: value for key, value in os.environ.items() if key not in {"AMENDS_BASE_URL", "PORT"}}
    command = ("-c", "import django; django.setup(); from django.conf import settings; print(settings.AMENDS_BASE_URL)")

    result = start_django({**environment, "PORT": "8001"}, command)

    assert result.stdout.strip() == "http://127.0.0.1:8001"
