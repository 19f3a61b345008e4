"""Kinds of long work that the job tests run (registered on import, like an app's jobs.py).

Each writes `params["rows"]` lines into the output and reports its progress row by row; the
others then refuse, crash, are stopped, or have their process killed half-way through."""

import os
import signal

from django.core.exceptions import ValidationError

from lianxin.jobs.files import folder
from lianxin.jobs.registry import Outcome, register
from lianxin.storage import private_storage

ID_NUMBER = "610581198503150011"  # a 身份证号 quoted by a crashing job: the log must not keep it


def _rows(job, output, progress, stop_at=None):
    total = job.params.get("rows", 10)
    progress(0, total)
    for n in range(1, total + 1):
        output.write(f"第{n}行\n".encode())
        progress(n, total)
        if n == stop_at:
            return n
    return total


def write_rows(job, output, progress):
    n = _rows(job, output, progress)
    return Outcome(filename="测试文件.txt", rows=n, summary=f"共 {n} 行")


def refuse(job, output, progress):
    _rows(job, output, progress, stop_at=3)
    raise ValidationError("所选党组织没有可导出的数据。")


def crash(job, output, progress):
    _rows(job, output, progress, stop_at=3)
    raise RuntimeError(f"unexpected value {ID_NUMBER}")


def stopped(job, output, progress):
    """The worker told to stop at once (its second SIGTERM raises SystemExit inside the task)."""
    _rows(job, output, progress, stop_at=job.params.get("rows", 10) // 2)
    raise SystemExit(1)


def killed(job, output, progress):
    """The process dies half-way through (SIGKILL: nothing after this line runs)."""
    _rows(job, output, progress, stop_at=job.params.get("rows", 10) // 2)
    output.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def peek(job, output, progress):
    """Says what the job's folder holds while the file is still being written."""
    _rows(job, output, progress)
    return Outcome(
        filename="测试文件.txt", rows=1, summary=",".join(private_storage().listdir(folder(job.pk))[1])
    )


TEXT = {"suffix": ".txt", "content_type": "text/plain; charset=utf-8"}
register("test_rows", label="测试导出", run=write_rows, **TEXT)
register("test_refuse", label="测试导出", run=refuse, **TEXT)
register("test_crash", label="测试导出", run=crash, **TEXT)
register("test_stopped", label="测试导出", run=stopped, **TEXT)
register("test_killed", label="测试导出", run=killed, **TEXT)
register("test_peek", label="测试导出", run=peek, **TEXT)
