"""The branch's side of 归队码: the codes (show, print, 重新生成) and the 成员自报 to confirm or reject."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lianxin import access, perms
from lianxin.formerrors import apply_validation_error
from lianxin.models import Organization, OrgKind
from lianxin.pages import form_page
from lianxin.pagination import paginate, query_without_page
from members import codes, rollcall, selfreports
from members.models import Member, SelfReport, SelfReportStatus

MANAGE = perms.MANAGE_MEMBERS


class ConfirmForm(forms.Form):
    update_record = forms.BooleanField(
        label="用自报的居住地、工作单位和联系电话更新党员信息", required=False, initial=True
    )
    close_case = forms.BooleanField(label="同时结束查找（已取得联系）", required=False)

    def __init__(self, *args, open_search=None, **kwargs):
        super().__init__(*args, **kwargs)
        if open_search is None:
            del self.fields["close_case"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="驳回理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：核实不是本人填写；与已有记录重复",
    )


def _report_or_404(request, pk, perm=access.VIEW):
    report = access.get_or_404(
        request.user,
        access.VIEW,
        SelfReport.objects.select_related("member__organization", "decided_by", "contact_record"),
        pk=pk,
    )
    access.require(request.user, perm, report)
    return report


def selfreport_list(request):
    """成员自报: the ones waiting first (the 工作台's panel counts them), all of them with ?all=1."""
    reports = access.scoped(
        request.user, access.VIEW, SelfReport.objects.select_related("member__organization")
    )
    show_all = request.GET.get("all") == "1"
    if not show_all:
        reports = reports.filter(status=SelfReportStatus.PENDING).order_by("received_at", "pk")
    else:
        reports = reports.order_by("-received_at", "-pk")
    # The branches whose 报到码 the user may show (a secretary's own; never a province's).
    manageable = access.scoped(request.user, MANAGE, Organization.objects.filter(kind=OrgKind.BRANCH))
    return render(
        request,
        "members/selfreport_list.html",
        {
            "page": paginate(request, reports),
            "show_all": show_all,
            "query": query_without_page(request),
            "branches": list(manageable.order_by("path")[:20]),
        },
    )


def selfreport_detail(request, pk):
    report = _report_or_404(request, pk)
    can_decide = report.is_pending and access.can(request.user, MANAGE, report)
    return render(
        request,
        "members/selfreport_detail.html",
        {
            "report": report,
            "member": report.member,
            "can_decide": can_decide,
            "open_search": rollcall.open_searches([report.member_id]).get(report.member_id),
        },
    )


def _decision_page(request, report, form, title, intro, submit_label):
    return render(
        request,
        "members/selfreport_decide.html",
        {
            "form": form,
            "report": report,
            "title": title,
            "subject": f"{report.member.name} · {report.get_via_display()}",
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": reverse("members:selfreport_detail", args=[report.pk]),
        },
    )


def selfreport_confirm(request, pk):
    report = _report_or_404(request, pk, MANAGE)
    if not report.is_pending:
        messages.info(request, f"该自报已{report.get_status_display()}。")
        return redirect("members:selfreport_detail", pk=report.pk)
    search = rollcall.open_searches([report.member_id]).get(report.member_id)
    form = ConfirmForm(request.POST or None, open_search=search)
    if request.method == "POST" and form.is_valid():
        try:
            selfreports.selfreport_confirm(
                report=report,
                acting_user=request.user,
                update_record=form.cleaned_data["update_record"],
                close_case=form.cleaned_data.get("close_case", False),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            member = Member.objects.get(pk=report.member_id)
            done = "，查找已结束（已取得联系）" if form.cleaned_data.get("close_case") else ""
            messages.success(
                request,
                f"已确认成员自报{done}。{member.name}目前联系状态：{member.get_contact_status_display()}。",
            )
            if search is not None and not form.cleaned_data.get("close_case"):
                messages.info(request, "已在查找案件中登记“本人自报”取得联系，核实后请在案件中结束查找。")
            return redirect("members:member_detail", pk=member.pk)
    intro = (
        "确认前请先打电话核实是本人填写。确认后登记为一次“成员自报”联系，党员的最近联系日期和联系状态随之更新"
    )
    intro += "；该党员有正在查找的失联案件，将在案件中登记一次“本人自报”取得联系。" if search else "。"
    return _decision_page(request, report, form, "确认成员自报", intro, "确认")


def selfreport_reject(request, pk):
    report = _report_or_404(request, pk, MANAGE)
    if not report.is_pending:
        messages.info(request, f"该自报已{report.get_status_display()}。")
        return redirect("members:selfreport_detail", pk=report.pk)
    return form_page(
        request,
        RejectForm(request.POST or None),
        save=lambda data: selfreports.selfreport_reject(
            report=report, reason=data["reason"], acting_user=request.user
        ),
        title="驳回成员自报",
        subject=f"{report.member.name} · {report.get_via_display()}",
        intro="驳回后该自报不计为联系，党员的联系状态不变；驳回理由记入变更记录。",
        submit_label="驳回",
        done="已驳回该成员自报，党员的联系状态未改变。",
        next_url=reverse("members:selfreport_detail", args=[report.pk]),
        template="members/selfreport_decide.html",
        context={"report": report},
    )


class RotateForm(forms.Form):
    confirm = forms.BooleanField(label="我知道：已发出或已打印的旧二维码将立即失效")


def member_code(request, pk):
    """归队码: the link and QR the secretary sends or prints; 重新生成 on the same page."""
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=pk
    )
    access.require(request.user, MANAGE, member)
    url = codes.public_url(request, codes.member_code_path(codes.member_code(member)))
    return render(
        request,
        "members/member_code.html",
        {"member": member, "url": url, "qr": codes.qr_data_uri(url), "form": RotateForm()},
    )


@require_POST
def member_code_rotate(request, pk):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=pk
    )
    access.require(request.user, MANAGE, member)
    if RotateForm(request.POST).is_valid():
        codes.member_code_rotate(member=member, acting_user=request.user)
        messages.success(request, "已重新生成归队码，旧的二维码和链接已失效。")
    else:
        messages.error(request, "请勾选确认后再重新生成。")
    return redirect("members:member_code", pk=member.pk)


def _branch_or_404(request, org_pk):
    branch = access.get_or_404(
        request.user, access.VIEW, Organization.objects.filter(kind=OrgKind.BRANCH), pk=org_pk
    )
    access.require(request.user, MANAGE, branch)
    return branch


def branch_code(request, org_pk):
    """报到码: for posters and the 支部微信群."""
    branch = _branch_or_404(request, org_pk)
    url = codes.public_url(request, codes.branch_code_path(codes.branch_code(branch)))
    return render(
        request,
        "members/branch_code.html",
        {
            "branch": branch,
            "url": url,
            "qr": codes.qr_data_uri(url),
            "form": RotateForm(),
            "can_print": access.can(request.user, perms.EXPORT_REPORTS, branch),
        },
    )


@require_POST
def branch_code_rotate(request, org_pk):
    branch = _branch_or_404(request, org_pk)
    if RotateForm(request.POST).is_valid():
        codes.branch_code_rotate(organization=branch, acting_user=request.user)
        messages.success(request, "已重新生成报到码，旧的二维码和链接已失效，请更换海报和群公告。")
    else:
        messages.error(request, "请勾选确认后再重新生成。")
    return redirect("members:branch_code", org_pk=branch.pk)
