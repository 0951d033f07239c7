"""How a participant's secure link is shown to staff on the participant's page."""

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.participation.models import ParticipantLink


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def link_rows(link: ParticipantLink) -> list[dict[str, str]]:
    state = link.state()
    status = {
        "live": _("Works until %(when)s") % {"when": _when(link.expires_at)},
        "revoked": _("Stopped on %(when)s") % {"when": _when(link.revoked_at)},
        "locked": _("Locked on %(when)s after too many failed checks") % {"when": _when(link.locked_at)},
        "expired": _("Expired on %(when)s") % {"when": _when(link.expires_at)},
    }[state]
    rows = [
        (_("Status"), status),
        (_("Sent"), str(link.get_channel_display())),
        (_("Second check"), str(link.get_second_check_display())),
        (_("Issued"), _("%(when)s by %(who)s") % {"when": _when(link.created_at), "who": link.issued_by.full_name}),
        (_("Last opened"), _when(link.last_opened_at) if link.last_opened_at else _("Not opened yet")),
    ]
    if link.failed_checks and state == "live":
        rows.append((_("Failed checks since last opened"), str(link.failed_checks)))
    return [{"key": key, "value": value} for key, value in rows]
