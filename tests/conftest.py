import datetime
import os
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from amends.accounts.models import User
from tests.personas import Personas, build_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Every test starts in English. A request in Welsh leaves Welsh active in its thread (LocaleMiddleware activates
    the language and nothing deactivates it), and a test that makes no request of its own would inherit it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.timedelta], None]:
    """Move the clock on (timezone.now), as if that much time had passed: a meeting's day had come, a day had ended."""
    real_now = timezone.now

    def move(by: datetime.timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + by)

    return move


def signed_in_client(user: User, *, recently_authenticated: bool = True) -> Client:
    """A client signed in as the person (who has a second factor), as after a full two-factor sign-in.

    recently_authenticated records a password check just now, as allauth does, so pages that ask to reauthenticate
    before sensitive actions let the person through.
    """
    client = Client()
    client.force_login(user)
    if recently_authenticated:
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
        ]
        session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    return signed_in_client


def _postgres(url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def separate_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database outside the test transaction, for other processes: a fresh SQLite file, or a fresh PostgreSQL
    database beside DATABASE_URL's. Its users migrate it (migrate is idempotent, so several may)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path_factory.mktemp('separate') / 'amends.sqlite3'}"
        return
    parts = urlsplit(configured)
    name = f"{parts.path.lstrip('/') or 'amends'}_separate_{os.getpid()}"
    _postgres(configured, f'DROP DATABASE IF EXISTS "{name}"')
    _postgres(configured, f'CREATE DATABASE "{name}"')
    yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    _postgres(configured, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
