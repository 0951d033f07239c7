"""Recording reads of personal data: one record viewed, or one page of a list.

Only access helpers and selectors that return records for display call these, so a page or API handler that fetches
a record to show it cannot forget the audit, and one that fetches a record to change it does not record a read.
`scripts/lint_access.py` refuses a hand-written read event in the modules that handle requests.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event


class Listed(models.TextChoices):
    """What a list page showed: the audit says which list and how many rows, never what was in them."""

    CASES = "cases", _("cases")
    MY_CASES = "my cases", _("my cases")
    SUPERVISED_CASES = "supervised cases", _("supervised cases")
    PARTICIPANTS = "participants", _("participants")
    TIMELINE = "timeline", _("timeline")
    TRIAGE_QUEUE = "triage queue", _("triage queue")
    COMPLAINTS = "complaints", _("complaints register")
    PEOPLE = "people", _("people of a service")
    MEETINGS = "meetings", _("meetings of a case")
    MESSAGES = "messages", _("relay messages of a case")
    DATA_PROTECTION_REQUESTS = "data protection requests", _("data protection requests")
    DISCLOSURES = "disclosures", _("disclosure log")
    PANEL_MEMBERS = "panel members", _("referral order panel members")
    LEGAL_HOLDS = "legal holds", _("legal holds in force")


def record_view(*, actor: User, target: models.Model, service: Service | None) -> None:
    """The actor was shown this record."""
    with transaction.atomic():
        record_event(action=AuditAction.RECORD_VIEWED, actor=actor, target=target, service=service)


def record_list_view(
    *, actor: User, listed: Listed, count: int, service: Service | None, owner: models.Model | None = None
) -> None:
    """The actor was shown one page of a list: which list, whose (the case a list of participants belongs to), and how
    many rows. Never the rows themselves: names and ids in the audit would be a second copy of the personal data."""
    with transaction.atomic():
        record_event(
            action=AuditAction.LIST_VIEWED,
            actor=actor,
            target=owner,
            service=service,
            changes={"listed": listed.value, "count": count},
        )
