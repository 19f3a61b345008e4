from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from lianxin.digest import send_digests


class Command(BaseCommand):
    help = "向每位负责人发送今日提醒（新增和超期事项；无事则不发）。--dry-run 只打印每个人的提醒内容"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只打印，不发送、不记录")
        parser.add_argument("--date", help="按此日期（YYYY-MM-DD），默认今天")

    def handle(self, *args, dry_run=False, date=None, **options):
        day = parse_date(date) if date else timezone.localdate()
        if day is None:
            raise CommandError("日期格式应为 YYYY-MM-DD。")
        summary = send_digests(today=day, dry_run=dry_run, out=self.stdout.write)
        verb = "应发送" if dry_run else "已发送"
        self.stdout.write(
            self.style.SUCCESS(
                f"{day:%Y-%m-%d}：{verb} {summary['recipients'] if dry_run else summary['sent']} 份提醒。"
            )
        )
