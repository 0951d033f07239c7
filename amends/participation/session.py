"""Who is looking, on a participant's page: the secure link whose second check was passed in this browser session.

A participant has no account. Passing the second check stores the link's id in the session (with a new session key);
every participant page then finds the link again, refuses it once it is revoked, expired or locked, and records the
view in the audit. The session ends with the browser, after the same idle timeout as staff sessions, or when the
participant chooses "Leave".
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from amends.participation.access import live_link
from amends.participation.models import ParticipantLink

SESSION_KEY = "amends_participant_link"


class ParticipantRequest(HttpRequest):
    participant_link: ParticipantLink


def begin(request: HttpRequest, link: ParticipantLink) -> None:
    """The second check passed: this browser session now acts for the link's participant, and nothing else."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk


def end(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current_link(request: HttpRequest, *, page: str | None = None) -> ParticipantLink | None:
    """The live link this session passed the check for, with its participant, person, case and service; shown a
    page (page names it), the view is recorded."""
    link = live_link(request.session.get(SESSION_KEY), page=page)
    if link is None:
        end(request)
    return link


def participant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a participant's page: no staff sign-in, but a live link checked in this session. Sets
    request.participant_link, and records in the audit that the page was viewed (GET) through the link."""

    @login_not_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        page = (request.resolver_match.url_name or "") if request.resolver_match else ""
        link = current_link(request, page=page if request.method == "GET" else None)
        if link is None:
            return redirect("participation:ended")
        request.participant_link = link  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
