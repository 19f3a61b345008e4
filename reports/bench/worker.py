"""Long work through a real worker: each export is enqueued as a task on the database backend,
a `manage.py db_worker --batch` process is started on the benchmark's database and runs it,
and meanwhile a real web server (reports/bench/web.py: gunicorn) keeps serving the pages,
timed over HTTP. Reported: the export's time (enqueued to finished, and the task's own), the
pages' median and p95 during it, the peak resident memory of the web server's worker and of the
task worker."""

import os
import subprocess
import sys
import time
from datetime import date

from django.conf import settings
from django.tasks import TaskResultStatus

from lianxin.models import Organization
from reports.bench import web
from reports.bench.measure import PeakRSS, timing
from reports.bench.tasks import bench_records, bench_roster
from tracing.models import LostContactCase

WORKER = [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0.2", "--no-startup-delay"]


def _worker():
    return subprocess.Popen(  # noqa: S603  (our own manage.py, arguments fixed above)
        WORKER,
        cwd=settings.BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def through_worker(operation, enqueue, pages, web_pid):
    """Enqueue, run a worker, time `pages` (label → call) round-robin until the task is done;
    `web_pid` is the process serving them."""
    result = enqueue()
    start = time.perf_counter()
    worker = _worker()
    times = []
    with PeakRSS(web=web_pid, worker=worker.pid) as peak:
        while True:
            for call in pages.values():
                begun = time.perf_counter()
                call()
                times.append((time.perf_counter() - begun) * 1000)
            result.refresh()
            if result.is_finished or worker.poll() is not None:
                break
        elapsed = time.perf_counter() - start
        worker.wait(timeout=60)
    errors = worker.stderr.read().decode(errors="replace")[-500:]
    result.refresh()
    ok = result.status == TaskResultStatus.SUCCESSFUL
    value = result.return_value if ok else {}
    during = timing(times) if times else {}
    return {
        "operation": operation,
        "size": value.get("rows", value.get("files")),
        "median_ms": round(elapsed * 1000, 1),
        "task_s": value.get("seconds"),
        "pages_during": {**during, "count": len(times)},
        "web_peak_rss_mb": peak.mb["web"],
        "worker_peak_rss_mb": peak.mb["worker"],
        "note": (
            f"pages meanwhile: median {during.get('median_ms')} ms, p95 {during.get('p95_ms')} ms ({len(times)}); "
            f"RSS web {peak.mb['web']} MB, worker {peak.mb['worker']} MB"
        )
        if ok
        else f"task {result.status}: {errors}",
    }


def _quiet_queue():
    """The page rounds may have asked for 工作台快照 refreshes (a snapshot older than five
    minutes asks for one); on the worker they would run before the export and be timed as its.
    They are dropped and the snapshots marked as being refreshed, so the pages meanwhile read
    them as they do while a refresh is pending."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from lianxin.models import TodoSnapshot

    DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()
    TodoSnapshot.objects.update(refreshing_since=timezone.now())


def worker_rows(users):
    """The province's 名册 and 100 全程纪实表 through the worker, every page timed meanwhile from
    a gunicorn server."""
    _quiet_queue()
    with web.server() as srv:
        return _worker_rows(web.page_calls(srv, users), srv.worker_pid)


def _worker_rows(pages, web_pid):
    province = Organization.objects.get(depth=1)
    today = date.today().isoformat()
    rows = [
        through_worker(
            "名册（全省，经后台任务）", lambda: bench_roster.enqueue(province.pk, today), pages, web_pid
        )
    ]
    case_ids = list(LostContactCase.objects.order_by("pk").values_list("pk", flat=True)[:100])
    if case_ids:
        label = f"全程纪实表 PDF（{len(case_ids)}件，经后台任务）"
        rows.append(through_worker(label, lambda: bench_records.enqueue(case_ids), pages, web_pid))
    return rows
