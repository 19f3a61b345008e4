"""The daily jobs: a small registry each app adds to from its own `daily.py` (discovered like
admin.py), run as Django tasks on the database-backed worker.

    from lianxin.daily import register_daily

    register_daily("refresh_statuses", refresh_statuses, after=())   # func(*, today) -> JSON

`manage.py run_daily` (cron or a systemd timer, once a day) enqueues one `run_daily_job` task
per registered job. A job waits for the jobs named in `after` to have succeeded that day (the
digest after the statuses are fresh). A job that raises is tried again after each delay of
LIANXIN["TASK_RETRY_DELAYS"], then left failed: every attempt is a task result in /admin/
(django_tasks_db), the day's state of each job is a DailyRun (/tasks/ for administrators), and
the final failure is logged as an error.
"""

import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lianxin.audit import acting_as
from lianxin.logfilters import redact
from lianxin.models import DailyRun

logger = logging.getLogger(__name__)
WAIT_SECONDS = 60  # a job whose predecessors are not done looks again after this long …
MAX_WAITS = 360  # … for six hours at most
STALE_RUN = timedelta(hours=2)  # a run "running" longer than this died with its worker


@dataclass(frozen=True)
class DailyJob:
    name: str
    func: object  # (*, today) -> a JSON-serializable summary
    after: tuple = ()


JOBS: dict[str, DailyJob] = {}


def register_daily(name, func, *, after=()):
    if name in JOBS and JOBS[name].func is not func:
        raise ValueError(f"daily job registered twice: {name}")
    JOBS[name] = DailyJob(name, func, tuple(after))
    return func


def ordered():
    """The jobs, each after those it waits for."""
    done, out = set(), []

    def visit(job, trail=()):
        if job.name in done:
            return
        if job.name in trail:
            raise ValueError(f"daily jobs wait for each other: {' → '.join(trail)}")
        for name in job.after:
            if name in JOBS:
                visit(JOBS[name], (*trail, job.name))
        done.add(job.name)
        out.append(job)

    for job in sorted(JOBS.values(), key=lambda j: j.name):
        visit(job)
    return out


def enqueue(name, day, attempt=1, delay=None, waited=0):
    from lianxin.tasks import run_daily_job

    task = run_daily_job
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    return task.enqueue(name, day.isoformat(), attempt, waited)


def can_wait():
    from lianxin.tasks import run_daily_job

    return run_daily_job.get_backend().supports_defer


def _settled(name, day):
    """Has the job finished for the day (or is it not registered at all)?"""
    if name not in JOBS:
        return True
    status = DailyRun.objects.filter(day=day, name=name).values_list("status", flat=True).first()
    return status in (DailyRun.Status.SUCCEEDED, DailyRun.Status.FAILED)


def run(name, day, attempt=1, waited=0):
    """Run one job for one day: the body of the `run_daily_job` task."""
    job = JOBS[name]
    daily_run, _created = DailyRun.objects.get_or_create(day=day, name=name)
    if daily_run.status == DailyRun.Status.SUCCEEDED:
        return {"skipped": "已完成"}
    if daily_run.status == DailyRun.Status.RUNNING and daily_run.started_at > timezone.now() - STALE_RUN:
        return {"skipped": "正在运行"}
    waiting = [other for other in job.after if not _settled(other, day)]
    if waiting and can_wait() and waited < MAX_WAITS:  # past that, run on what there is
        enqueue(name, day, attempt, delay=WAIT_SECONDS, waited=waited + 1)
        return {"waiting": waiting}
    daily_run.status, daily_run.attempts = DailyRun.Status.RUNNING, attempt
    daily_run.started_at, daily_run.finished_at = timezone.now(), None
    daily_run.save()
    try:
        with acting_as(None):  # history shows the system, not a person
            result = job.func(today=day)
    except Exception as exc:
        delays = settings.LIANXIN["TASK_RETRY_DELAYS"]
        final = attempt > len(delays)
        daily_run.status = DailyRun.Status.FAILED if final else DailyRun.Status.RETRYING
        daily_run.error = redact("".join(traceback.format_exception(exc)))[-5000:]
        daily_run.finished_at = timezone.now()
        daily_run.save()
        if final:
            logger.error(
                "daily job %s for %s failed after %d attempts: %s", name, day, attempt, redact(str(exc))
            )
        else:
            logger.warning("daily job %s for %s failed (attempt %d), retrying", name, day, attempt)
            enqueue(name, day, attempt + 1, delay=delays[attempt - 1], waited=waited)
        raise
    daily_run.status, daily_run.result, daily_run.error = DailyRun.Status.SUCCEEDED, result, ""
    daily_run.finished_at = timezone.now()
    daily_run.save()
    return result


# The core's own jobs.


def _sync_delegations(*, today):
    from lianxin.delegations import sync_delegation_grants

    return sync_delegation_grants(today=today)


def _evaluate_rules(*, today):
    """Each rule's items by tab, and how many nobody answers for (should be none)."""
    from lianxin import overdue
    from lianxin.addressing import address_all

    items = address_all(overdue.all_items(today), today)
    summary = {}
    for item in items:
        counts = summary.setdefault(item.rule.key, dict.fromkeys(overdue.TABS, 0))
        counts[item.tab(today)] += 1
    unaddressed = sum(1 for item in items if not item.addressees)
    if unaddressed:
        logger.error("%d overdue items on %s have nobody to answer for them", unaddressed, today)
    return {"rules": summary, "unaddressed": unaddressed}


def _send_digests(*, today):
    from lianxin.digest import send_digests

    return send_digests(today=today)


def _expire_jobs(*, today):
    """我的导出: files past their time deleted; jobs a dead worker left marked 失败."""
    from lianxin.jobs.recovery import sweep

    return sweep()


register_daily("sync_delegations", _sync_delegations)
register_daily("evaluate_rules", _evaluate_rules, after=("sync_delegations", "refresh_statuses"))
register_daily("send_digests", _send_digests, after=("evaluate_rules",))
register_daily("expire_jobs", _expire_jobs)


def _refresh_todo_snapshots(*, today):
    from lianxin.todo_snapshot import refresh_all

    return refresh_all(today=today)


register_daily("todo_snapshots", _refresh_todo_snapshots, after=("evaluate_rules",))
