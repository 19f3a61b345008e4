"""Jobs whose worker died, and files past their time.

A job is interrupted when it is unfinished but nothing runs it any more:
- its task has ended (failed or succeeded) or is gone from the queue while the job never finished;
- its worker process on this host is dead (or this very process is a later one with its pid);
- it is 进行中 and has reported no progress for LIANXIN_JOB_STALE_MINUTES.
Such a job is marked 失败 with the kind's 任务中断 message and its partial file removed. This runs
when a worker starts (`manage.py db_worker`), in the daily job `expire_jobs` (lianxin/daily.py;
also a command), and for a single job when its page polls it.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from lianxin.jobs import registry
from lianxin.jobs.files import remove_files
from lianxin.jobs.models import UNFINISHED, Job, JobStatus
from lianxin.jobs.runner import PROCESS_TOKEN, fail


def _worker_dead(worker):
    """True when the process named `worker` (host:pid:token) surely no longer runs."""
    host, _, rest = worker.partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only its progress and its task can tell
    if int(pid) == os.getpid():
        return token != PROCESS_TOKEN
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def _task_status(job):
    """The queue's status of the job's task; None where the backend cannot say."""
    if not job.task_id or not default_task_backend.supports_get_result:
        return None
    try:
        return default_task_backend.get_result(job.task_id).status
    except TaskResultDoesNotExist:
        return "GONE"


def is_interrupted(job, now=None):
    if job.status not in UNFINISHED:
        return False
    now = now or timezone.now()
    if job.status == JobStatus.RUNNING:
        if job.worker and _worker_dead(job.worker):
            return True
        stale = timedelta(minutes=settings.LIANXIN["JOB_STALE_MINUTES"])
        if job.heartbeat_at and job.heartbeat_at < now - stale:
            return True
    status = _task_status(job)
    return status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL, "GONE")


def _end_task(job):
    """Tell the queue too, so that its record of a dead worker's task does not stay RUNNING."""
    if not job.task_id or not default_task_backend.supports_get_result:
        return
    try:
        result = default_task_backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return
    db_result = getattr(result, "db_result", None)  # django-tasks-db's row
    if db_result is not None and result.status == TaskResultStatus.RUNNING:
        db_result.set_failed(InterruptedError("lianxin: the worker running this job stopped"))


def interrupt(job):
    """Mark `job` 失败 as interrupted; True if it was still unfinished."""
    try:
        message = registry.get(job.kind).interrupted
    except LookupError:
        message = registry.INTERRUPTED
    if fail(job.pk, message):
        _end_task(job)
        return True
    return False


def check(job):
    """For a page looking at an unfinished job: declare it interrupted if it is; return it fresh."""
    if is_interrupted(job):
        interrupt(job)
        job.refresh_from_db()
    return job


def recover_interrupted():
    """Every interrupted job, marked 失败; returns how many."""
    now = timezone.now()
    count = 0
    for job in Job.objects.filter(status__in=UNFINISHED).order_by("pk"):
        if is_interrupted(job, now) and interrupt(job):
            count += 1
    return count


def expire(now=None):
    """Delete the files of finished jobs past their time; the rows stay, 已过期. Returns how many."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(status=JobStatus.DONE, expires_at__lte=now).only("pk").order_by("pk"):
        remove_files(job.pk)
        count += Job.objects.filter(pk=job.pk, status=JobStatus.DONE).update(
            status=JobStatus.EXPIRED, file=""
        )
    return count


def sweep(now=None):
    """The daily clean-up: interrupted jobs failed, then files past their time deleted."""
    interrupted = recover_interrupted()
    return {"interrupted": interrupted, "expired": expire(now)}
