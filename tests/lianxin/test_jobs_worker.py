"""Jobs on the real queue: django-tasks-db's database backend and its `db_worker`, in this process
and in a worker process killed half-way through a file (on SQLite and on PostgreSQL)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from lianxin import daily
from lianxin.jobs import recovery
from lianxin.jobs.models import JobStatus
from lianxin.jobs.services import job_start
from lianxin.models import DailyRun
from lianxin.storage import private_storage
from tests.conftest import ORG
from tests.lianxin import job_kinds  # noqa: F401  (registers the test kinds)

BACKEND = "django_tasks_db.DatabaseBackend"
TODAY = timezone.localdate()


@pytest.fixture
def database_queue():
    """The default task backend is django-tasks-db's, as in production, for this test."""
    task_backends["default"] = DatabaseBackend("default", {"BACKEND": BACKEND, "QUEUES": ["default"]})
    yield
    del task_backends["default"]


def start(world, kind, rows):
    return job_start(
        acting_user=world.users["branch_a1"],
        kind=kind,
        organization=world.orgs[ORG["branch_a1"]],
        title="测试导出",
        params={"rows": rows},
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_takes_a_queued_job_and_finishes_it(world, database_queue):
    job = start(world, "test_rows", 300)
    assert job.status == JobStatus.QUEUED and job.done == 0
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.READY
    daily.enqueue("expire_jobs", TODAY)  # the daily jobs share the queue and the worker

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.done, job.total, job.rows) == (JobStatus.DONE, 300, 300, 300)
    assert task.status == TaskResultStatus.SUCCESSFUL and task.task_path == "lianxin.tasks.run_job"
    assert DailyRun.objects.get(day=TODAY, name="expire_jobs").status == DailyRun.Status.SUCCEEDED
    with job.file.open("rb") as f:
        assert f.read().decode().count("行\n") == 300


def _database_url_for_child(tmp_path):
    """A URL to the test database that a child process can open; on SQLite, a file copy of the
    in-memory test database (copied back afterwards by `_back_from_child`)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "child.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _back_from_child(tmp_path):
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "child.sqlite3") as copy:
            copy.backup(connection.connection)


CHILD = (
    "import django; django.setup(); import tests.lianxin.job_kinds; "
    "from django.core.management import call_command; "
    "call_command('db_worker', '--batch', '--no-startup-delay', '--no-reload', verbosity=0)"
)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_file_leaves_no_file_marked_done(world, database_queue, tmp_path):
    job = start(world, "test_killed", 4000)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_child(tmp_path),
        "TASKS_BACKEND": BACKEND,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=Path(settings.BASE_DIR), env=env, capture_output=True, timeout=300
    )
    assert child.returncode == -9, child.stderr.decode()[-2000:]
    _back_from_child(tmp_path)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.file
    assert job.worker.split(":")[1] != str(os.getpid())
    # Half a file, under its temporary name only: nothing with the real name, nothing marked done.
    (part,) = private_storage().listdir(f"jobs/{job.pk}")[1]
    assert part == ".test_killed.txt.part"
    assert private_storage().size(f"jobs/{job.pk}/{part}") > 0
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.RUNNING

    # The next worker to start (or the daily expire_jobs) finds it: its process is gone.
    assert recovery.recover_interrupted() == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "任务中断，请重新导出。")
    assert not private_storage().exists(f"jobs/{job.pk}")
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.FAILED


def test_the_worker_yields_the_cpu_to_the_pages():
    """`db_worker` lowers its own priority once, to WORKER_NICENESS, and never back up."""
    from tests.lianxin.test_wsgi import python_says

    (niceness,) = python_says(
        "import os, django; django.setup();"
        "from lianxin.management.commands.db_worker import lower_priority;"
        "lower_priority(7); lower_priority(7); lower_priority(3);"
        "print(os.getpriority(os.PRIO_PROCESS, 0))"
    )
    assert int(niceness) == max(os.getpriority(os.PRIO_PROCESS, 0), 7)
