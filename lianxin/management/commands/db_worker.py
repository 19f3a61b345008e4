"""django-tasks-db's worker, first declaring interrupted the jobs a dead worker left 进行中.

It shadows django_tasks_db's own `db_worker` (lianxin comes first in INSTALLED_APPS), so the
command every deployment already runs does the clean-up at its start.

It also lowers its own CPU priority (WORKER_NICENESS, 10): on a machine the web server shares,
a page waits less behind a batch of PDFs, and the batch takes what the pages leave."""

import os

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from lianxin.jobs.recovery import recover_interrupted


class Command(WorkerCommand):
    def handle(self, *args, **options):
        lower_priority(getattr(settings, "WORKER_NICENESS", 0))
        count = recover_interrupted()
        if count and options["verbosity"]:
            self.stdout.write(f"{count} 个中断的任务已标记为失败。")
        return super().handle(*args, **options)


def lower_priority(niceness):
    """Run this process at `niceness` at least (never raise it back: that would need root)."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.nice(niceness - current)
