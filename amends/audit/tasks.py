"""The daily anchor of the audit chain, as a task that queues itself again for the next day.

`manage.py audit_anchor --schedule` queues the first run (for the next 03:00 local time, after the nightly retention
run has written its events); each run writes an anchor (amends/audit/anchors.py), deletes those past
AUDIT_ANCHOR_KEEP_DAYS and queues the next run, unless one is already waiting. `manage.py db_worker` runs it. Where the
task backend cannot run a task later (the immediate backend of tests and development), nothing is queued again.
"""

import datetime
import logging

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from amends.audit import anchors

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(3, 0)


def next_run_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 03:00, local time, after `now`."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < RUN_AT else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, RUN_AT))


def is_queued() -> bool:
    """Whether a run is waiting in the queue (the database backend keeps the queue in a table)."""
    backend = anchor_audit_chain.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=anchor_audit_chain.module_path, backend_name=backend.alias, status=TaskResultStatus.READY
    ).exists()


def schedule_next(now: datetime.datetime | None = None) -> bool:
    """Queue the next run for 03:00, unless one is already queued or the backend cannot wait; True if queued."""
    if not anchor_audit_chain.get_backend().supports_defer or is_queued():
        return False
    anchor_audit_chain.using(run_after=next_run_at(now)).enqueue()
    return True


@task()
def anchor_audit_chain() -> str:
    """Write today's anchor and delete those past keeping, then queue tomorrow's run (even when this one failed, so one
    bad day does not end the schedule). Returns the anchor's file name."""
    try:
        directory = settings.AUDIT_ANCHOR_DIR
        path = anchors.write_anchor(directory=directory)
        deleted = anchors.delete_old_anchors(directory=directory, keep_days=settings.AUDIT_ANCHOR_KEEP_DAYS)
    finally:
        schedule_next()
    name = path.name if path is not None else ""
    logger.info("Audit anchor written: %s; %s old anchors deleted", name or "none (no events yet)", deleted)
    return name
