"""Case pages: the list, a case with its search log, the fast attempt form, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lianxin import access, actions, listcounts, listfilters
from lianxin.pages import form_page
from lianxin.pagination import paginate, query_without_page
from lianxin.queries import filter_choices
from members.models import Member
from tracing import services
from tracing.closing import close_conditions, contacted_attempt
from tracing.corrections import attempt_to_correct, correction_initial, mark_corrections
from tracing.forms import (
    AttemptForm,
    CaseEditForm,
    CaseFilterForm,
    CloseForm,
    OpenCaseForm,
    SecondSearchForm,
)
from tracing.models import CaseStatus, Channel, LossReason
from tracing.periods import case_lost_period
from tracing.queries import (
    LostBand,
    attempt_counts,
    cases_visible_to,
    filter_cases,
    is_helper_only,
    sees_assisted_cases,
)

CASES = "tracing:case_list"
# The counters (tracing/counters.py) whose conditions are exactly the list's rows: every status,
# one status, or a named filter a counter follows.
COUNTED_DUES = {"searching": ["cases.open"], "second_search_due": ["cases.second_search"]}


def _case_or_404(request, pk, perm=access.VIEW):
    """`perm` is an action ("tracing:case_edit", asked as the case page asked before linking to
    it) or a bare permission."""
    case = get_object_or_404(cases_visible_to(request.user), pk=pk)  # the scope, plus 协查 cases
    if ":" in perm:
        actions.require(request.user, perm, case)
    elif perm != access.VIEW or not is_helper_only(request.user, case):
        access.require(request.user, perm, case)
    return case


def case_list(request):
    today = timezone.localdate()
    cases = listfilters.base(CASES, request.user)  # cases_visible_to
    # ?due= a named filter: exactly the rows the 工作台's panel counts (tracing/listfilters.py)
    due = listfilters.get(CASES, request.GET.get(listfilters.PARAM, ""))
    if due:
        cases = cases.filter(due.q(request.user, today))
    filters = CaseFilterForm(request.GET).filters()
    cases = filter_cases(cases, request.user, filters, today)
    page = paginate(
        request, cases.order_by("status", "-opened_on", "-pk"), count=_counted(request.user, filters, due)
    )
    counts = attempt_counts(page.object_list)
    for case in page.object_list:
        case.duration = case_lost_period(case, today).text
        case.attempt_count = counts.get(case.pk, 0)
    chosen = {name: request.GET.get(name, "") for name in ("status", "band", "reason", "org")}
    return render(
        request,
        "tracing/case_list.html",
        {
            "page": page,
            "q": filters.get("q", ""),
            **chosen,
            "due": due,
            "dues": listfilters.choices(CASES),
            "statuses": CaseStatus.choices,
            "bands": LostBand.choices,
            "reasons": LossReason.choices,
            "branches": filter_choices(request.user),
            "query": query_without_page(request),
        },
    )


def _counted(user, filters, due):
    """The list's total from the counters when they hold exactly its rows, else None (counted)."""
    if set(filters) - {"status"} or (due and filters) or sees_assisted_cases(user):
        return None  # a search or a filter no counter follows; or 协查 cases from elsewhere
    if due:
        keys = COUNTED_DUES.get(due.key)
    else:
        keys = [f"cases.{status}" for status in ([filters["status"]] if filters else CaseStatus.values)]
    return listcounts.total(user, keys) if keys else None


def case_detail(request, pk):
    case = _case_or_404(request, pk)
    attempts = list(case.attempts.select_related("searcher", "supersedes").order_by("searched_at", "pk"))
    last_channel = attempts[-1].channel if attempts else Channel.PHONE
    user = request.user
    mark_corrections(attempts, case)
    # The chain of every disposition in a fixed number of queries (the template walks them).
    steps = ("acting_user", "organization", "on_behalf_of__user", "on_behalf_of__organization")
    prefetch_related_objects([case], *(f"dispositions__steps__{path}" for path in steps))
    form = AttemptForm(
        initial={"searched_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": last_channel}
    )
    tried = services.channels_tried(case)
    context = {
        "case": case,
        "member": case.member,
        "attempts": attempts,
        # The page asks lianxin.actions, as the views do (the links themselves: {% action %}).
        "can_log": actions.allowed(user, "tracing:attempt_add", case),
        "form": form,
        "duration": case_lost_period(case).text,
        "tried": [Channel(c).label for c in sorted(tried)],
        "min_channels": services.min_channels(),
        "breadcrumbs": [o for o in case.organization.chain() if access.can(request.user, access.VIEW, o)],
        "helper_only": is_helper_only(request.user, case),
        "assistance": case.assistance_requests.select_related(
            "to_organization", "requested_by", "answered_by"
        ),
        "conditions": close_conditions(case, attempts) if case.is_open else [],
        "contacted": contacted_attempt(attempts) if case.is_open else None,
    }
    for item in context["assistance"]:
        item.can_answer = actions.allowed(user, "tracing:assistance_answer", item)
    return render(request, "tracing/case_detail.html", context)


