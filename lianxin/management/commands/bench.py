"""`manage.py bench`: build (or reuse) the synthetic province and time what users do.

Prints one table (operation, data size, median, p95, queries, peak memory) and writes
docs/bench.json. Server time is measured through Django's test client, in process.
"""

import json
import platform
import statistics
import time
import tracemalloc
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianxin import access
from lianxin.models import Organization
from lianxin.synthetic import Shape, bench_users, generate
from members.models import Member

PAGES = [("工作台", "/"), ("党员列表", "/members/"), ("失联案件列表", "/cases/"), ("待办", "/dispositions/")]
PERSONAS = [("党支部", "bench_branch"), ("县委组织部", "bench_county"), ("省委组织部", "bench_province")]
TARGETS = {
    "page_median_ms": 50,
    "statistics_province_ms": 1000,
    "roster_100k_s": 10,
    "roster_100k_peak_mb": 300,
    "record_pdf_ms": 500,
    "import_100k_s": 60,
}


def measure(fn, *, runs=15, warmup=2, queries=True, memory=True):
    """Median and p95 of `runs` timed calls, the queries of one call, and the peak memory of one
    more call traced separately (tracemalloc slows Python code several times: never while timing)."""
    for _ in range(warmup):
        fn()
    query_count = None
    if queries:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        query_count = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    peak = None
    if memory:
        tracemalloc.start()
        fn()
        peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return {**_timing(times), "queries": query_count, "peak_mb": peak}


def _timing(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2)}


def measure_rounds(fns, *, runs, warmup=5):
    """Several operations timed in rounds — one call of each per round — so that a slow minute of
    this shared machine falls on all of them alike instead of on whichever ran then. Queries and
    memory as in `measure`."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times = {label: [] for label in fns}
    for _ in range(runs):
        for label, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[label].append((time.perf_counter() - t) * 1000)
    return {label: {**measure(fn, runs=1, warmup=0), **_timing(times[label])} for label, fn in fns.items()}


def cpu_check():
    """Seconds for a fixed pure-Python loop: this machine's speed varies by a quarter from one
    minute to the next (a shared VM), so the table says how fast it was while it ran."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i
    return round(time.perf_counter() - start, 3)


def _cell(row, key):
    value = row.get(key)
    return "-" if value is None else str(value)


