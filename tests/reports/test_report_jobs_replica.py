"""A report run on the worker reads from the streaming standby, as its page would; a job asked by a
browser that has just written reads the primary (see tests/reports/test_replica.py)."""

import io

import openpyxl
import pytest

from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.services import job_start
from tests.conftest import ORG
from tests.reports.test_replica import (  # noqa: F401  (its fixtures, and its marks: pytestmark)
    WRITES,
    committed_world,
    pytestmark,
    queries_per_alias,
    shared_standby,
    sql,
    touches,
)


def _roster_job(world, primary_reads):
    return job_start(
        acting_user=world.users["county"],
        kind="roster",
        organization=world.orgs[ORG["county"]],
        title="失联党员名册",
        params={"as_of": str(world.case.opened_on)},
        primary_reads=primary_reads,
    )


@pytest.mark.counters_unchecked
def test_a_roster_job_reads_the_standby_and_writes_only_the_primary(shared_standby, committed_world):  # noqa: F811  (the fixtures imported above)
    with queries_per_alias() as (primary, standby):
        job = _roster_job(committed_world, primary_reads=False)
    assert job.status == JobStatus.DONE and job.rows == 1, job.error
    on_primary, on_replica = sql(primary), sql(standby)
    assert touches(on_replica, "members_member")  # the roster's rows
    assert not touches(on_primary, "members_member")
    assert touches(on_primary, "lianxin_organizationuserpermission")  # who may see what: the primary
    assert not [s for s in on_replica if s.lstrip().upper().startswith(WRITES)]
    assert touches(on_primary, "lianxin_job")
    with Job.objects.get(pk=job.pk).file.open("rb") as f:
        rows = openpyxl.load_workbook(io.BytesIO(f.read())).active.iter_rows(values_only=True)
        assert any("张三" in row for row in rows)


def test_a_roster_job_of_a_browser_that_just_wrote_reads_the_primary(shared_standby, committed_world):  # noqa: F811  (the fixtures imported above)
    with queries_per_alias() as (primary, standby):
        job = _roster_job(committed_world, primary_reads=True)
    assert job.status == JobStatus.DONE and job.rows == 1
    assert touches(sql(primary), "members_member") and sql(standby) == []
