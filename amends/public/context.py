"""What every public and participant page needs besides its own content."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from amends.accounts.models import Service
from amends.participation.session import SESSION_KEY
from amends.people.languages import participant_languages
from amends.people.models import Participant


def public_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    service: Service | None,
    status: int = 200,
    reader: Participant | None = None,
) -> HttpResponse:
    """Render a page in templates/public_base.html's layout, for `service` (or for no service in particular); for a
    participant (`reader`), in each language they read (the {% bilingual %} parts of the page)."""
    # A participant leaving in a hurry also leaves their part: the button ends their session on its way out.
    in_session = hasattr(request, "session") and request.session.get(SESSION_KEY) is not None
    exit_url = reverse("participation:exit") if in_session else settings.AMENDS_EXIT_PAGE_URL
    languages = participant_languages(reader) if reader is not None else []
    response = render(
        request,
        template,
        {**context, "public_service": service, "exit_url": exit_url, "reader_languages": languages},
        status=status,
    )
    # Nobody's browser should keep a copy of what they read or typed here. (No other site learns where they were:
    # the referrer policy is "same-origin" everywhere, which also keeps the forms' CSRF check working.)
    response["Cache-Control"] = "no-store"
    return response
