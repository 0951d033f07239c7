"""django-tasks-db's task worker, which also records a heartbeat for /healthz while it runs."""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from amends.core.heartbeat import Heartbeat


class Command(DatabaseWorkerCommand):
    help = "Run the task worker (django-tasks-db's db_worker), recording a heartbeat that /healthz reads."

    def handle(self, *args: Any, **options: Any) -> None:
        # With --reload the first process only watches files and starts the real worker as its child: that one beats.
        watching_only = options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        heartbeat = None if watching_only else Heartbeat(worker_id=options["worker_id"])
        if heartbeat is not None:
            heartbeat.beat()  # at once, so a worker that has just started is seen as running
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