class Command(BaseCommand):
    help = "基准测试：生成（或复用）省级规模数据，测量页面与报表的耗时"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1_000_000)
        parser.add_argument("--rebuild", action="store_true", help="清空后重新生成数据")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--output", default=str(settings.BASE_DIR / "docs" / "bench.json"))
        parser.add_argument(
            "--pages-only", action="store_true", help="只测页面（约一分钟），例如在机器空闲时复测"
        )

    def handle(self, *args, members, rebuild, runs, output, pages_only, **options):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.ensure_data(members, rebuild)
        self.cpu = {"start": cpu_check()}
        total = Member.objects.count()
        rows = []
        users = {name: get_user_model().objects.get(username=name) for _, name in PERSONAS}
        pages = {}
        for label, path in PAGES:
            for tier, username in PERSONAS:
                client = Client()
                client.force_login(users[username])
                status = client.get(path).status_code
                if status != 200:
                    rows.append({"operation": f"{label}（{tier}）", "size": total, "note": f"HTTP {status}"})
                    continue
                pages[f"{label}（{tier}）"] = lambda c=client, p=path: c.get(p)
        pages.update(self.case_pages(users))
        # 31 rounds of every page, after 5 rounds of warm-up (cold buffers after the server starts)
        for operation, result in measure_rounds(pages, runs=max(runs, 31)).items():
            rows.append({"operation": operation, "size": total, **result})
        self.cpu["after pages"] = cpu_check()
        if not pages_only:
            rows.extend(self.scope_rows(users["bench_province"], total, runs))
            rows.extend(self.report_rows(total, runs))
        self.cpu["end"] = cpu_check()
        self.write_json(output, total, rows)
        self.print_table(rows)
        checks = ", ".join(f"{label} {seconds} s" for label, seconds in self.cpu.items())
        self.stdout.write(f"CPU check (5,000,000-step loop; 0.30 s when this machine is quiet): {checks}")

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

    def case_pages(self, users):
        """The case detail page per tier: {operation: call}."""
        from tracing.models import LostContactCase

        branch_path = self.branch_path(users)
        in_branch = LostContactCase.objects.filter(organization__path__startswith=branch_path).first()
        in_county = LostContactCase.objects.filter(organization__path__startswith=branch_path[:12]).first()
        out = {}
        for tier, username in PERSONAS:
            case = in_branch if username == "bench_branch" else in_county
            if case is None:  # the branch has no lost member in this data set
                continue
            client = Client()
            client.force_login(users[username])
            out[f"案件详情（{tier}）"] = lambda c=client, pk=case.pk: c.get(f"/cases/{pk}/")
        return out

    @staticmethod
    def branch_path(users):
        from lianxin.models import Post

        return (
            Post.objects.filter(user=users["bench_branch"])
            .select_related("organization")
            .first()
            .organization.path
        )

    def report_rows(self, total, runs):
        """统计表 per level, the 名册 renderer at 100,000 rows (write-only vs default openpyxl), PDFs, import."""
        import io
        import tempfile

        from openpyxl import Workbook

        from reports import builders, pdf, xlsx
        from tracing.models import LostContactCase

        out = []
        province = Organization.objects.get(depth=1)
        city = Organization.objects.filter(depth=2).first()
        county = Organization.objects.filter(depth=3).first()
        members = Member.objects.all()
        for label, org in (("县", county), ("市", city), ("省", province)):
            out.append(
                {
                    "operation": f"统计表（{label}）",
                    "size": total,
                    **measure(
                        lambda o=org: builders.statistics_rows(o, date.today(), members),
                        runs=max(3, runs // 3),
                        warmup=1,
                    ),
                }
            )
        lost = builders.roster_members(members, date.today()).count()
        out.append(
            {
                "operation": "名册查询+生成（全省失联）",
                "size": lost,
                **measure(
                    lambda: xlsx.write_roster(
                        io.BytesIO(),
                        builders.roster_rows(members, date.today()),
                        title="失联党员名册",
                        unit=province.name,
                        filled_on=date.today(),
                    ),
                    runs=3,
                    warmup=0,
                ),
            }
        )

        def synthetic_rows(n=100_000):
            for i in range(n):
                yield builders.RosterRow(
                    i + 1,
                    "张三",
                    "男",
                    "汉族",
                    "1985.03",
                    "2008.07",
                    "61058119850315111X",
                    "13900000000",
                    "第1市第1县第1党委第1党支部",
                    3,
                    3,
                    "1年2个月",
                    1,
                    "",
                )

        out.append(
            {
                "operation": "名册 10万行（write-only）",
                "size": 100_000,
                **measure(
                    lambda: xlsx.write_roster(
                        io.BytesIO(),
                        synthetic_rows(),
                        title="失联党员名册",
                        unit="基准",
                        filled_on=date.today(),
                    ),
                    runs=2,
                    warmup=0,
                ),
            }
        )

        def default_mode():
            wb = Workbook()
            ws = wb.active
            for r in synthetic_rows():
                ws.append(
                    [
                        r.number,
                        r.name,
                        r.gender,
                        r.ethnicity,
                        r.birth,
                        r.joined,
                        r.id_number,
                        r.phone,
                        r.organization,
                        r.category,
                        r.occupation,
                        r.duration,
                        r.reason,
                        r.remark,
                    ]
                )
            wb.save(io.BytesIO())

        out.append(
            {
                "operation": "名册 10万行（openpyxl 默认模式，对照）",
                "size": 100_000,
                **measure(default_mode, runs=1, warmup=0, queries=False),
            }
        )
        cases = list(LostContactCase.objects.select_related("member", "organization")[:100])
        self.cpu["before PDFs"] = cpu_check()
        if cases:
            out.append(
                {
                    "operation": "全程纪实表 PDF（1件）",
                    "size": 1,
                    **measure(lambda: pdf.record_pdf(cases[0]), runs=5, warmup=1),
                }
            )
            out.append(
                {
                    "operation": "全程纪实表 PDF（100件）",
                    "size": len(cases),
                    **measure(
                        lambda: [pdf.record_pdf(c) for c in cases],
                        runs=1,
                        warmup=0,
                        queries=False,
                        memory=False,
                    ),
                }
            )
        with tempfile.TemporaryDirectory() as folder:
            out.append(self.import_row(Path(folder), total))
        return out

    def import_row(self, folder, total, n=100_000):
        """Import 100,000 new members into one branch, inside a transaction rolled back afterwards."""
        from django.db import transaction
        from openpyxl import Workbook

        from members import idcard
        from members.importing.service import import_file
        from members.importing.validate import CIRCLED  # noqa: F401  (the importer's module is loaded before timing)

        # The importer acts through a post like every user (a superuser holds no such right).
        importer = bench_users()["bench_branch"]
        branch = importer.posts.get(ended_on__isnull=True).organization
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("花名册")
        ws.append(["姓名", "性别", "民族", "出生年月", "入党时间", "身份证号", "所在党支部"])
        for i in range(n):
            birth = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
            ws.append(
                [
                    f"导入{i}",
                    "男",
                    "汉族",
                    f"{birth:%Y.%m}",
                    f"{birth.year + 25}.07",
                    idcard.make("990000", birth, (i % 500) * 2 + 1)[:0]
                    or idcard.make(f"{990000 + i // 500:06d}", birth, (i % 500) * 2 + 1),
                    branch.code,
                ]
            )
        path = folder / "import.xlsx"
        wb.save(path)
        result = {}

        def run():
            with transaction.atomic():
                result["report"] = import_file(
                    path=path, filename="import.xlsx", org=branch, acting_user=importer
                )
                transaction.set_rollback(True)

        row = {
            "operation": "导入 10万行",
            "size": n,
            **measure(run, runs=1, warmup=0, queries=False, memory=False),
        }
        report = result["report"]
        row["note"] = f"created {report.created}, errors {len(report.errors)}"
        return row

    def scope_rows(self, user, total, runs):
        """access.scoped() vs per-object guardian grants on every organization, same data."""
        from guardian.shortcuts import get_objects_for_user

        def scoped():
            access.forget(user)  # include the grants query, as in a fresh request
            return list(access.scoped(user, "view_scope", Member.objects.all()).order_by("id")[:50])

        ours = measure(scoped, runs=runs)

        def by_path():
            # What scoped() does when the tree has other roots: the indexed path-prefix join.
            access.forget(user)
            (path,) = access.granted_paths(user, "view_scope")
            return list(Member.objects.filter(organization__path__startswith=path).order_by("id")[:50])

        prefix = measure(by_path, runs=runs)
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
        ratio = round(theirs["median_ms"] / max(prefix["median_ms"], 0.001), 1)
        return [
            {
                "operation": "范围过滤 access.scoped()（省）",
                "size": total,
                **ours,
                "note": "整棵树：不加过滤",
            },
            {"operation": "路径前缀过滤 path LIKE（省）", "size": total, **prefix, "note": "树有多个根时"},
            {
                "operation": "逐对象授权 guardian（省，对照）",
                "size": total,
                **theirs,
                "note": f"{ratio}× slower than path LIKE",
            },
        ]

    def print_table(self, rows):
        header = f"{'operation':<34} {'size':>9} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'peak MB':>8}  note"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in rows:
            self.stdout.write(
                f"{r['operation']:<34} {r['size']:>9} {_cell(r, 'median_ms'):>10} {_cell(r, 'p95_ms'):>9} "
                f"{_cell(r, 'queries'):>8} {_cell(r, 'peak_mb'):>8}  {r.get('note', '')}"
            )

    @staticmethod
    def targets(rows, worst_page):
        by_op = {r["operation"]: r for r in rows}

        def get(op, key="median_ms", scale=1):
            row = by_op.get(op)
            return round(row[key] / scale, 2) if row and key in row else None

        measured = {
            "page_median_ms": worst_page,
            "statistics_province_ms": get("统计表（省）"),
            "roster_100k_s": get("名册 10万行（write-only）", scale=1000),
            "roster_100k_peak_mb": get("名册 10万行（write-only）", "peak_mb"),
            "record_pdf_ms": get("全程纪实表 PDF（1件）"),
            "import_100k_s": get("导入 10万行", scale=1000),
        }
        return {
            name: {
                "target": TARGETS[name],
                "measured": value,
                "met": value is not None and value < TARGETS[name],
            }
            for name, value in measured.items()
            if value is not None
        }

    def write_json(self, output, total, rows):
        page_labels = tuple(label for label, _path in PAGES) + ("案件详情",)
        pages = [r for r in rows if r.get("median_ms") is not None and r["operation"].startswith(page_labels)]
        worst = max((r["median_ms"] for r in pages), default=None)
        data = {
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": __import__("os").cpu_count(),
                "database": connection.vendor,
                "cpu_check_s": {**self.cpu, "what": "5,000,000-step Python loop"},
            },
            "members": total,
            "rows": rows,
            "targets": self.targets(rows, worst),
        }
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(data, ensure_ascii=False, indent=2))
        self.stdout.write(f"已写入 {output}")
