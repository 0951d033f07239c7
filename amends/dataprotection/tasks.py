"""The nightly run of the retention schedule, as a task that queues itself again for the next night.

`manage.py retention --schedule` queues the first run (for the next 02:00 local time); each run applies the schedule
(retention.apply) and queues the next one for 02:00 the following day, unless a run is already waiting (so running
the command twice, or a run started by hand, never leaves two in the queue). `manage.py db_worker` runs it. Where the
task backend cannot run a task later (the immediate backend of tests and development), nothing is queued again.
The task takes no arguments: nothing about anyone goes into the queue.
"""

import datetime
import logging

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from amends.dataprotection import retention

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(2, 0)


def next_run_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 02:00, local time, after `now`."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < RUN_AT else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, RUN_AT))


def is_queued() -> bool:
    """Whether a run of the schedule is waiting in the queue (the database backend keeps the queue in a table)."""
    backend = apply_retention.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=apply_retention.module_path, backend_name=backend.alias, status=TaskResultStatus.READY
    ).exists()


def schedule_next(now: datetime.datetime | None = None) -> bool:
    """Queue the next run for 02:00, unless one is already queued or the backend cannot wait; True if queued."""
    if not apply_retention.get_backend().supports_defer or is_queued():
        return False
    apply_retention.using(run_after=next_run_at(now)).enqueue()
    return True


@task()
def apply_retention() -> dict[str, int]:
    """Apply the retention schedule to every service, then queue the next night's run (even when this one failed, so
    one bad night does not end the schedule). Returns the counts."""
    try:
        run = retention.apply(timezone.localdate())
    finally:
        schedule_next()
    totals = {key: value for key, value in run.counts.items() if isinstance(value, int)}
    logger.info("Retention run %s: %s", run.pk, totals)
    return totals
