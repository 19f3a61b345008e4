"""The reports' long work, run on the worker (lianxin/jobs): each kind reads its rows again within
the scope of the user who asked, as the page would have, and writes the file.

- roster, register: the 《失联党员名册》 and the 登记表 of a big subtree (xlsx);
- statistics_members: the members behind one number of the 统计表 (its drill-down), as a list;
- submission: 逐级报 of a big subtree (the frozen 名册 is written on the worker);
- records: the 全程纪实表 of every case of a unit closed within a period, one PDF each, in a zip.
"""

import zipfile
from datetime import date

from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin import access, perms
from lianxin.jobs.registry import Outcome, counted, register
from members.models import Member
from reports import builders, pdf, submissions, xlsx
from tracing.models import CaseStatus, LostContactCase
from tracing.queries import cases_visible_to

EXPORT = perms.EXPORT_REPORTS
ZIP = "application/zip"
ROSTER_TITLE = "失联党员名册"
REGISTER_TITLE = "经查找仍然无法取得联系党员登记表"
BACK_TO_REPORTS = ("报表", lambda job: reverse("reports:index"))


def scope_members(user, organization):
    """The members of `organization`'s subtree that `user` may see (as the report pages read them)."""
    members = Member.objects.filter(organization__path__startswith=organization.path)
    return access.scoped(user, access.VIEW, members)


def scope_cases(user, organization):
    return cases_visible_to(user).filter(organization__path__startswith=organization.path)


def run_roster(job, output, progress):
    org, as_of = job.organization, date.fromisoformat(job.params["as_of"])
    members = scope_members(job.user, org)
    total = builders.roster_members(members, as_of).count()
    progress(0, total)
    count = xlsx.write_roster(
        output,
        counted(builders.roster_rows(members, as_of, org.path), progress, total),
        title=ROSTER_TITLE,
        unit=org.name,
        filled_on=as_of,
    )
    return Outcome(filename=f"{ROSTER_TITLE}-{org.name}-{as_of}.xlsx", rows=count, summary=f"共 {count} 人。")


def run_register(job, output, progress):
    org, as_of = job.organization, date.fromisoformat(job.params["as_of"])
    cases = scope_cases(job.user, org)
    total = builders.register_cases(cases, as_of).count()
    progress(0, total)
    count = xlsx.write_roster(
        output,
        counted(builders.register_rows(cases, as_of, org.path), progress, total),
        title=REGISTER_TITLE,
        unit=org.name,
        filled_on=as_of,
    )
    return Outcome(
        filename=f"{REGISTER_TITLE}-{org.name}-{as_of}.xlsx", rows=count, summary=f"共 {count} 人。"
    )


def column_members(user, organization, as_of, column):
    """The ids behind one column of the organization's 统计表 (its total row), in `user`'s scope."""
    try:
        rows = builders.statistics_rows(
            organization, as_of, scope_members(user, organization), member_ids=True
        )
    except builders.StatisticsError:
        raise ValidationError("统计表关系校验未通过，请先在统计表页面查看并处理后再导出。") from None
    return rows[-1].members[column]


def member_list_title(column, organization, as_of):
    return f"统计表 {column} 列名单（{organization.name}，{as_of}）"


def run_statistics_members(job, output, progress):
    org, as_of, column = job.organization, date.fromisoformat(job.params["as_of"]), job.params["column"]
    ids = column_members(job.user, org, as_of, column)
    progress(0, len(ids))
    count = xlsx.write_member_list(
        output,
        counted(builders.member_list_rows(ids), progress, len(ids)),
        title=f"统计表 {column} 列名单",
        unit=org.name,
        filled_on=as_of,
    )
    return Outcome(
        filename=f"统计表{column}列名单-{org.name}-{as_of}.xlsx", rows=count, summary=f"共 {count} 人。"
    )


def run_submission(job, output, progress):
    as_of = date.fromisoformat(job.params["as_of"])
    submission = submissions.submission_submit(
        organization=job.organization, as_of=as_of, acting_user=job.user, progress=progress
    )
    return Outcome(summary=f"已上报 {submission.unit_name} {as_of} 的失联党员名册，共 {submission.rows} 人。")


def _submission_status(job):
    return f"{reverse('reports:submission_status')}?org={job.organization_id}&as_of={job.params['as_of']}"


def closed_cases(user, organization, closed_from, closed_to):
    """The cases of `organization`'s subtree closed within the period, that `user` may export."""
    cases = LostContactCase.objects.filter(
        organization__path__startswith=organization.path,
        closed_on__gte=closed_from,
        closed_on__lte=closed_to,
    ).exclude(status=CaseStatus.OPEN)
    return access.scoped(user, EXPORT, cases)


def _entry_name(number, case):
    name = f"{number:04d}-{case.organization.name}-{case.member.name}.pdf"
    return name.replace("/", "／").replace("\\", "＼")


def run_records(job, output, progress):
    period = (date.fromisoformat(job.params["closed_from"]), date.fromisoformat(job.params["closed_to"]))
    cases = closed_cases(job.user, job.organization, *period).select_related("member", "organization")
    total = cases.count()
    if not total:
        raise ValidationError("该期间没有已结案的案件。")
    progress(0, total)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        # PDFs are compressed already; storing them costs nothing and keeps the worker's CPU for them.
        ordered = cases.order_by("organization__path", "closed_on", "pk").iterator()
        for number, (case, content) in enumerate(pdf.record_pdfs(ordered), 1):
            archive.writestr(_entry_name(number, case), content)
            progress(number, total)
    return Outcome(
        filename=f"全程纪实表-{job.organization.name}-{period[0]}至{period[1]}.zip",
        rows=total,
        summary=f"共 {total} 件案件的全程纪实表（每件一式四份）。",
    )


REPORT = {"back": BACK_TO_REPORTS, "replica_reads": True}
register("roster", label=ROSTER_TITLE, run=run_roster, **REPORT)
register("register", label=REGISTER_TITLE, run=run_register, **REPORT)
register("statistics_members", label="统计表名单", run=run_statistics_members, **REPORT)
register(
    "submission",
    label="逐级上报失联党员名册",
    run=run_submission,
    personal=False,  # leaves no file here: the 名册 is the Submission's, downloaded (and recorded) there
    back=("逐级上报", _submission_status),
    interrupted="任务中断，名册未上报，请重新上报。",
)
register(
    "records",
    label="全程纪实表（批量）",
    run=run_records,
    suffix=".zip",
    content_type=ZIP,
    back=BACK_TO_REPORTS,
)
