"""The benchmark's long work as Django tasks, run by a real `db_worker` (reports/bench/worker.py):
the province's 《失联党员名册》 and a zip of 全程纪实表 PDFs, written to temporary files (the
work and the file are the product's own: reports/builders.py, xlsx.py, pdf.py)."""

import tempfile
import time
import zipfile
from datetime import date

from django.tasks import task

from lianxin.models import Organization
from members.models import Member
from reports import builders, pdf, xlsx
from reports.bench.measure import rss_mb
from tracing.models import LostContactCase


@task()
def bench_roster(organization_id, as_of):
    start = time.perf_counter()
    org, day = Organization.objects.get(pk=organization_id), date.fromisoformat(as_of)
    members = Member.objects.filter(organization__path__startswith=org.path)
    with tempfile.TemporaryFile() as output:
        rows = xlsx.write_roster(
            output,
            builders.roster_rows(members, day, org.path),
            title="失联党员名册",
            unit=org.name,
            filled_on=day,
        )
        size = output.tell()
    return {"rows": rows, "bytes": size, "seconds": round(time.perf_counter() - start, 2), "rss_mb": rss_mb()}


@task()
def bench_records(case_ids):
    start = time.perf_counter()
    cases = LostContactCase.objects.select_related("member", "organization").filter(pk__in=case_ids)
    with tempfile.TemporaryFile() as output:
        with zipfile.ZipFile(output, "w") as archive:
            for case, content in pdf.record_pdfs(cases.order_by("pk")):
                archive.writestr(f"全程纪实表-{case.pk}.pdf", content)
        size = output.tell()
    return {
        "files": len(case_ids),
        "bytes": size,
        "seconds": round(time.perf_counter() - start, 2),
        "rss_mb": rss_mb(),
    }
