"""Signing in: password then a second factor, throttling, reauthentication, idle timeout, no self-signup."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.test import Client

from amends.accounts.models import User
from amends.audit.models import AuditAction, AuditEvent
from tests.conftest import signed_in_client
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The current code, never one about to expire: allauth accepts only the current 30-second window."""
    left = 30 - time.time() % 30
    if left < 2:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in_with_password(client: Client, user: User, password: str = TEST_PASSWORD) -> None:
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def test_it_asks_for_the_second_factor_after_the_password(personas: Personas) -> None:
    client = Client()
    sign_in_with_password(client, personas.coordinator)
    assert client.get("/").status_code == 302  # not signed in until the code is given
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_IN, actor=personas.coordinator).exists()


def test_it_refuses_a_wrong_code_and_records_the_failure(personas: Personas) -> None:
    client = Client()
    sign_in_with_password(client, personas.coordinator)
    wrong = "000000" if current_code() != "000000" else "111111"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor=personas.coordinator).exists()


def test_it_records_a_failed_password_without_the_address_typed() -> None:
    Client().post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password"})
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert "nobody" not in str(event.changes)
    assert event.actor is None


def test_it_sends_a_new_account_without_a_second_factor_to_enrolment() -> None:
    user = UserFactory(second_factor=False)
    client = Client()
    sign_in_with_password(client, user)
    assert client.get("/services/")["Location"] == "/accounts/2fa/"
    assert client.get("/accounts/2fa/").status_code == 200
    # allauth asks for the password again before a second factor is added.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/services/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_ADDED, actor=user).exists()


def test_it_throttles_failed_sign_ins_across_sessions(personas: Personas, settings: object) -> None:
    # The count is kept in the shared database cache, not the session or the process.
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"  # type: ignore[attr-defined]
    throttled = []
    for _attempt in range(7):
        response = Client().post("/accounts/login/", {"login": personas.coordinator.email, "password": "wrong"})
        throttled.append("Too many failed login attempts" in response.content.decode())
    assert throttled == [False] * 5 + [True] * 2
    # Even the right password is refused while the limit holds.
    response = Client().post("/accounts/login/", {"login": personas.coordinator.email, "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_it_keeps_the_last_second_factor(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=personas.coordinator, type=Authenticator.Type.TOTP).exists()
    assert response.status_code in (200, 302)


def test_it_asks_for_the_password_again_before_inviting_people(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator, recently_authenticated=False)
    response = client.get(f"/services/{personas.service.pk}/people/invite/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")


def test_it_ends_the_session_after_the_idle_timeout(personas: Personas) -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client = signed_in_client(personas.coordinator)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    session = client.session
    session.set_expiry(-1)  # as if the idle time had passed
    session.save()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_it_offers_no_self_signup() -> None:
    response = Client().post(
        "/accounts/signup/",
        {"email": "self@example.org", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
    )
    assert not User.objects.filter(email="self@example.org").exists()
    assert response.status_code == 200
