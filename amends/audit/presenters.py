"""Cells for the audit table."""

from typing import Any

from django.template.defaultfilters import date as format_date
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.audit.forms import RECORD_TYPES
from amends.audit.models import AuditEvent

RECORD_TYPE_NAMES = dict(RECORD_TYPES)


def _change_lines(changes: dict[str, Any]) -> SafeString:
    entries = []
    for name, value in changes.items():
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            before, after = ("–" if value[side] is None else value[side] for side in ("before", "after"))
            entries.append((name, f"{before} → {after}"))
        else:
            entries.append((name, str(value)))
    return format_html_join(SafeString("<br>"), "{}: {}", entries)


def audit_rows(events: list[AuditEvent]) -> list[list[Any]]:
    rows = []
    for event in events:
        record = RECORD_TYPE_NAMES.get(event.target_type, event.target_type)
        rows.append(
            [
                format_date(timezone.localtime(event.occurred_at), "j M Y H:i:s"),
                event.actor.full_name if event.actor else _("Amends (no one signed in)"),
                event.get_action_display(),
                format_html("{} {}", record, event.target_id) if event.target_type else "",
                event.service.code if event.service else "",
                _change_lines(event.changes),
            ]
        )
    return rows
