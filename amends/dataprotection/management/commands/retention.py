"""Apply the retention schedule: anonymise every record whose time is up (retention.py says which, and why).

Production runs it daily, from cron like `manage.py delete_expired_exports` (`manage.py retention`), or through the
task queue (`manage.py retention --schedule` queues the nightly task once; each run queues the next). `--dry-run`
lists what would go and why, and what a legal hold keeps, changing nothing. Records are named by their case
reference, referral number or complaint number: never by anyone's name.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from amends.dataprotection import retention, tasks
from amends.dataprotection.retention import DueRecord


def _line(record: DueRecord) -> str:
    return "\t".join(
        (str(record.kind.label), record.service_name, record.reference, record.due_on.isoformat(), record.why)
    )


class Command(BaseCommand):
    help = "Anonymise the records the retention schedule says are due (--dry-run lists them and changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised and why, and change nothing."
        )
        parser.add_argument(
            "--schedule", action="store_true", help="Queue the nightly task (at 02:00) instead of running now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["schedule"]:
            if tasks.schedule_next():
                self.stdout.write(f"Queued the retention schedule for {tasks.next_run_at():%Y-%m-%d %H:%M}.")
            else:
                self.stdout.write("Not queued: a run is already waiting, or the task backend cannot run it later.")
            return
        if options["dry_run"]:
            self._dry_run(today)
            return
        run = retention.apply(today)
        if options["verbosity"]:
            counts = ", ".join(f"{kind.value} {run.counts.get(kind.value, 0)}" for kind in retention.ORDER)
            self.stdout.write(f"Anonymised: {counts}; held by a legal hold: {run.counts.get('held', 0)}.")

    def _dry_run(self, today: Any) -> None:
        found = retention.find_due(today)
        self.stdout.write(f"Would anonymise ({today.isoformat()}): kind, service, record, due on, why")
        for record in found.due:
            self.stdout.write(_line(record))
        if found.held:
            self.stdout.write("Held by a legal hold (kept):")
            for record in found.held:
                self.stdout.write(_line(record))
        self.stdout.write(f"Total: {len(found.due)} would be anonymised; {len(found.held)} held.")
