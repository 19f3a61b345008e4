"""django-tasks-db's worker, first declaring interrupted the jobs a dead worker left 进行中.

It shadows django_tasks_db's own `db_worker` (lianxin comes first in INSTALLED_APPS), so the
command every deployment already runs does the clean-up at its start."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from lianxin.jobs.recovery import recover_interrupted


class Command(WorkerCommand):
    def handle(self, *args, **options):
        count = recover_interrupted()
        if count and options["verbosity"]:
            self.stdout.write(f"{count} 个中断的任务已标记为失败。")
        return super().handle(*args, **options)
