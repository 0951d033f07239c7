"""The way in for a participant's pages: the live link of this browser session, its views recorded in the audit."""

from typing import Any

from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.participation.models import ParticipantLink
from amends.participation.selectors import link_by_id


def live_link(link_id: Any, *, page: str | None = None) -> ParticipantLink | None:
    """The link, while it is live, with its participant, person, case and service.

    Shown a page (page names it), the view is recorded: a participant has no account, so the event names the link."""
    link = link_by_id(link_id)
    if link is None or not link.is_live:
        return None
    if page is not None:
        record_event(
            action=AuditAction.PARTICIPANT_VIEWED,
            actor=None,
            target=link.participant,
            service=link.participant.case.service,
            changes={"page": page, "link": link.pk},
        )
    return link
