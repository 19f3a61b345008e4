"""A big 花名册 is confirmed on the worker: the job's page follows it, history names the uploader,
and a job that cannot run writes nothing. (Tests run tasks at once; "big" is made small here.)"""

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.services import job_start
from members.importing.models import ImportBatch
from members.models import Member

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def big_is_two_rows(settings, tmp_path):
    settings.LIANXIN = {**settings.LIANXIN, "JOB_ROWS": 2, "IMPORT_DIR": tmp_path / "imports"}
    return tmp_path / "imports"


def preview(client, org, name="roster_clean.xlsx"):
    with open(DATA / name, "rb") as f:
        page = client.post(reverse("member_import:upload"), {"organization": org.pk, "file": f})
    return page.content.decode(), client.session["member_import"]["token"]


def test_a_big_import_is_confirmed_on_the_worker_with_its_progress(world, client_for, org, big_is_two_rows):
    client = client_for("branch_a1")
    page, token = preview(client, org("branch_a1"))
    assert "将新增 <strong>3</strong> 名" in page and "确认后在后台导入" in page
    response = client.post(reverse("member_import:confirm"), {"token": token}, follow=True)
    job = Job.objects.get()
    assert response.redirect_chain == [(reverse("jobs:detail", args=[job.pk]), 302)]
    assert (job.kind, job.status, job.done, job.total) == (
        "import",
        JobStatus.DONE,
        6,
        6,
    )  # checked + written
    assert job.summary == "导入完成：新增 3 名，更新 0 名，未变化 0 名。"
    assert job.params == {"token": token, "filename": "roster_clean.xlsx", "rows": 3}
    assert not job.file
    body = response.content.decode()
    assert job.summary in body and "返回导入花名册" in body
    assert Member.objects.count() == 3 and ImportBatch.objects.get().user == world.users["branch_a1"]
    history = Member.objects.get(name="钱二").history.first()
    assert history.history_user == world.users["branch_a1"]
    assert not (big_is_two_rows / token).exists()  # the upload is gone once imported
    assert "member_import" not in client.session


def test_an_import_whose_upload_has_gone_writes_nothing_and_says_why(world, client_for, org, big_is_two_rows):
    client = client_for("branch_a1")
    _page, token = preview(client, org("branch_a1"))
    shutil.rmtree(big_is_two_rows / token)  # as if the preview had expired and been cleaned meanwhile
    job = job_start(
        acting_user=world.users["branch_a1"],
        kind="import",
        organization=org("branch_a1"),
        title="导入花名册",
        params={"token": token, "filename": "roster_clean.xlsx", "rows": 3},
    )
    assert job.status == JobStatus.FAILED
    assert job.error == "上传的文件已不在服务器上（超过保留时间），未写入任何数据，请重新上传。"
    assert Member.objects.count() == 0 and not ImportBatch.objects.exists()


def test_only_a_user_who_manages_the_branch_may_start_an_import(world, org, big_is_two_rows):
    with pytest.raises(PermissionDenied):
        job_start(
            acting_user=world.users["committee_a"],  # reviews, does not keep the branch's records
            kind="import",
            organization=org("branch_a1"),
            title="导入花名册",
            params={"token": "x" * 22, "filename": "a.xlsx", "rows": 3},
        )
    assert not Job.objects.exists()


def test_a_small_import_is_still_written_at_once(world, client_for, org, settings, tmp_path):
    settings.LIANXIN = {**settings.LIANXIN, "IMPORT_DIR": tmp_path / "imports"}
    client = client_for("branch_a1")
    page, token = preview(client, org("branch_a1"))
    assert "确认后在后台导入" not in page
    response = client.post(reverse("member_import:confirm"), {"token": token})
    assert response.url == reverse("member_import:upload")
    assert Member.objects.count() == 3 and not Job.objects.exists()
