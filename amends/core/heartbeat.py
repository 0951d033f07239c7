"""The task worker's heartbeat: each worker process records that it is running every HEARTBEAT_SECONDS, and the
health check reads the newest."""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, models
from django.utils import timezone

from amends.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# A worker silent this long has stopped (a worker restarted under a new id leaves its old row behind until then).
FORGOTTEN_AFTER = datetime.timedelta(days=1)


class WorkerHealth(models.TextChoices):
    OK = "ok"
    LATE = "late"
    UNKNOWN = "unknown"


def record_heartbeat(*, worker_id: str) -> None:
    """This worker is running now; workers silent for a day are forgotten."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": now})
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGOTTEN_AFTER).delete()


def worker_health() -> WorkerHealth:
    """OK when some worker beat within AMENDS_WORKER_LATE_SECONDS, late when the newest beat is older, unknown when
    no worker has ever beaten."""
    newest = WorkerHeartbeat.objects.aggregate(newest=models.Max("beat_at"))["newest"]
    if newest is None:
        return WorkerHealth.UNKNOWN
    late_after = datetime.timedelta(seconds=settings.AMENDS_WORKER_LATE_SECONDS)
    return WorkerHealth.OK if timezone.now() - newest <= late_after else WorkerHealth.LATE


class Heartbeat(threading.Thread):
    """Beats for a worker process while it lives. A thread rather than a step of the worker's loop, since a long task
    (an export) holds the loop for minutes without the worker being stuck."""

    def __init__(self, *, worker_id: str, every: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(name="amends-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            record_heartbeat(worker_id=self.worker_id)
        except DatabaseError:
            # The database is away: the health check says so itself, and the next beat tries again.
            logger.warning("The task worker could not record its heartbeat")

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.beat()
            # This thread's own connection, closed each time so that a database that went away is reconnected to.
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
