"""Report work on the worker: the batch of 全程纪实表 PDFs as one zip (tests run tasks at once)."""

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.jobs.models import Job, JobStatus
from lianxin.jobs.services import job_start
from lianxin.models import Disclosure
from reports.models import Submission
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus

PERIOD = {"closed_from": "2026-01-01", "closed_to": "2026-09-30"}


@pytest.fixture
def closed_cases(world, org):
    """Three cases of committee_a closed in the period; others open, closed before, or elsewhere."""

    def case(branch, name, status=CaseStatus.UNREACHABLE, closed_on=date(2026, 9, 1)):
        member = MemberFactory(organization=org(branch), name=name)
        return CaseFactory(
            member=member,
            opened_by=world.users["branch_a1"],
            status=status,
            closed_on=None if status == CaseStatus.OPEN else closed_on,
        )

    inside = [
        case("branch_a1", "甲已结", closed_on=date(2026, 3, 1)),
        case("branch_a1", "乙已结", status=CaseStatus.CONTACTED),
        case("branch_a2", "丙已结", status=CaseStatus.DECEASED),
    ]
    case("branch_a1", "丁查找中", status=CaseStatus.OPEN)
    case("branch_a1", "戊去年结", closed_on=date(2025, 12, 31))
    case("branch_b1", "己别的党委")
    return inside


def test_a_committee_gets_the_records_of_its_closed_cases_as_one_zip(world, org, client_for, closed_cases):
    client = client_for("committee_a")
    response = client.post(
        reverse("reports:records_batch"), {"organization": org("committee_a").pk, **PERIOD}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "records" and job.status == JobStatus.DONE, job.error
    assert (job.done, job.total, job.rows) == (3, 3, 3)
    assert job.title == f"全程纪实表（{org('committee_a').name}，2026-01-01 至 2026-09-30 结案，3 件）"
    assert job.params == PERIOD  # dates only: no personal numbers in the queue

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 3 and [n[:5] for n in names] == ["0001-", "0002-", "0003-"]
    assert {n.rsplit("-", 1)[1] for n in names} == {"甲已结.pdf", "乙已结.pdf", "丙已结.pdf"}
    assert all(archive.read(n).startswith(b"%PDF") for n in names)
    disclosure = Disclosure.objects.get()
    assert (disclosure.user, disclosure.organization, disclosure.count) == (
        world.users["committee_a"],
        org("committee_a"),
        3,
    )


def test_a_unit_outside_the_scope_cannot_be_chosen(world, org, client_for, closed_cases):
    response = client_for("committee_b").post(
        reverse("reports:records_batch"), {"organization": org("committee_a").pk, **PERIOD}
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Job.objects.exists()


def test_a_period_without_closed_cases_is_said_and_starts_nothing(world, org, client_for, closed_cases):
    response = client_for("committee_a").post(
        reverse("reports:records_batch"),
        {"organization": org("committee_a").pk, "closed_from": "2024-01-01", "closed_to": "2024-12-31"},
    )
    expected = f"{org('committee_a').name}在 2024-01-01 至 2024-12-31 期间没有已结案的案件。"
    assert expected in response.content.decode()
    assert not Job.objects.exists()


def test_the_period_must_be_in_order_and_not_in_the_future(world, org, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = client_for("committee_a")
    backwards = client.post(
        reverse("reports:records_batch"),
        {"organization": org("committee_a").pk, "closed_from": "2026-05-01", "closed_to": "2026-04-01"},
    )
    assert backwards.context["form"].errors["closed_to"] == ["结束日期不能早于开始日期。"]
    assert 'value="2026-05-01"' in backwards.content.decode()  # the input is kept
    future = client.post(
        reverse("reports:records_batch"),
        {"organization": org("committee_a").pk, "closed_from": "2026-01-01", "closed_to": str(tomorrow)},
    )
    assert future.context["form"].errors["closed_to"] == ["结束日期不能晚于今天。"]
    assert not Job.objects.exists()


def test_the_reports_page_links_to_the_batch_and_to_my_exports(world, client_for):
    page = client_for("committee_a").get(reverse("reports:index")).content.decode()
    assert reverse("reports:records_batch") in page and reverse("jobs:list") in page


def _xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]


def test_a_roster_on_the_worker_is_the_roster_of_the_page(world, org, client_for):
    for n in range(3):
        lost = MemberFactory(organization=org("branch_a1"), name=f"失联{n}", last_contact_on=date(2025, 1, 1))
        CaseFactory(member=lost, opened_by=world.users["branch_a1"], lost_since=date(2025, 1, 1))
    client = client_for("committee_a")
    job = job_start(
        acting_user=world.users["committee_a"],
        kind="roster",
        organization=org("committee_a"),
        title="名册",
        params={"as_of": "2026-11-01"},
    )
    assert job.status == JobStatus.DONE and (job.done, job.total, job.rows) == (3, 3, 3)
    assert job.filename == f"失联党员名册-{org('committee_a').name}-2026-11-01.xlsx"
    from_job = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    from_page = client.get(
        reverse("reports:roster_xlsx"), {"org": org("committee_a").pk, "as_of": "2026-11-01"}
    ).content
    assert _xlsx_rows(from_job) == _xlsx_rows(from_page) and len(_xlsx_rows(from_job)) == 3


def test_a_register_on_the_worker_lists_the_cases_after_the_second_search(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), name="赵仍未联", last_contact_on=date(2025, 1, 1))
    CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=date(2026, 8, 1),
        second_search_done_on=date(2026, 9, 1),
    )
    job = job_start(
        acting_user=world.users["committee_a"],
        kind="register",
        organization=org("committee_a"),
        title="登记表",
        params={"as_of": "2026-11-01"},
    )
    assert (job.status, job.total, job.rows) == (JobStatus.DONE, 1, 1)
    content = b"".join(
        client_for("committee_a").get(reverse("jobs:download", args=[job.pk])).streaming_content
    )
    assert [row[1] for row in _xlsx_rows(content)] == ["赵仍未联"]


