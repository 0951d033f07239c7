"""Check the audit chain: exit non-zero and name the first bad event if any row was altered, deleted or inserted."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amends.audit.models import AuditEvent
from amends.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain, oldest event first."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = verify_chain()
        if problem is not None:
            where = f"event {problem.event_id}" if problem.event_id else "the chain"
            raise CommandError(f"Audit chain broken at {where}: {problem.reason}.")
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
