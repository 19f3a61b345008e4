from django.core.management.base import BaseCommand

from lianxin.counters import COUNTERS, recount


class Command(BaseCommand):
    help = "按原始记录重新统计各党组织的计数（工作台读取的计数），报告差异；--repair 修正"

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="以重新统计的结果修正计数")

    def handle(self, *args, repair, **options):
        result = recount(repair=repair, log=self.stdout.write)
        for path, key, stored, counted in result.differences[:50]:
            label = COUNTERS[key].label if key in COUNTERS else key
            self.stdout.write(f"  {path} {label}：记录为 {stored}，实际为 {counted}")
        if len(result.differences) > 50:
            self.stdout.write(f"  …… 共 {len(result.differences)} 处差异")
        summary = f"计数 {result.rows} 项，差异 {len(result.differences)} 处"
        if repair:
            summary += f"，已修正 {result.written} 行"
        style = self.style.SUCCESS if not result.differences or repair else self.style.WARNING
        self.stdout.write(style(summary))
        if result.differences and not repair:
            raise SystemExit(1)
