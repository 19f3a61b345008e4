"""Django tasks of the core (run by `manage.py db_worker`, django-tasks-db)."""

from datetime import date

from django.tasks import task


@task()
def run_daily_job(name, day, attempt=1, waited=0):
    """One daily job for one day (lianxin/daily.py); a failure raises, after queueing its retry."""
    from lianxin import daily

    return daily.run(name, date.fromisoformat(day), attempt, waited)
