"""The Django tasks of the core, run by the one background worker (`manage.py db_worker`,
django-tasks-db): the daily jobs (lianxin/daily.py) and the long work users ask for
(lianxin/jobs: big exports, batches of PDFs, big imports)."""

from datetime import date

from django.tasks import task


@task()
def run_daily_job(name, day, attempt=1, waited=0):
    """One daily job for one day (lianxin/daily.py); a failure raises, after queueing its retry."""
    from lianxin import daily

    return daily.run(name, date.fromisoformat(day), attempt, waited)


@task()
def run_job(job_id):
    """One job a user asked for (lianxin/jobs/runner.py): its failure is the job's, told to its
    user in Chinese, so the task itself ends as the job did."""
    from lianxin.jobs import runner

    return runner.run(job_id)


@task()
def refresh_todo_snapshot(user_id):
    """A large scope's 待办 cards computed afresh (lianxin/todo_snapshot.py)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lianxin import todo_snapshot

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        todo_snapshot.refresh(user, timezone.localdate())
