"""Issue 18 item 4: the daily jobs are Django tasks on the database-backed worker; each waits for
the jobs it needs; a job that fails is tried again after a delay and, failing every time, is
left failed — visible to an administrator (/tasks/, the task results in /admin/) and logged."""

import logging
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lianxin import daily
from lianxin.models import DailyRun
from tests.factories import MemberFactory

TODAY = timezone.localdate()


def test_run_daily_runs_every_job_after_those_it_waits_for(world):
    MemberFactory(
        organization=world.orgs["610581001001"], last_contact_on=TODAY - timezone.timedelta(days=160)
    )
    names = [job.name for job in daily.ordered()]
    for job in daily.ordered():
        assert all(names.index(before) < names.index(job.name) for before in job.after if before in names)
    assert names.index("refresh_statuses") < names.index("evaluate_rules") < names.index("send_digests")
    call_command("run_daily", stdout=StringIO())  # the tests' backend runs each task at once
    runs = dict(DailyRun.objects.filter(day=TODAY).values_list("name", "status"))
    assert runs == dict.fromkeys(names, DailyRun.Status.SUCCEEDED)
    evaluated = DailyRun.objects.get(day=TODAY, name="evaluate_rules").result
    assert evaluated["rules"]["member_warning"]["todo"] == 1 and evaluated["unaddressed"] == 0
    assert mail.outbox  # the digests went out
    call_command("run_daily", stdout=StringIO())  # a second run the same day does nothing again
    assert len(mail.outbox) == DailyRun.objects.get(day=TODAY, name="send_digests").result["sent"]


class Flaky:
    """A job failing its first `failures` runs."""

    def __init__(self, failures):
        self.failures, self.calls = failures, 0

    def __call__(self, *, today):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError(f"第 {self.calls} 次：数据库连接中断")
        return {"ok": self.calls}


@pytest.fixture
def on_the_worker(settings, monkeypatch):
    """The real database backend and worker; retries without waiting."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.LIANXIN = {**settings.LIANXIN, "TASK_RETRY_DELAYS": [0, 0]}

    def register(name, failures):
        job = Flaky(failures)
        monkeypatch.setitem(daily.JOBS, name, daily.DailyJob(name, job))
        return job

    return register


def work_off_the_queue():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_retried_and_then_succeeds(on_the_worker):
    job = on_the_worker("flaky", failures=1)
    daily.enqueue("flaky", TODAY)
    work_off_the_queue()
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["FAILED", "SUCCESSFUL"]
    assert (
        "数据库连接中断" in results[0].traceback
        and results[0].exception_class_path == "builtins.ConnectionError"
    )
    run = DailyRun.objects.get(day=TODAY, name="flaky")
    assert (run.status, run.attempts, run.result, job.calls) == (DailyRun.Status.SUCCEEDED, 2, {"ok": 2}, 2)


@pytest.mark.django_db(transaction=True)
def test_a_task_failing_every_time_is_left_failed_and_shown_to_the_administrator(on_the_worker, caplog):
    on_the_worker("broken", failures=99)
    daily.enqueue("broken", TODAY)
    with caplog.at_level(logging.ERROR, logger="lianxin.daily"):
        work_off_the_queue()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * 3  # 1 + 2 retries
    run = DailyRun.objects.get(day=TODAY, name="broken")
    assert (run.status, run.attempts) == (DailyRun.Status.FAILED, 3)
    assert "第 3 次" in run.error
    assert any("broken" in r.getMessage() and "3 attempts" in r.getMessage() for r in caplog.records)
    admin = get_user_model().objects.create_superuser("root", password="x-very-long-pass")
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("daily_runs")).content.decode()
    assert "broken" in page and "失败" in page and "第 3 次" in page
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status=FAILED")
    assert listing.status_code == 200 and listing.content.decode().count("run_daily_job") >= 3


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_for_the_jobs_it_needs(on_the_worker, monkeypatch):
    first = on_the_worker("first", failures=0)
    second = Flaky(0)
    monkeypatch.setitem(daily.JOBS, "second", daily.DailyJob("second", second, after=("first",)))
    daily.enqueue("second", TODAY)  # queued before what it waits for
    daily.enqueue("first", TODAY)
    work_off_the_queue()
    assert (first.calls, second.calls) == (1, 0)  # "second" looked, and put itself back for later
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.args_kwargs["args"][0] == "second" and waiting.run_after > timezone.now()
    waiting.run_after = timezone.now()  # a minute passes
    waiting.save()
    work_off_the_queue()
    runs = {r.name: r for r in DailyRun.objects.filter(day=TODAY)}
    assert runs["first"].finished_at <= runs["second"].started_at and second.calls == 1
