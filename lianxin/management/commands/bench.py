"""`manage.py bench`: build (or reuse) the synthetic province and time what users do.

Prints one table (operation, data size, median, p95, queries, peak memory) and writes
docs/bench.json. Server time is measured through Django's test client, in process.
"""

import json
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianxin import access
from lianxin.models import Organization
from lianxin.synthetic import Shape, generate
from members.models import Member

PAGES = [("工作台", "/"), ("党员列表", "/members/"), ("失联案件列表", "/cases/"), ("待办", "/dispositions/")]
PERSONAS = [("党支部", "bench_branch"), ("县委组织部", "bench_county"), ("省委组织部", "bench_province")]
TARGETS = {"page_median_ms": 50}


def measure(fn, *, runs=15, warmup=2):
    for _ in range(warmup):
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    tracemalloc.start()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(p95, 2),
        "queries": queries,
        "peak_mb": round(peak, 1),
    }


class Command(BaseCommand):
    help = "基准测试：生成（或复用）省级规模数据，测量页面与报表的耗时"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1_000_000)
        parser.add_argument("--rebuild", action="store_true", help="清空后重新生成数据")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--output", default=str(settings.BASE_DIR / "docs" / "bench.json"))

    def handle(self, *args, members, rebuild, runs, output, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.ensure_data(members, rebuild)
        total = Member.objects.count()
        rows = []
        users = {name: get_user_model().objects.get(username=name) for _, name in PERSONAS}
        for label, path in PAGES:
            for tier, username in PERSONAS:
                client = Client()
                client.force_login(users[username])
                status = client.get(path).status_code
                if status != 200:
                    rows.append({"operation": f"{label}（{tier}）", "size": total, "note": f"HTTP {status}"})
                    continue
                rows.append(
                    {
                        "operation": f"{label}（{tier}）",
                        "size": total,
                        **measure(lambda c=client, p=path: c.get(p), runs=runs),
                    }
                )
        rows.extend(self.scope_rows(users["bench_province"], total, runs))
        self.print_table(rows)
        self.write_json(output, total, rows)

    def ensure_data(self, members, rebuild):
        existing = Member.objects.count()
        if existing and not rebuild:
            self.stdout.write(f"复用已有数据：党员 {existing} 名")
            return
        if existing or Organization.objects.exists():
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        self.stdout.write(f"生成数据：党员 {members} 名 …")
        shape = Shape(members=members)
        if members < 100_000:  # small runs: a smaller tree keeps branches realistic (≈ 17 members each)
            shape.cities, shape.counties_per_city = 2, 5
        t = time.perf_counter()
        generate(shape, log=self.stdout.write)
        self.stdout.write(f"生成完毕，用时 {time.perf_counter() - t:.1f}s")

    def scope_rows(self, user, total, runs):
        """access.scoped() vs per-object guardian grants on every organization, same data."""
        from guardian.shortcuts import get_objects_for_user

        def scoped():
            access.forget(user)  # include the grants query, as in a fresh request
            return list(access.scoped(user, "view_scope", Member.objects.all()).order_by("id")[:50])

        ours = measure(scoped, runs=runs)
        # The naive alternative: a grant per organization node, resolved by guardian.
        from django.contrib.auth.models import Permission

        from lianxin.models import OrganizationUserPermission

        perm = Permission.objects.get(codename="view_scope", content_type__app_label="lianxin")
        naive_user, _ = get_user_model().objects.get_or_create(username="bench_naive")
        if not OrganizationUserPermission.objects.filter(user=naive_user).exists():
            OrganizationUserPermission.objects.bulk_create(
                [
                    OrganizationUserPermission(user=naive_user, permission=perm, content_object_id=pk)
                    for pk in Organization.objects.values_list("pk", flat=True)
                ],
                batch_size=5000,
            )

        def naive():
            orgs = get_objects_for_user(
                naive_user,
                "lianxin.view_scope",
                Organization,
                accept_global_perms=False,
                with_superuser=False,
            )
            return list(Member.objects.filter(organization__in=orgs).order_by("id")[:50])

        theirs = measure(naive, runs=runs)
        ratio = round(theirs["median_ms"] / max(ours["median_ms"], 0.001), 1)
        return [
            {"operation": "范围过滤 access.scoped()（省）", "size": total, **ours},
            {
                "operation": "逐对象授权 guardian（省，对照）",
                "size": total,
                **theirs,
                "note": f"{ratio}× slower",
            },
        ]

    def print_table(self, rows):
        header = f"{'operation':<34} {'size':>9} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'peak MB':>8}  note"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in rows:
            self.stdout.write(
                f"{r['operation']:<34} {r['size']:>9} {r.get('median_ms', '-'):>10} {r.get('p95_ms', '-'):>9} "
                f"{r.get('queries', '-'):>8} {r.get('peak_mb', '-'):>8}  {r.get('note', '')}"
            )

    def write_json(self, output, total, rows):
        pages = [
            r for r in rows if "median_ms" in r and "（" in r["operation"] and "范围" not in r["operation"]
        ]
        worst = max((r["median_ms"] for r in pages), default=None)
        data = {
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": __import__("os").cpu_count(),
                "database": connection.vendor,
            },
            "members": total,
            "rows": rows,
            "targets": {
                "page_median_ms": {
                    "target": TARGETS["page_median_ms"],
                    "measured": worst,
                    "met": worst is not None and worst < TARGETS["page_median_ms"],
                },
            },
        }
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(data, ensure_ascii=False, indent=2))
        self.stdout.write(f"已写入 {output}")
