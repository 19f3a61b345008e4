"""Case pages: the list, a case with its search log, the fast attempt form, closing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lianxin import access
from lianxin.dates import formfield as ranged_formfield
from lianxin.formerrors import apply_validation_error as _apply
from lianxin.models import Organization
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import filter_choices
from members.models import Member
from members.status import add_months
from tracing import services
from tracing.closing import close_conditions, contacted_attempt
from tracing.corrections import attempt_to_correct, correction_initial, mark_corrections
from tracing.forms import (
    AttemptForm,
    CaseEditForm,
    CloseForm,
    OpenCaseForm,
    SecondSearchForm,
)
from tracing.models import CaseStatus, CensusPeriod, Channel, LossReason, SearchAttempt
from tracing.periods import case_lost_period
from tracing.queries import cases_visible_to, is_helper_only

LOG = "log_search"


def _case_or_404(request, pk, perm=access.VIEW):
    case = get_object_or_404(cases_visible_to(request.user), pk=pk)  # the scope, plus 协查 cases
    if perm != access.VIEW or not is_helper_only(request.user, case):
        access.require(request.user, perm, case)
    return case


def case_list(request):
    cases = cases_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(member__name__contains=q)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    band = request.GET.get("band", "")
    today = timezone.localdate()
    if band == "lt1":  # 与党组织失去联系时间: under a year, one to two years, over two years
        cases = cases.filter(lost_since__gt=add_months(today, -12))
    elif band == "1to2":
        cases = cases.filter(lost_since__lte=add_months(today, -12), lost_since__gt=add_months(today, -24))
    elif band == "gt2":
        cases = cases.filter(lost_since__lte=add_months(today, -24))
    reason = request.GET.get("reason", "")
    if reason.isdigit():
        cases = cases.filter(reason=int(reason))
    org = request.GET.get("org", "")
    if org.isdigit():
        branch = access.get_or_404(request.user, access.VIEW, Organization.objects.all(), pk=org)
        cases = cases.filter(organization__path__startswith=branch.path)
    page = paginate(request, cases.order_by("status", "-opened_on", "-pk"))
    # Attempts are counted for the page's rows only: a GROUP BY over the whole scope made the
    # paginator's count scan every search attempt of a province.
    counts = dict(
        SearchAttempt.objects.filter(case__in=[c.pk for c in page.object_list])
        .values_list("case")
        .annotate(n=Count("pk"))
        .values_list("case", "n")
    )
    today = timezone.localdate()
    for case in page.object_list:
        case.duration = case_lost_period(case, today).text
        case.attempt_count = counts.get(case.pk, 0)
    branches = filter_choices(request.user)
    return render(
        request,
        "tracing/case_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "reason": reason,
            "band": band,
            "org": org,
            "statuses": CaseStatus.choices,
            "reasons": LossReason.choices,
            "branches": branches,
            "query": query_without_page(request),
        },
    )


def case_detail(request, pk):
    case = _case_or_404(request, pk)
    attempts = list(case.attempts.select_related("searcher", "supersedes").order_by("searched_at", "pk"))
    last_channel = attempts[-1].channel if attempts else Channel.PHONE
    can_log = access.can(request.user, LOG, case)
    mark_corrections(attempts, case, can_log=can_log)
    # The chain of every disposition in a fixed number of queries (the template walks them).
    prefetch_related_objects([case], "dispositions__steps__acting_user", "dispositions__steps__organization")
    form = AttemptForm(
        initial={"searched_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": last_channel}
    )
    tried = services.channels_tried(case)
    context = {
        "case": case,
        "member": case.member,
        "attempts": attempts,
        "can_log": can_log and case.status == CaseStatus.OPEN,
        "can_second_search": can_log
        and case.status == CaseStatus.UNREACHABLE
        and not case.second_search_done_on
        and case.organization.path != ""
        and access.can(request.user, "review_committee", case),
        "can_edit": access.can(request.user, LOG, case) and case.status == CaseStatus.OPEN,
        "form": form,
        "duration": case_lost_period(case).text,
        "tried": [Channel(c).label for c in sorted(tried)],
        "min_channels": services.min_channels(),
        "breadcrumbs": [o for o in case.organization.chain() if access.can(request.user, access.VIEW, o)],
        "helper_only": is_helper_only(request.user, case),
        "assistance": case.assistance_requests.select_related(
            "to_organization", "requested_by", "answered_by"
        ),
        "can_request_help": can_log and case.status in (CaseStatus.OPEN, CaseStatus.UNREACHABLE),
        "conditions": close_conditions(case, attempts, can_fill=can_log) if case.is_open else [],
        "contacted": contacted_attempt(attempts) if case.is_open else None,
    }
    for item in context["assistance"]:
        item.can_answer = not item.answered_on and access.can(request.user, LOG, item)
    return render(request, "tracing/case_detail.html", context)


def case_open(request, member_pk):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=member_pk
    )
    access.require(request.user, LOG, member)
    initial = {"lost_since": member.last_contact_on or member.joined_on}
    form = OpenCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(member=member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已为{member.name}立案查找。请逐次登记每一次查找。")
            return redirect("tracing:case_detail", pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "立案查找",
            "subject": f"{member.name} · {member.organization.name}",
            "intro": "党员联系不上、失控或失联，党支部都应立即查找：立案后逐次登记每一次查找。",
            "submit_label": "立案",
            "cancel_url": reverse("members:member_detail", args=[member.pk]),
        },
    )


@require_POST
def case_quick_open(request, member_pk):
    """The 工作台's one-click 立案查找, with the derived dates and reason ⑦ until edited."""
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=member_pk
    )
    access.require(request.user, LOG, member)
    try:
        case = services.case_open(
            member=member,
            acting_user=request.user,
            reason=LossReason.OTHER,
            reason_remark="工作台一键立案，待核实失联情形",
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("home")
    messages.success(request, f"已为{member.name}立案查找，请核实失去联系情形并登记查找记录。")
    return redirect("tracing:case_detail", pk=case.pk)


def case_edit(request, pk):
    case = _case_or_404(request, pk, LOG)
    initial = {
        "reason": case.reason,
        "reason_remark": case.reason_remark,
        "findings": case.findings,
        "lost_since": case.lost_since,
    }
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("tracing:case_detail", pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "修改案件信息",
            "subject": str(case.member),
            "cancel_url": reverse("tracing:case_detail", args=[case.pk]),
        },
    )


