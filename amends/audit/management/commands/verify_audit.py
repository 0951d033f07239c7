"""Check the audit chain and every anchor of it: exit non-zero naming each bad event or anchor.

The chain is walked oldest event first (the first altered, deleted or inserted event is named); then every anchor in
AUDIT_ANCHOR_DIR is checked: its signature, and that the event it names still has the hash it recorded.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amends.audit.anchors import check_anchors
from amends.audit.models import AuditEvent
from amends.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain, oldest event first, and check it against every anchor."

    def handle(self, *args: Any, **options: Any) -> None:
        failures: list[str] = []
        problem = verify_chain()
        if problem is not None:
            where = f"event {problem.event_id}" if problem.event_id else "the chain"
            failures.append(f"Audit chain broken at {where}: {problem.reason}.")
        checked, anchor_problems = check_anchors(directory=settings.AUDIT_ANCHOR_DIR)
        for anchor_problem in anchor_problems:
            if anchor_problem.event_id is not None:
                failures.append(
                    f"Audit chain broken at event {anchor_problem.event_id}: {anchor_problem.reason} "
                    f"(anchor {anchor_problem.name})."
                )
            else:
                failures.append(f"Audit anchor {anchor_problem.name} fails: {anchor_problem.reason}.")
        if failures:
            raise CommandError("\n".join(failures))
        count = AuditEvent.objects.count()
        anchored = f"{checked} anchor" if checked == 1 else f"{checked} anchors"
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified, against {anchored}."))
