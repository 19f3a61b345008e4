"""Daily: delete the files of finished jobs past LIANXIN_EXPORT_KEEP_HOURS (the rows stay, 已过期),
and mark 失败 the jobs whose worker died (their partial files removed)."""

from django.core.management.base import BaseCommand

from lianxin.jobs.recovery import expire, recover_interrupted


class Command(BaseCommand):
    help = "删除过期的导出文件，并把已中断的后台任务标记为失败。"

    def handle(self, *args, **options):
        interrupted = recover_interrupted()
        expired = expire()
        if options["verbosity"]:
            self.stdout.write(f"过期文件 {expired} 个已删除；中断的任务 {interrupted} 个已标记为失败。")
