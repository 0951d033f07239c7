"""Delete prepared files of figures whose time is up (Service.export_keep_days), and old rows of deleted files.

Production runs it daily (for example from cron: `manage.py delete_expired_exports`); the export task also runs the
same function before each export, so files do not outlive their time for long even without the schedule.
"""

from typing import Any

from django.core.management.base import BaseCommand

from amends.figures.tasks import delete_expired_exports


class Command(BaseCommand):
    help = "Delete prepared files of figures past the days their service keeps them."

    def handle(self, *args: Any, **options: Any) -> None:
        files, rows = delete_expired_exports()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {files} expired files of figures and {rows} old records of them.")
