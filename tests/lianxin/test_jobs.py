"""Long work as jobs: progress to the end, the file on 我的导出, the download scoped and recorded,
failures told in Chinese, expiry. (The tests run tasks at once: the immediate backend.)"""

import logging
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.jobs import recovery
from lianxin.jobs.files import folder
from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.runner import FAILED_MESSAGE, Progress
from lianxin.jobs.services import job_start
from lianxin.logfilters import RedactPersonalNumbers
from lianxin.models import Disclosure
from lianxin.storage import private_storage
from tests.conftest import ORG
from tests.lianxin import job_kinds


def start(world, kind="test_rows", user="branch_a1", org=None, rows=10):
    return job_start(
        acting_user=world.users[user],
        kind=kind,
        organization=world.orgs[org or ORG[user]],
        title="测试导出（第一支部）",
        params={"rows": rows},
    )


def files_of(job):
    try:
        return private_storage().listdir(folder(job.pk))[1]
    except FileNotFoundError:
        return []


def test_a_job_runs_to_the_end_and_its_file_waits_on_my_exports(world, client_for):
    job = start(world, rows=250)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.percent) == (250, 250, 100)
    assert job.rows == 250 and job.summary == "共 250 行"
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    assert files_of(job) == ["test_rows.txt"]

    client = client_for("branch_a1")
    page = client.get(reverse("jobs:list")).content.decode()
    assert (
        "测试导出（第一支部）" in page
        and "已完成" in page
        and reverse("jobs:download", args=[job.pk]) in page
    )
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "下载 测试文件.txt" in detail and "data-status-url" not in detail
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert state == {
        "status": "done",
        "label": "已完成",
        "finished": True,
        "done": 250,
        "total": 250,
        "percent": 100,
        "download": reverse("jobs:download", args=[job.pk]),
    }


def test_the_download_is_the_file_and_is_recorded(world, client_for):
    job = start(world, rows=3)
    response = client_for("branch_a1").get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "第1行\n第2行\n第3行\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    disclosure = Disclosure.objects.get()
    assert (disclosure.user, disclosure.organization, disclosure.kind, disclosure.count) == (
        world.users["branch_a1"],
        world.orgs[ORG["branch_a1"]],
        Disclosure.Kind.EXPORT,
        3,
    )
    assert disclosure.subject == "测试导出（第一支部）" and disclosure.subject_key == f"lianxin.job:{job.pk}"


def test_a_running_job_shows_a_bar_that_its_page_polls(world, client_for):
    job = Job.objects.create(
        user=world.users["branch_a1"],
        organization=world.orgs[ORG["branch_a1"]],
        kind="test_rows",
        title="名册",
        status=JobStatus.RUNNING,
        done=1200,
        total=4800,
        heartbeat_at=timezone.now(),
    )
    client = client_for("branch_a1")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert '<progress class="progress" max="4800" value="1200">' in page and "js/job.js" in page
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["status"], state["finished"], state["percent"], state["download"]) == (
        "running",
        False,
        25,
        "",
    )


def test_progress_is_written_about_once_a_second_not_once_a_row(world):
    job = start(world, rows=1)
    ticks = iter(i * 0.01 for i in range(100_000))  # a row every 10 ms
    progress = Progress(job.pk, clock=lambda: next(ticks))
    with CaptureQueriesContext(connection) as queries:
        for n in range(1, 5001):  # 50 seconds of work
            progress(n, 5000)
    assert 50 <= len(queries) <= 52  # the first row, once a second, and the last
    job.refresh_from_db()
    assert (job.done, job.total) == (5000, 5000)


def test_a_refused_job_says_why_in_chinese_and_keeps_no_file(world, client_for):
    job = start(world, kind="test_refuse")
    assert job.status == JobStatus.FAILED and job.error == "所选党组织没有可导出的数据。"
    assert files_of(job) == []
    page = client_for("branch_a1").get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "所选党组织没有可导出的数据。" in page and "下载" not in page.split("<main>")[1]
    assert client_for("branch_a1").get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_crash_is_logged_for_the_administrator_and_told_plainly_to_the_user(world, caplog):
    with caplog.at_level(logging.ERROR, logger="lianxin.jobs"):
        job = start(world, kind="test_crash")
    assert job.status == JobStatus.FAILED
    assert job.error == FAILED_MESSAGE.format(pk=job.pk)
    assert "Traceback" not in job.error and "RuntimeError" not in job.error
    (record,) = [r for r in caplog.records if r.name == "lianxin.jobs"]
    assert record.exc_info and f"Job {job.pk} (test_crash) failed" in record.getMessage()
    # What the configured handler writes: the traceback, with the 身份证号 redacted.
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalNumbers) for f in h.filters)
    ]
    assert handler.filter(record)
    written = handler.format(record)
    assert "RuntimeError" in written and job_kinds.ID_NUMBER not in written and "61058119" not in written


