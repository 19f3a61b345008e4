"""Report pages and downloads, always for an organization in the user's scope."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lianxin import access, actions, dates, perms
from lianxin.disclosure import disclosure_record
from lianxin.jobs.services import is_big
from lianxin.models import Disclosure, Organization, OrgKind
from lianxin.replica import report_reads
from members import codes
from members.models import Member
from reports import builders, pdf, submissions, xlsx
from reports.jobs import REGISTER_TITLE, ROSTER_TITLE, column_members, member_list_title
from reports.jobviews import start_report_job
from reports.layout import REMARKS, TITLE, column_title, header_html_rows
from reports.models import Submission
from tracing.queries import cases_visible_to

EXPORT = perms.EXPORT_REPORTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org_and_date(request):
    """The organization (?org=, default: the user's outermost) and the date (?as_of=, default today;
    an impossible or absurd date answers 400 with a Chinese message)."""
    orgs = access.scoped(request.user, access.VIEW, Organization.objects.all())
    pk = request.GET.get("org", "")
    org = (
        access.get_or_404(request.user, access.VIEW, orgs, pk=pk)
        if pk.isdigit()
        else orgs.order_by("depth", "path").first()
    )
    if org is None:
        raise Http404
    # Every report view is an action of the same name on the organization (reports/actions.py).
    actions.require(request.user, request.resolver_match.view_name, org)
    as_of = dates.from_query(request, "as_of", default=timezone.localdate())
    return org, min(as_of, timezone.localdate())


def _download(content, filename, content_type, request=None):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    token = request.GET.get("download_token", "") if request else ""
    if token.isdigit():  # tells static/js/busy.js that the file has arrived
        response.set_cookie("lianxin_download", token, max_age=60, samesite="Lax", secure=request.is_secure())
    return response


def _quote(name):
    return quote(name)


def reports_index(request):
    orgs = access.scoped(request.user, EXPORT, Organization.objects.all()).order_by("path")[:500]
    return render(request, "reports/index.html", {"orgs": orgs, "today": timezone.localdate()})


def _members(request, org):
    return access.scoped(
        request.user, access.VIEW, Member.objects.filter(organization__path__startswith=org.path)
    )


@report_reads
def roster_xlsx(request):
    org, as_of = _org_and_date(request)
    if is_big(builders.roster_members(_members(request, org), as_of).count()):
        return start_report_job(request, "roster", org, f"{ROSTER_TITLE}（{org.name}，{as_of}）", as_of=as_of)
    stream = io.BytesIO()
    count = xlsx.write_roster(
        stream,
        builders.roster_rows(_members(request, org), as_of, org.path),
        title="失联党员名册",
        unit=org.name,
        filled_on=as_of,
    )
    disclosure_record(
        user=request.user,
        organization=org,
        kind=Disclosure.Kind.EXPORT,
        subject=f"失联党员名册（{org.name}，{as_of}）",
        fields=["身份证号", "联系电话"],
        count=count,
    )
    return _download(stream.getvalue(), _quote(f"失联党员名册-{org.name}-{as_of}.xlsx"), XLSX, request)


@report_reads
def register_xlsx(request):
    org, as_of = _org_and_date(request)
    cases = cases_visible_to(request.user).filter(organization__path__startswith=org.path)
    if is_big(builders.register_cases(cases, as_of).count()):
        return start_report_job(
            request, "register", org, f"{REGISTER_TITLE}（{org.name}，{as_of}）", as_of=as_of
        )
    stream = io.BytesIO()
    count = xlsx.write_roster(
        stream,
        builders.register_rows(cases, as_of, org.path),
        title="经查找仍然无法取得联系党员登记表",
        unit=org.name,
        filled_on=as_of,
    )
    disclosure_record(
        user=request.user,
        organization=org,
        kind=Disclosure.Kind.EXPORT,
        subject=f"登记表（{org.name}，{as_of}）",
        fields=["身份证号", "联系电话"],
        count=count,
    )
    return _download(
        stream.getvalue(), _quote(f"经查找仍然无法取得联系党员登记表-{org.name}-{as_of}.xlsx"), XLSX, request
    )


@report_reads
def statistics(request):
    org, as_of = _org_and_date(request)
    try:
        rows = builders.statistics_rows(org, as_of, _members(request, org))
        error = ""
    except builders.StatisticsError as exc:
        rows, error = [], str(exc)
    base = reverse("reports:statistics_members")
    table = [
        (
            row,
            [
                (
                    column_title(c),
                    row.counts[c],
                    f"{base}?org={(row.organization or org).pk}&as_of={as_of}&col={c}&table={org.pk}",
                )
                for c in builders.COLUMNS
            ],
        )
        for row in rows
    ]
    return render(
        request,
        "reports/statistics.html",
        {
            "org": org,
            "as_of": as_of,
            "table": table,
            "header": header_html_rows(),
            "title": TITLE,
            "remarks": REMARKS,
            "error": error,
        },
    )


@report_reads
def statistics_xlsx(request):
    org, as_of = _org_and_date(request)
    rows = builders.statistics_rows(org, as_of, _members(request, org))
    stream = io.BytesIO()
    xlsx.write_statistics(stream, rows, unit=org.name, as_of=as_of, filled_on=timezone.localdate())
    return _download(stream.getvalue(), _quote(f"统计表-{org.name}-{as_of}.xlsx"), XLSX, request)


@report_reads
def statistics_members(request):
    """The members behind one number of the 统计表."""
    org, as_of = _org_and_date(request)
    column = request.GET.get("col", "")
    if column not in builders.COLUMNS:
        column = "A"
    rows = builders.statistics_rows(org, as_of, _members(request, org), member_ids=True)
    ids = rows[-1].members[column]
    members = (
        Member.objects.filter(pk__in=ids)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
    # Back to the table the number was clicked in (a unit's row drills into that unit).
    table = request.GET.get("table", "")
    back = f"{reverse('reports:statistics')}?org={table if table.isdigit() else org.pk}&as_of={as_of}"
    return render(
        request,
        "reports/statistics_members.html",
        {
            "org": org,
            "as_of": as_of,
            "column": column,
            "column_title": column_title(column),
            "members": members,
            "back": back,
        },
    )


@report_reads
def record_pdf(request, case_pk):
    case = access.get_or_404(request.user, access.VIEW, cases_visible_to(request.user), pk=case_pk)
    actions.require(request.user, "reports:record_pdf", case)
    content = pdf.record_pdf(case)
    disclosure_record(
        user=request.user,
        organization=case.organization,
        kind=Disclosure.Kind.EXPORT,
        subject=f"全程纪实表：{case.member.name}",
        subject_key=f"tracing.lostcontactcase:{case.pk}",
        fields=["身份证号", "联系电话"],
    )
    return _download(content, _quote(f"全程纪实表-{case.member.name}.pdf"), "application/pdf")


@report_reads
def card_pdf(request, org_pk):
    branch = access.get_or_404(
        request.user, access.VIEW, Organization.objects.filter(kind=OrgKind.BRANCH), pk=org_pk
    )
    actions.require(request.user, "reports:card_pdf", branch)
    checkin = codes.public_url(request, codes.branch_code_path(codes.branch_code(branch)))  # 报到码
    return _download(
        pdf.card_pdf(branch, codes.card_posts(branch), checkin),
        _quote(f"联心卡-{branch.name}.pdf"),
        "application/pdf",
    )


def submission_status(request):
    """逐级报: this unit's own submission for the census date, and the units directly below."""
    org, as_of = _org_and_date(request)
    return render(
        request,
        "reports/submissions.html",
        {
            "org": org,
            "as_of": as_of,
            "own": submissions.current(org, as_of),
            "children": submissions.status_of_children(org, as_of),
            "returned": Submission.objects.filter(
                organization=org, as_of=as_of, status=Submission.Status.RETURNED
            ),
        },
    )


