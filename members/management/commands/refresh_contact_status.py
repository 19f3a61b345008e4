from django.core.management.base import BaseCommand, CommandError

from lianxin import dates
from lianxin.audit import acting_as
from members.services import refresh_all


class Command(BaseCommand):
    help = "按今天的日期重新计算党员联系状态（每日定时运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        try:
            day = dates.parse(today)
        except dates.DateError as exc:
            raise CommandError(str(exc)) from None
        with acting_as(None):
            changed = refresh_all(today=day, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"完成：{changed} 名党员的联系状态有变化。"))