def test_a_submission_on_the_worker_freezes_the_roster_and_links_back(world, org, client_for):
    lost = MemberFactory(organization=org("branch_a1"), name="孙失联", last_contact_on=date(2025, 1, 1))
    CaseFactory(member=lost, opened_by=world.users["branch_a1"], lost_since=date(2025, 1, 1))
    job = job_start(
        acting_user=world.users["branch_a1"],
        kind="submission",
        organization=org("branch_a1"),
        title="逐级上报",
        params={"as_of": "2026-11-01"},
    )
    assert job.status == JobStatus.DONE and not job.file and (job.done, job.total) == (1, 1)
    submission = Submission.objects.get()
    assert (submission.rows, submission.submitted_by) == (1, world.users["branch_a1"])
    assert job.summary == f"已上报 {org('branch_a1').name} 2026-11-01 的失联党员名册，共 1 人。"
    page = client_for("branch_a1").get(reverse("jobs:detail", args=[job.pk])).content.decode()
    back = f"{reverse('reports:submission_status')}?org={org('branch_a1').pk}&amp;as_of=2026-11-01"
    assert f'<a href="{back}">返回逐级上报</a>' in page and job.summary in page
    again = job_start(
        acting_user=world.users["branch_a1"],
        kind="submission",
        organization=org("branch_a1"),
        title="逐级上报",
        params={"as_of": "2026-11-01"},
    )
    assert (
        again.status == JobStatus.FAILED
        and again.error == "该排查日期的名册已上报；如需修改，请上级党组织先退回。"
    )


@pytest.fixture
def small_threshold(settings):
    """Exports of more than two rows go to the worker."""
    settings.LIANXIN = {**settings.LIANXIN, "JOB_ROWS": 2}


