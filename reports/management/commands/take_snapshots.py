import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.snapshots import month_start, snapshots_backfill


def _month(text):
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise CommandError(f"月份格式应为 YYYY-MM：{text}")
    return date(int(match[1]), int(match[2]), 1)


class Command(BaseCommand):
    help = "生成月度快照：本月（截至今天），加 --since 时补齐自该月起的历史月份（按有日期的记录推算）"

    def add_arguments(self, parser):
        parser.add_argument("--since", help="自此月份起补齐（YYYY-MM），默认只生成本月")
        parser.add_argument(
            "--overwrite", action="store_true", help="重新推算已有快照的往月（默认保留当月生成的快照）"
        )

    def handle(self, *args, since=None, overwrite=False, **options):
        current = month_start(timezone.localdate())
        first = _month(since) if since else current
        if first > current:
            raise CommandError(f"{first:%Y-%m} 尚未到来。")
        months = snapshots_backfill(first, overwrite=overwrite, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"完成：生成 {len(months)} 个月的快照。"))
