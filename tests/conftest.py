import time
from collections.abc import Callable

import pytest
from django.test import Client

from amends.accounts.models import User
from tests.personas import Personas, build_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


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
