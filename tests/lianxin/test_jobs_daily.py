"""Long work and the daily jobs are one system: one worker, one clean-up among the daily jobs, one
page (/tasks/) where an administrator sees both; and a job's file has its real name only once it
is whole."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import daily
from lianxin.jobs.files import folder
from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.services import job_start
from lianxin.models import DailyRun
from lianxin.storage import private_storage
from tests.conftest import ORG
from tests.lianxin import job_kinds  # noqa: F401  (registers the test kinds)

TODAY = timezone.localdate()


def start(world, kind="test_rows", user="branch_a1", rows=3, title="测试导出（第一支部）"):
    return job_start(
        acting_user=world.users[user],
        kind=kind,
        organization=world.orgs[ORG[user]],
        title=title,
        params={"rows": rows},
    )


def files_of(job):
    try:
        return private_storage().listdir(folder(job.pk))[1]
    except FileNotFoundError:
        return []


def test_the_file_is_written_under_a_temporary_name_and_renamed_when_whole(world):
    job = start(world, kind="test_peek", rows=20)
    assert job.summary == ".test_peek.txt.part"  # what the folder held while the kind wrote
    assert job.status == JobStatus.DONE and files_of(job) == ["test_peek.txt"]
    with job.file.open("rb") as f:
        assert f.read().decode().count("行\n") == 20


def test_a_failed_job_leaves_neither_the_file_nor_its_part(world):
    job = start(world, kind="test_crash", rows=10)
    assert job.status == JobStatus.FAILED and files_of(job) == []


def test_the_clean_up_is_a_daily_job_that_expires_files_and_fails_dead_jobs(world):
    assert "expire_jobs" in daily.JOBS
    old, fresh = start(world), start(world, rows=4)
    Job.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    stuck = Job.objects.create(
        user=world.users["branch_a1"],
        organization=world.orgs[ORG["branch_a1"]],
        kind="test_rows",
        title="名册",
        status=JobStatus.RUNNING,
        worker="another-host:12:abcd",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )

    daily.enqueue("expire_jobs", TODAY)  # the tests' backend runs the task at once

    run = DailyRun.objects.get(day=TODAY, name="expire_jobs")
    assert (run.status, run.result) == (DailyRun.Status.SUCCEEDED, {"interrupted": 1, "expired": 1})
    statuses = [Job.objects.get(pk=j.pk).status for j in (old, fresh, stuck)]
    assert statuses == [JobStatus.EXPIRED, JobStatus.DONE, JobStatus.FAILED]
    assert files_of(old) == [] and files_of(fresh) == ["test_rows.txt"]


def test_the_administrator_sees_everybodys_jobs_beside_the_daily_runs(world, client_for):
    start(world, title="花名册导出（第一支部）")
    start(world, kind="test_refuse", user="committee_a", title="登记表（第一党委）")
    daily.enqueue("expire_jobs", TODAY)
    client = client_for("admin")
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("daily_runs")).content.decode()
    assert "花名册导出（第一支部）" in page and "已完成" in page
    assert "登记表（第一党委）" in page and "所选党组织没有可导出的数据。" in page
    assert "expire_jobs" in page and "每日任务" in page
    # the failed job is listed before the finished one
    assert page.index("登记表（第一党委）") < page.index("花名册导出（第一支部）")
    for n in range(8):
        start(world, rows=1, title=f"导出{n}")
    with CaptureQueriesContext(connection) as many:
        assert "导出7" in client.get(reverse("daily_runs")).content.decode()
    assert len(many) == len(few)
    for persona in ("branch_a1", "committee_a", "county"):
        assert client_for(persona).get(reverse("daily_runs")).status_code == 404
