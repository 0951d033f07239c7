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

from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.participation.models import ParticipantLink
from amends.participation.selectors import link_by_id

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


def current_link(request: HttpRequest) -> ParticipantLink | None:
    """The live link this session passed the check for, with its participant, person, case and service."""
    link_id = request.session.get(SESSION_KEY)
    link = link_by_id(link_id)
    if link is None or not link.is_live:
        end(request)
        return None
    return link


def participant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a participant's page: no staff sign-in, but a live link checked in this session. Sets
    request.participant_link, and records in the audit that the page was viewed (GET) through the link."""

    @login_not_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        link = current_link(request)
        if link is None:
            return redirect("participation:ended")
        request.participant_link = link  # type: ignore[attr-defined]
        if request.method == "GET":
            record_event(
                action=AuditAction.PARTICIPANT_VIEWED,
                actor=None,
                target=link.participant,
                service=link.participant.case.service,
                changes={"page": request.resolver_match.url_name if request.resolver_match else "", "link": link.pk},
            )
        return view(request, *args, **kwargs)

    return wrapped
