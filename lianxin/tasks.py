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
