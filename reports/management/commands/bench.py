"""`manage.py bench`: build (or reuse) the synthetic province and time what users do.

Prints one table (operation, data size, median, p95, queries, peak memory), the targets, and
the growth across the sizes measured so far; writes docs/bench.json and docs/bench-growth.json.
Pages are timed through Django's test client, in process (server time); long exports through a
real worker process (reports/bench/worker.py).
"""

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lianxin.models import Organization
from lianxin.synthetic import Shape, generate
from members.models import Member
from reports.bench import exports, pages, table, worker
from reports.bench.measure import cpu_check

DOCS = settings.BASE_DIR / "docs"


class Command(BaseCommand):
    help = "基准测试：生成（或复用）省级规模数据，测量页面、报表与后台任务的耗时"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1_000_000, help="党员人数（默认 1,000,000）")
        parser.add_argument("--rebuild", action="store_true", help="清空后重新生成数据")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--output", default=str(DOCS / "bench.json"))
        parser.add_argument("--growth", default=str(DOCS / "bench-growth.json"))
        parser.add_argument(
            "--pages-only", action="store_true", help="只测页面（约一分钟），例如在机器空闲时复测"
        )
        parser.add_argument("--build-only", action="store_true", help="只生成数据，不测量（预估生成用时）")
        parser.add_argument("--no-worker", action="store_true", help="不经后台任务测导出")
        parser.add_argument("--no-import", action="store_true", help="不测导入 10万行")

    def handle(
        self,
        *args,
        members,
        rebuild,
        runs,
        output,
        growth,
        pages_only,
        build_only,
        no_worker,
        no_import,
        **options,
    ):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        generation = self.ensure_data(members, rebuild)
        if build_only:
            return
        cpu, load = {}, {}

        def check(label):  # the machine is shared: say how busy it was at each stage
            cpu[label], load[label] = cpu_check(), round(os.getloadavg()[0], 2)

        check("start")
        total = Member.objects.count()
        users = pages.users()
        rows = pages.page_rows(users, total, runs)
        check("after pages")
        if not pages_only:
            rows += pages.scope_rows(users["bench_province"], total, runs)
            rows += exports.statistics_rows(total, runs)
            rows += exports.record_pdf_row()
            if not no_worker:
                check("before the worker")
                rows += worker.worker_rows(users)
            if not no_import:
                rows.append(exports.import_row(users["bench_branch"]))
        check("end")
        data = table.write_json(output, total, rows, cpu, generation=generation, load_average_1min=load)
        sizes = table.record_growth(growth, data)
        out = self.stdout.write
        for line in table.table_lines(rows) + [""] + table.target_lines(rows):
            out(line)
        checks = ", ".join(f"{label} {seconds} s" for label, seconds in cpu.items())
        out(f"CPU check (5,000,000-step loop; 0.30 s when this machine is quiet): {checks}")
        out("Load average (1 min, 2 cores): " + ", ".join(f"{k} {v}" for k, v in load.items()))
        growth_lines = table.growth_lines(sizes)
        if growth_lines:
            out("")
            out("Median ms by size:")
            for line in growth_lines:
                out(line)
        out(f"已写入 {output} 与 {growth}")

    def ensure_data(self, members, rebuild):
        existing = Member.objects.count()
        if existing and not rebuild:
            self.stdout.write(f"复用已有数据：党员 {existing} 名")
            return None
        if existing or Organization.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        shape = Shape.for_members(members)
        self.stdout.write(f"生成数据：党员 {members} 名，党组织 {shape.organizations} 个 …")
        start = time.perf_counter()
        timings = generate(shape, log=self.stdout.write)
        seconds = round(time.perf_counter() - start, 1)
        self.stdout.write(f"生成完毕，用时 {seconds}s")
        return {
            "seconds": seconds,
            "steps": {k: {"rows": n, "seconds": round(s, 1)} for k, (n, s) in timings.items()},
        }
