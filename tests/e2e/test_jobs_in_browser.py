"""A job's page in a real browser: the bar follows the worker's progress (polled every second,
under the strict CSP), the page turns into the download when the job is done, and 我的导出 fits
a phone."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.runner import worker_name
from lianxin.jobs.services import job_start
from tests.lianxin import job_kinds  # noqa: F401  (registers the test kinds)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_bar_moves_with_the_worker_and_the_file_follows(world, org, session):
    job = job_start(
        acting_user=world.users["branch_a1"],
        kind="test_rows",
        organization=org("branch_a1"),
        title="失联党员名册（测试）",
        params={"rows": 100},
    )
    # As if a worker in this very process were a tenth of the way through it.
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=10, total=100, heartbeat_at=timezone.now(), worker=worker_name()
    )
    page = session.page
    session.login("branch_a1")
    session.go(f"/jobs/{job.pk}/")
    assert page.get_attribute("progress", "value") == "10"
    session.shot("running")

    Job.objects.filter(pk=job.pk).update(done=60, heartbeat_at=timezone.now())
    expect(page.locator("#job-done")).to_have_text("60")
    assert page.evaluate("document.querySelector('progress').value") == 60

    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=100)
    page.wait_for_selector("text=下载 测试文件.txt")  # the page reloaded itself
    session.shot("done")
    with page.expect_download() as download:
        page.click("text=下载 测试文件.txt")
    assert download.value.suggested_filename == "测试文件.txt"
    assert Path(download.value.path()).read_text(encoding="utf-8").count("行\n") == 100


def test_my_exports_on_a_phone(world, org, session):
    for rows in (3, 4):
        job_start(
            acting_user=world.users["branch_a1"],
            kind="test_rows",
            organization=org("branch_a1"),
            title="经查找仍然无法取得联系党员登记表（华阳县城关镇第一党支部，2026-11-30）",
            params={"rows": rows},
        )
    page = session.page
    page.set_viewport_size({"width": 390, "height": 844})
    session.login("branch_a1")
    session.go("/jobs/")
    assert page.locator("ul.jobs li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.shot("my-exports-phone")


def test_the_administrators_tasks_page_on_a_phone(world, org, session):
    """/tasks/: everybody's jobs (a failure with its reason, one still running) above the daily jobs."""
    job_start(
        acting_user=world.users["branch_a1"],
        kind="test_refuse",
        organization=org("branch_a1"),
        title="经查找仍然无法取得联系党员登记表（华阳县城关镇第一党支部，2026-11-30）",
        params={"rows": 5},
    )
    running = job_start(
        acting_user=world.users["branch_a1"],
        kind="test_rows",
        organization=org("branch_a1"),
        title="失联党员名册（测试）",
        params={"rows": 5},
    )
    Job.objects.filter(pk=running.pk).update(
        status=JobStatus.RUNNING, done=2, total=5, heartbeat_at=timezone.now(), worker=worker_name()
    )
    page = session.page
    page.set_viewport_size({"width": 390, "height": 844})
    session.login("admin")
    session.go("/tasks/")
    assert page.locator("text=所选党组织没有可导出的数据。").count() == 1
    assert page.locator("text=已完成 2 / 5").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.shot("tasks-phone")