def case_open(request, member_pk):
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=member_pk
    )
    actions.require(request.user, "tracing:case_open", member)
    initial = {"lost_since": member.last_contact_on or member.joined_on}
    return form_page(
        request,
        OpenCaseForm(request.POST or None, initial=initial),
        save=lambda data: services.case_open(member=member, acting_user=request.user, **data),
        title="立案查找",
        subject=f"{member.name} · {member.organization.name}",
        intro="党员联系不上、失控或失联，党支部都应立即查找：立案后逐次登记每一次查找。",
        submit_label="立案",
        done=f"已为{member.name}立案查找。请逐次登记每一次查找。",
        next_url=lambda case: reverse("tracing:case_detail", args=[case.pk]),
        cancel_url=reverse("members:member_detail", args=[member.pk]),
    )


@require_POST
def case_quick_open(request, member_pk):
    """The 工作台's one-click 立案查找, with the derived dates and reason ⑦ until edited."""
    member = access.get_or_404(
        request.user, access.VIEW, Member.objects.select_related("organization"), pk=member_pk
    )
    actions.require(request.user, "tracing:case_quick_open", member)
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
    case = _case_or_404(request, pk, "tracing:case_edit")
    initial = {
        "reason": case.reason,
        "reason_remark": case.reason_remark,
        "findings": case.findings,
        "lost_since": case.lost_since,
    }
    return form_page(
        request,
        CaseEditForm(request.POST or None, initial=initial),
        save=lambda data: services.case_update(case=case, acting_user=request.user, **data),
        title="修改案件信息",
        subject=str(case.member),
        done="已保存。",
        next_url=reverse("tracing:case_detail", args=[case.pk]),
    )


def attempt_add(request, pk):
    case = _case_or_404(request, pk, access.VIEW)
    original = attempt_to_correct(request, case)
    if original is not None:
        by_committee = original.by_committee
        initial = correction_initial(original)
        # a committee attempt is corrected with the committee's right, any other with log_search
        actions.require(request.user, "tracing:attempt_correct", original)
    else:
        by_committee = request.GET.get("second") == "1" or request.POST.get("second") == "1"
        initial = {"searched_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        action = "tracing:attempt_add_second" if by_committee else "tracing:attempt_add"
        actions.require(request.user, action, case)
    form = AttemptForm(
        request.POST or None, request.FILES or None, initial=initial, correcting=original is not None
    )

    def save(data):
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

    if original is not None:
        title = "更正查找记录"
        intro = (
            f"更正 {timezone.localtime(original.searched_at):%Y-%m-%d %H:%M} 的记录：原记录保留，"
            "显示为已更正（划线），统计以更正后的记录为准。原附件保留在原记录中。"
        )
    else:
        title, intro = ("登记党委再次查找" if by_committee else "登记查找记录"), ""
    return form_page(
        request,
        form,
        save=save,
        title=title,
        intro=intro,
        subject=str(case.member),
        done="已更正查找记录，原记录保留并标为已更正。" if original else "已登记查找记录。",
        next_url=reverse("tracing:case_detail", args=[case.pk]),
    )


def case_close(request, pk):
    case = _case_or_404(request, pk, "tracing:case_close")
    initial = {"closed_on": timezone.localdate()}
    if request.GET.get("outcome") in CaseStatus.values:
        initial["outcome"] = request.GET["outcome"]

    def conditions():
        attempts = list(case.attempts.order_by("searched_at", "pk"))
        return {"case": case, "conditions": close_conditions(case, attempts) if case.is_open else []}

    return form_page(
        request,
        CloseForm(request.POST or None, initial=initial),
        save=lambda data: services.case_close(
            case=case,
            acting_user=request.user,
            outcome=data["outcome"],
            closed_on=data["closed_on"],
            evidence=data["evidence"],
        ),
        title="结束查找",
        subject=str(case.member),
        submit_label="确认结束查找",
        done="查找已结束。",
        next_url=reverse("tracing:case_detail", args=[case.pk]),
        template="tracing/case_close.html",
        context=conditions,
    )


def second_search_done(request, pk):
    case = _case_or_404(request, pk, "tracing:second_search_done")
    return form_page(
        request,
        SecondSearchForm(request.POST or None),
        save=lambda data: services.second_search_complete(
            case=case, acting_user=request.user, findings=data["findings"]
        ),
        title="完成党委再次查找",
        subject=str(case.member),
        submit_label="确认完成",
        done="再次查找已完成，该党员已列入《经查找仍然无法取得联系党员登记表》。",
        next_url=reverse("tracing:case_detail", args=[case.pk]),
    )
