"""The page shell: language, security headers, error pages, health."""

import re

import pytest
from django.template import loader
from django.test import Client

from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_it_serves_welsh_pages_under_cy_with_lang_cy(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    english = client.get("/services/").content.decode()
    welsh = client.get("/cy/services/").content.decode()
    assert '<html lang="en"' in english
    assert '<html lang="cy"' in welsh
    assert 'href="/cy/services/"' in english  # the switch is a plain link to the same page
    assert 'href="/services/"' in welsh


def test_it_shows_the_sign_in_page_in_welsh() -> None:
    page = Client().get("/cy/accounts/login/").content.decode()
    assert '<html lang="cy"' in page


def test_it_sets_a_content_security_policy_with_a_fresh_nonce() -> None:
    first = Client().get("/accounts/login/")
    second = Client().get("/accounts/login/")
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert f'nonce="{nonce.group(1)}"' in first.content.decode()
    assert nonce.group(1) not in second["Content-Security-Policy"]
    assert "<script>" not in first.content.decode()  # every inline script carries the nonce


def test_it_sets_the_other_security_headers() -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_answers_a_missing_page_with_a_styled_404(personas: Personas) -> None:
    response = signed_in_client(personas.coordinator).get("/services/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "govuk-template" in page
    assert "Page not found" in page


def test_it_answers_the_health_check_without_sign_in() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_it_ignores_a_request_id_sent_by_the_client_unless_told_to_trust_it(settings: object) -> None:
    chosen = "chosen-by-the-client-1234"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=chosen)["X-Request-ID"] != chosen
    settings.AMENDS_TRUST_REQUEST_ID = True  # type: ignore[attr-defined]
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=chosen)["X-Request-ID"] == chosen


def test_it_renders_the_server_error_page_without_any_context() -> None:
    # Django renders 500.html with an empty context after a failure, when even the database may be gone.
    page = loader.get_template("500.html").render({})
    assert "Sorry, there is a problem with the service" in page
    assert "govuk-footer" in page