@pytest.fixture
def three_lost(world, org):
    members = []
    for n, branch in enumerate(("branch_a1", "branch_a1", "branch_a2")):
        lost = MemberFactory(organization=org(branch), name=f"失联{n}", last_contact_on=date(2025, 1, 1))
        CaseFactory(member=lost, opened_by=world.users["branch_a1"], lost_since=date(2025, 1, 1))
        members.append(lost)
    return members


def test_a_big_roster_goes_to_the_worker_and_a_small_one_answers_at_once(
    world, org, client_for, three_lost, small_threshold
):
    client = client_for("committee_a")
    query = {"org": org("committee_a").pk, "as_of": "2026-11-01"}
    response = client.get(reverse("reports:roster_xlsx"), query, follow=True)
    job = Job.objects.get()
    assert response.redirect_chain == [(reverse("jobs:detail", args=[job.pk]), 302)]
    assert "数据量较大，已转入后台生成" in response.content.decode()
    assert (job.kind, job.status, job.rows, job.params) == (
        "roster",
        JobStatus.DONE,
        3,
        {"as_of": "2026-11-01"},
    )
    assert not Disclosure.objects.exists()  # recorded when the file is downloaded, not when it is made
    small = client.get(reverse("reports:roster_xlsx"), {"org": org("branch_a1").pk, "as_of": "2026-11-01"})
    assert small["Content-Type"].startswith("application/vnd.openxmlformats") and Job.objects.count() == 1


def test_a_big_register_goes_to_the_worker(world, org, client_for, small_threshold):
    for n in range(3):
        member = MemberFactory(
            organization=org("branch_a1"), name=f"未联{n}", last_contact_on=date(2025, 1, 1)
        )
        CaseFactory(
            member=member,
            opened_by=world.users["branch_a1"],
            status=CaseStatus.UNREACHABLE,
            closed_on=date(2026, 8, 1),
            second_search_done_on=date(2026, 9, 1),
        )
    response = client_for("county").get(
        reverse("reports:register_xlsx"), {"org": org("county").pk, "as_of": "2026-11-01"}
    )
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.total, job.rows) == ("register", JobStatus.DONE, 3, 3)


def test_the_drill_down_exports_its_members_at_once_or_on_the_worker(
    world, org, client_for, three_lost, settings
):
    client = client_for("committee_a")
    page = client.get(reverse("reports:statistics_members"), {"org": org("committee_a").pk, "col": "W"})
    assert reverse("reports:statistics_members_xlsx") in page.content.decode()
    query = {"org": org("committee_a").pk, "as_of": timezone.localdate().isoformat(), "col": "W"}
    response = client.get(reverse("reports:statistics_members_xlsx"), query)
    rows = _xlsx_rows(response.content)
    assert [row[1] for row in rows] == ["失联0", "失联1", "失联2"]
    assert rows[0][4] == three_lost[0].id_number and rows[0][5] == three_lost[0].phone
    log = Disclosure.objects.get()
    assert log.count == 3 and log.subject.startswith("统计表 W 列名单")

    settings.LIANXIN = {**settings.LIANXIN, "JOB_ROWS": 2}
    response = client.get(reverse("reports:statistics_members_xlsx"), query)
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.rows, job.params["column"]) == (
        "statistics_members",
        JobStatus.DONE,
        3,
        "W",
    )
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert _xlsx_rows(content) == rows


def test_a_big_submission_is_frozen_on_the_worker(world, org, client_for, three_lost, small_threshold):
    client = client_for("committee_a")
    url = reverse("reports:submission_submit") + f"?org={org('committee_a').pk}&as_of=2026-11-01"
    response = client.post(url)
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "submission" and job.status == JobStatus.DONE, job.error
    assert Submission.objects.get().rows == 3
    again = client.post(url, follow=True)
    assert "该排查日期的名册已上报" in again.content.decode() and Job.objects.count() == 1
