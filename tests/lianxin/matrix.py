"""Access-matrix entries of the core's own pages under a namespace: 我的导出 (see tests/access_matrix.py)."""

from tests.access_matrix import BRANCH_A1, Entry

# A job is its owner's alone: the levels above see their own exports, never another user's.
NOT_THEIRS = {"committee_a": 404, "county": 404}


def _job(world):
    from lianxin.jobs.services import job_start
    from tests.lianxin import job_kinds  # noqa: F401  (registers the test kinds)

    job = job_start(
        acting_user=world.users["branch_a1"],
        kind="test_rows",
        organization=world.orgs[BRANCH_A1],
        title="测试导出",
        params={"rows": 2},
    )
    return {"pk": job.pk}


ENTRIES = {
    "jobs:list": Entry(),
    "jobs:detail": Entry(build=_job, expect_get=NOT_THEIRS),
    "jobs:status": Entry(build=_job, expect_get=NOT_THEIRS),
    "jobs:download": Entry(build=_job, expect_get=NOT_THEIRS),
}