@require_POST
def submission_submit(request):
    org, as_of = _org_and_date(request)
    back = redirect(f"{reverse('reports:submission_status')}?org={org.pk}&as_of={as_of}")
    if submissions.current(org, as_of):
        messages.error(request, submissions.ALREADY)
        return back
    members = Member.objects.filter(organization__path__startswith=org.path)
    if is_big(builders.roster_members(members, as_of).count()):  # the 名册 is frozen on the worker
        return start_report_job(
            request, "submission", org, f"逐级上报失联党员名册（{org.name}，{as_of}）", as_of=as_of
        )
    try:
        submissions.submission_submit(organization=org, as_of=as_of, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已上报 {org.name} {as_of} 的失联党员名册。")
    return back


@require_POST
def submission_return(request, pk):
    submission = access.get_or_404(
        request.user, access.VIEW, Submission.objects.select_related("organization"), pk=pk
    )
    actions.require(request.user, "reports:submission_return", submission)
    try:
        submissions.submission_return(
            submission=submission, reason=request.POST.get("reason", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已退回 {submission.unit_name} 的名册。")
    parent = Organization.objects.filter(path=submission.organization.path[: -Organization.steplen]).first()
    return redirect(f"{reverse('reports:submission_status')}?org={parent.pk}&as_of={submission.as_of}")


def submission_file(request, pk):
    submission = access.get_or_404(
        request.user, access.VIEW, Submission.objects.select_related("organization"), pk=pk
    )
    actions.require(request.user, "reports:submission_file", submission)
    disclosure_record(
        user=request.user,
        organization=submission.organization,
        kind=Disclosure.Kind.EXPORT,
        subject=f"已上报名册：{submission}",
        fields=["身份证号", "联系电话"],
        count=submission.rows,
    )
    return _download(
        submission.file.read(), _quote(f"失联党员名册-{submission.unit_name}-{submission.as_of}.xlsx"), XLSX
    )


@report_reads
def statistics_members_xlsx(request):
    """The members behind one number of the 统计表 as a list with their full numbers: at once when
    short, on the worker past LIANXIN_JOB_ROWS."""
    org, as_of = _org_and_date(request)
    column = request.GET.get("col", "")
    if column not in builders.COLUMNS:
        column = "A"
    title = member_list_title(column, org, as_of)
    try:
        ids = column_members(request.user, org, as_of, column)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(f"{reverse('reports:statistics')}?org={org.pk}&as_of={as_of}")
    if is_big(len(ids)):
        return start_report_job(request, "statistics_members", org, title, as_of=as_of, column=column)
    stream = io.BytesIO()
    count = xlsx.write_member_list(
        stream,
        builders.member_list_rows(ids),
        title=f"统计表 {column} 列名单",
        unit=org.name,
        filled_on=as_of,
    )
    disclosure_record(
        user=request.user,
        organization=org,
        kind=Disclosure.Kind.EXPORT,
        subject=title,
        fields=["身份证号", "联系电话"],
        count=count,
    )
    return _download(
        stream.getvalue(), _quote(f"统计表{column}列名单-{org.name}-{as_of}.xlsx"), XLSX, request
    )
