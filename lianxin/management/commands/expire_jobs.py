"""Delete the files of finished jobs past LIANXIN_EXPORT_KEEP_HOURS (the rows stay, 已过期), and
mark 失败 the jobs whose worker died (their partial files removed). The daily job `expire_jobs`
(lianxin/daily.py) does the same on the worker; this runs it at once."""

from django.core.management.base import BaseCommand

from lianxin.jobs.recovery import sweep


class Command(BaseCommand):
    help = "删除过期的导出文件，并把已中断的后台任务标记为失败。"

    def handle(self, *args, **options):
        done = sweep()
        if options["verbosity"]:
            self.stdout.write(
                f"过期文件 {done['expired']} 个已删除；中断的任务 {done['interrupted']} 个已标记为失败。"
            )
