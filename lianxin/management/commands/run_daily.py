from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from lianxin import daily


class Command(BaseCommand):
    help = "把今天的每日任务（刷新状态、评估超期规则、发送每日提醒、月度快照……）交给后台任务执行（每天由 cron / systemd timer 调用一次）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期运行（YYYY-MM-DD），默认今天")
        parser.add_argument(
            "--now", action="store_true", help="不经后台任务，在本进程中依次运行（失败的重试仍交给后台任务）"
        )

    def handle(self, *args, date=None, now=False, **options):
        day = parse_date(date) if date else timezone.localdate()
        if day is None:
            raise CommandError("日期格式应为 YYYY-MM-DD。")
        for job in daily.ordered():
            if now:
                try:
                    result = daily.run(job.name, day)
                except Exception as exc:
                    self.stderr.write(f"{job.name}：失败（{exc.__class__.__name__}），已安排重试")
                    continue
                self.stdout.write(f"{job.name}：{result}")
            else:
                daily.enqueue(job.name, day)
                self.stdout.write(f"{job.name}：已加入后台任务队列")
        self.stdout.write(self.style.SUCCESS(f"{day:%Y-%m-%d} 的每日任务已{'运行' if now else '排队'}。"))