def attempt_add(request, pk):
    case = _case_or_404(request, pk, access.VIEW)
    original = attempt_to_correct(request, case)
    if original is not None:
        by_committee = original.by_committee
        initial = correction_initial(original)
    else:
        by_committee = request.GET.get("second") == "1" or request.POST.get("second") == "1"
        initial = {"searched_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    # the committee's second search needs the committee's right; any other attempt, log_search
    access.require(request.user, services.COMMITTEE if by_committee else LOG, case)
    form = AttemptForm(
        request.POST or None, request.FILES or None, initial=initial, correcting=original is not None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attempt_log(
                case=case,
                acting_user=request.user,
                channel=data["channel"],
                process=data["process"],
                result=data["result"],
                searched_at=data["searched_at"],
                witness=data["witness"],
                remark=data["remark"],
                attachment=data.get("attachment"),
                supersedes=original,
                correction_reason=data.get("correction_reason", ""),
                by_committee=by_committee,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, "已更正查找记录，原记录保留并标为已更正。" if original else "已登记查找记录。"
            )
            return redirect("tracing:case_detail", pk=case.pk)
    if original is not None:
        title = "更正查找记录"
        intro = (
            f"更正 {timezone.localtime(original.searched_at):%Y-%m-%d %H:%M} 的记录：原记录保留，"
            "显示为已更正（划线），统计以更正后的记录为准。原附件保留在原记录中。"
        )
    else:
        title, intro = ("登记党委再次查找" if by_committee else "登记查找记录"), ""
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "subject": str(case.member),
            "cancel_url": reverse("tracing:case_detail", args=[case.pk]),
        },
    )


def case_close(request, pk):
    case = _case_or_404(request, pk, LOG)
    initial = {"closed_on": timezone.localdate()}
    if request.GET.get("outcome") in CaseStatus.values:
        initial["outcome"] = request.GET["outcome"]
    form = CloseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                case=case,
                acting_user=request.user,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "查找已结束。")
            return redirect("tracing:case_detail", pk=case.pk)
    attempts = list(case.attempts.order_by("searched_at", "pk"))
    return render(
        request,
        "tracing/case_close.html",
        {
            "form": form,
            "case": case,
            "title": "结束查找",
            "subject": str(case.member),
            "conditions": close_conditions(case, attempts, can_fill=True) if case.is_open else [],
            "submit_label": "确认结束查找",
            "cancel_url": reverse("tracing:case_detail", args=[case.pk]),
        },
    )


def second_search_done(request, pk):
    case = _case_or_404(request, pk, "review_committee")
    form = SecondSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_search_complete(
                case=case, acting_user=request.user, findings=form.cleaned_data["findings"]
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "再次查找已完成，该党员已列入《经查找仍然无法取得联系党员登记表》。")
            return redirect("tracing:case_detail", pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "完成党委再次查找",
            "subject": str(case.member),
            "submit_label": "确认完成",
            "cancel_url": reverse("tracing:case_detail", args=[case.pk]),
        },
    )


def lost_without_case(user):
    """失联 members in scope (over six months, judged from today) with no open case."""
    from members.status import lost_threshold

    today = timezone.localdate()
    return (
        access.scoped(user, access.VIEW, Member.objects.filter(party_status__in=["normal", "correction"]))
        .filter(Q(last_contact_on__lt=lost_threshold(today)))
        .exclude(cases__status__in=[CaseStatus.OPEN, CaseStatus.UNREACHABLE])
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CensusForm(forms.ModelForm):
    class Meta:
        model = CensusPeriod
        fields = ["organization", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        formfield_callback = ranged_formfield

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in filter_choices(user)]
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结束日期不能早于开始日期。")
        return data


def census_list(request):
    """排查: periods opened for the user's units or above them; the 名册 of each is as of its end."""
    own = access.scope_q(request.user, access.VIEW, "organization__path")
    paths = set()
    for path in access.granted_paths(request.user, access.VIEW):
        paths.update(path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen))
    periods = CensusPeriod.objects.select_related("organization")
    if own is not None:
        periods = periods.filter(own | Q(organization__path__in=paths))
    form = CensusForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        access.require(request.user, "export_reports", form.cleaned_data["organization"])
        try:
            period = services.census_open(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request,
                f"已开启排查：{period.name}（{period.starts_on:%Y-%m-%d} 至 {period.ends_on:%Y-%m-%d}）。",
            )
            return redirect("tracing:census_list")
    return render(
        request, "tracing/census_list.html", {"periods": periods.order_by("-ends_on")[:50], "form": form}
    )
