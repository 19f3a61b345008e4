"""What runs in the web process: the 统计表 per level, one 全程纪实表, the import of 100,000 rows."""

import tempfile
from datetime import date
from pathlib import Path

from django.db import connection, transaction
from openpyxl import Workbook

from lianxin.models import Organization, OrgCounter
from members import idcard
from members.importing.models import ImportBatch, ImportRecord
from members.importing.service import import_file
from members.models import Member
from reports import builders, pdf
from reports.bench.measure import measure
from tracing.models import LostContactCase


def statistics_rows(total, runs):
    """The 统计表 of a county, a city and the province."""
    out = []
    members = Member.objects.all()
    levels = (
        ("县", Organization.objects.filter(depth=3).first()),
        ("市", Organization.objects.filter(depth=2).first()),
        ("省", Organization.objects.get(depth=1)),
    )
    for label, org in levels:
        result = measure(
            lambda o=org: builders.statistics_rows(o, date.today(), members), runs=max(3, runs // 3), warmup=1
        )
        out.append({"operation": f"统计表（{label}）", "size": total, **result})
    return out


def record_pdf_row():
    case = LostContactCase.objects.select_related("member", "organization").first()
    if case is None:
        return []
    return [
        {
            "operation": "全程纪实表 PDF（1件）",
            "size": 1,
            **measure(lambda: pdf.record_pdf(case), runs=5, warmup=1),
        }
    ]


def _roster_file(path, branch, n):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["姓名", "性别", "民族", "出生年月", "入党时间", "身份证号", "所在党支部"])
    for i in range(n):
        birth = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
        number = idcard.make(f"{990000 + i // 500:06d}", birth, (i % 500) * 2 + 1)
        ws.append([f"导入{i}", "男", "汉族", f"{birth:%Y.%m}", f"{birth.year + 25}.07", number, branch.code])
    wb.save(path)


def import_row(importer, n=100_000):
    """Import `n` new members into one branch, inside a transaction rolled back afterwards."""
    # The importer acts through a post like every user (a superuser holds no such right).
    branch = importer.posts.get(ended_on__isnull=True).organization
    result = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.xlsx"
        _roster_file(path, branch, n)

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
    _vacuum(Member, Member.history.model, ImportBatch, ImportRecord, OrgCounter)
    return row


def _vacuum(*models):
    """The rolled-back import leaves 100,000 dead rows in each table it wrote: below autovacuum's
    20 % they stay, and the planner, probing an index's end for a date past its statistics,
    walks them on every later query (a branch's rule query planned in 3.7 ms instead of 1.0 ms,
    measured at 5,000,000 members). A real import commits; the benchmark cleans up after itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
