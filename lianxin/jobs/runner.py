"""What the task `lianxin.tasks.run_job` does on the worker (`manage.py db_worker`): run a job,
report its progress, keep its file.

The file is written under a temporary name in `jobs/<job id>/` of the private storage and renamed
once complete (lianxin/jobs/files.py), and only then is the job marked 已完成 — by
a conditional update, so a job that a cleanup has meanwhile declared interrupted stays so and
its file is removed. A worker killed at any point leaves the job 进行中 and no file marked done;
`lianxin.jobs.recovery` finds it.
"""

import logging
import os
import secrets
import socket
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from lianxin import access
from lianxin.audit import acting_as
from lianxin.jobs import registry
from lianxin.jobs.files import open_part, publish, remove_files
from lianxin.jobs.models import UNFINISHED, Job, JobStatus
from lianxin.replica import reads_from_primary, reads_from_replica

logger = logging.getLogger("lianxin.jobs")

# This process, as written on the jobs it runs: host, pid and a token telling this process from
# an earlier one that had the same pid (a restarted container often reuses it).
PROCESS_TOKEN = secrets.token_hex(4)
FAILED_MESSAGE = (
    "任务失败：系统内部错误，已记录供管理员排查。请稍后重试；如仍失败，请联系管理员（任务编号 {pk}）。"
)
UNKNOWN_KIND = "任务失败：系统已不再支持这类任务，请重新导出。"


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{PROCESS_TOKEN}"


def progress_alias():
    """Progress is written on a connection of its own where there is one (PostgreSQL in
    production), so that it is seen while the job's own transaction — a big import's — is open."""
    return "progress" if "progress" in settings.DATABASES else DEFAULT_DB_ALIAS


class Progress:
    """`progress(done, total)`: kept in memory, written to the job's row at most once every
    `every` seconds (and when done reaches total) — a 100,000-row export writes a few dozen times."""

    def __init__(self, job_id, *, every=1.0, clock=time.monotonic):
        self.job_id, self.every, self.clock = job_id, every, clock
        self.done = self.total = 0
        self._written = None  # (time, done, total) of the last write

    def __call__(self, done, total=None):
        if total is not None:
            self.total = total
        self.done = done
        now = self.clock()
        if self._written is not None:
            at, was_done, was_total = self._written
            finished_now = self.done >= self.total and (was_done, was_total) != (self.done, self.total)
            if now - at < self.every and not finished_now:
                return
        self._written = (now, self.done, self.total)
        Job.objects.using(progress_alias()).filter(pk=self.job_id).update(
            done=self.done, total=max(self.total, self.done), heartbeat_at=timezone.now()
        )


def keep_for():
    return timedelta(hours=settings.LIANXIN["EXPORT_KEEP_HOURS"])


def _claim(job_id):
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, worker=worker_name()
    )
    return Job.objects.select_related("user", "organization").get(pk=job_id) if claimed else None


def _finish(job, kind, output, outcome, progress):
    name = publish(job.pk, kind.file_name, output) if outcome.filename else ""
    now = timezone.now()
    total = max(progress.total, progress.done)
    finished = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        file=name,
        filename=outcome.filename[:200],
        rows=outcome.rows,
        summary=outcome.summary[:300],
        done=total,
        total=total,
        finished_at=now,
        heartbeat_at=now,
        expires_at=now + keep_for(),
    )
    if not finished:  # declared interrupted while it ran: the file belongs to no job
        remove_files(job.pk)


def fail(job_id, message, **progress):
    """Mark an unfinished job 失败 with `message` and remove whatever file it had begun. A job
    that meanwhile finished is left alone (a cleanup may look at a job just as it completes)."""
    now = timezone.now()
    failed = Job.objects.filter(pk=job_id, status__in=UNFINISHED).update(
        status=JobStatus.FAILED, error=message[:300], finished_at=now, heartbeat_at=now, **progress
    )
    if failed:
        remove_files(job_id)
    return bool(failed)


def _give_up(job, message, progress):
    """The runner's own failure: the job is not done, so any part of its file goes too; the
    page shows how far it got."""
    fail(job.pk, message, done=progress.done, total=max(progress.done, progress.total))
    remove_files(job.pk)


@contextmanager
def _reads_for(job, kind):
    """A report's reads go to the replica, as its page's would; who may see what is read from the
    primary first (the user's grants are kept on the user object)."""
    if not kind.replica_reads or job.primary_reads:
        yield
        return
    for perm in (access.VIEW, kind.perm):
        access.granted_paths(job.user, perm)
    with reads_from_replica():
        yield


def run(job_id):
    """The body of the task: claim the job, run its kind, keep the file or say why not.

    The job's own rows are read and written on the primary, even when the task runs at once
    inside a report view that reads from the replica (the immediate backend)."""
    with reads_from_primary():
        return _run(job_id)


def _run(job_id):
    job = _claim(job_id)
    if job is None:  # already run, or declared interrupted before a worker took it
        return None
    try:
        kind = registry.get(job.kind)
    except LookupError:
        fail(job.pk, UNKNOWN_KIND)
        return JobStatus.FAILED
    progress = Progress(job.pk)
    try:
        with open_part(job.pk, kind.file_name) as output, acting_as(job.user):
            with _reads_for(job, kind):
                outcome = kind.run(job, output, progress)
            _finish(job, kind, output, outcome, progress)
    except ValidationError as exc:  # the kind's own reason, written for the user
        _give_up(job, "；".join(exc.messages), progress)
        return JobStatus.FAILED
    except Exception:
        # The traceback goes to the administrator's log (numbers redacted by lianxin.logfilters);
        # the user reads a general reason with the job's number.
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _give_up(job, FAILED_MESSAGE.format(pk=job.pk), progress)
        return JobStatus.FAILED
    except BaseException:  # the worker is being stopped (a second Ctrl-C, SIGTERM twice)
        _give_up(job, kind.interrupted, progress)
        raise
    return JobStatus.DONE