def test_a_stopped_worker_leaves_the_job_failed_and_no_part_of_the_file(world):
    job = start(world, kind="test_stopped", rows=100)
    assert job.status == JobStatus.FAILED and job.error == "任务中断，请重新导出。"
    assert job.done == 50 and not job.file and files_of(job) == []


def test_job_start_needs_the_right_on_the_organization(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        start(world, user="branch_a1", org=ORG["branch_a2"])
    assert not Job.objects.exists()


def test_only_the_owner_reaches_a_job(world, client_for):
    job = start(world, user="committee_a", org=ORG["branch_a1"])
    for persona in ("branch_a1", "county", "committee_b"):
        client = client_for(persona)
        for name in ("jobs:detail", "jobs:status", "jobs:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (persona, name)
        assert "测试导出" not in client.get(reverse("jobs:list")).content.decode()
    assert client_for("committee_a").get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_the_download_needs_the_organization_still_in_scope(world, client_for):
    """A job whose organization left the user's scope (a post ended, a unit moved) is not handed out."""
    job = start(world, rows=2)
    Job.objects.filter(pk=job.pk).update(organization=world.orgs[ORG["branch_a2"]])
    assert client_for("branch_a1").get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert not Disclosure.objects.exists()


def test_a_file_past_its_time_is_expired_and_then_deleted(world, client_for):
    job = start(world, rows=2)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for("branch_a1")
    assert "已过期" in client.get(reverse("jobs:list")).content.decode()
    assert "已超过保留时间" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    fresh = start(world, rows=2)

    call_command("expire_jobs", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not job.file and files_of(job) == []
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.DONE and files_of(fresh) == ["test_rows.txt"]


def test_my_exports_costs_the_same_for_3_jobs_and_for_25(world, client_for):
    client = client_for("branch_a1")
    for _ in range(3):
        start(world, rows=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("jobs:list")).status_code == 200
    for _ in range(22):
        start(world, rows=1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("jobs:list")).content.decode()
    assert page.count('class="card"') == 20 and "第 1 / 2 页" in page
    # session, user, the acting post (base.html), count of the user's jobs, one page of them with
    # their organizations
    assert len(many) == len(few) == 5, [q["sql"] for q in many]


def test_a_job_left_running_by_a_dead_process_is_failed_and_its_part_removed(world):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    pid = int(dead.stdout)
    job = start(world, rows=2)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker=f"{socket.gethostname()}:{pid}:0000", finished_at=None
    )
    assert files_of(job) == ["test_rows.txt"]  # as if the dead worker had begun saving it
    assert recovery.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "任务中断，请重新导出。"
    assert files_of(job) == []


def test_running_jobs_elsewhere_are_judged_by_their_progress(world, settings):
    now = timezone.now()
    common = dict(
        user=world.users["branch_a1"],
        organization=world.orgs[ORG["branch_a1"]],
        kind="test_rows",
        title="名册",
        status=JobStatus.RUNNING,
        worker="another-host:12:abcd",
    )
    moving = Job.objects.create(**common, heartbeat_at=now - timedelta(minutes=14))
    silent = Job.objects.create(**common, heartbeat_at=now - timedelta(minutes=16))
    # this very process's pid, but written by an earlier process (a restarted container)
    here_again = Job.objects.create(
        **common | {"worker": f"{socket.gethostname()}:{os.getpid()}:ffff"}, heartbeat_at=now
    )
    assert settings.LIANXIN["JOB_STALE_MINUTES"] == 15
    assert recovery.recover_interrupted() == 2
    assert [Job.objects.get(pk=j.pk).status for j in (moving, silent, here_again)] == [
        JobStatus.RUNNING,
        JobStatus.FAILED,
        JobStatus.FAILED,
    ]


def test_the_same_request_while_it_runs_returns_the_same_job(world):
    running = start(world, rows=5)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.QUEUED)
    assert start(world, rows=5) == running  # a double click, a reloaded page
    assert start(world, rows=6) != running  # other parameters: another job
    finished = start(world, rows=6)
    assert start(world, rows=6) != finished  # a finished one is not reused: the data may have moved on
