"""Write the audit chain's head, signed with the chain key, to a file outside the database (amends/audit/anchors.py).

Run it daily: `manage.py audit_anchor --schedule` once queues it for 03:00 each day for `db_worker`, or run
`manage.py audit_anchor` from cron. Each run also deletes anchors older than AUDIT_ANCHOR_KEEP_DAYS.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.audit import anchors, tasks


class Command(BaseCommand):
    help = "Write a signed anchor of the audit chain's head to AUDIT_ANCHOR_DIR (--schedule queues it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the daily task (at 03:00) instead of writing one now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if tasks.schedule_next():
                self.stdout.write(f"Queued the audit anchor for {tasks.next_run_at():%Y-%m-%d %H:%M}.")
            else:
                self.stdout.write("Not queued: a run is already waiting, or the task backend cannot run it later.")
            return
        directory = settings.AUDIT_ANCHOR_DIR
        try:
            path = anchors.write_anchor(directory=directory)
        except anchors.AnchorRefusedError as error:
            raise CommandError(f"No anchor written: {error}.") from None
        deleted = anchors.delete_old_anchors(directory=directory, keep_days=settings.AUDIT_ANCHOR_KEEP_DAYS)
        if path is None:
            self.stdout.write("No anchor written: the audit has no events yet.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Anchor written: {path}."))
        if deleted:
            self.stdout.write(f"Deleted {deleted} anchors older than {settings.AUDIT_ANCHOR_KEEP_DAYS} days.")
