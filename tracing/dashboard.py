"""工作台 panels of tracing: 失联 members to search for (one-click 立案), open cases."""

from django.db.models import Count, Q
from django.urls import reverse

from lianxin import access, actions
from lianxin.dashboard import Panel, count_and_first
from tracing.models import AssistanceRequest, CaseStatus
from tracing.queries import cases_visible_to
from tracing.views import lost_without_case

QUICK_OPEN = "tracing:case_quick_open"


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    # Unit by unit, longest lost first within each: walking the tree finds the first rows at
    # once for a county and a province alike (ordering by date alone made PostgreSQL walk the
    # whole province's date index to find a county's few).
    lost = (
        lost_without_case(user)
        .select_related("organization")
        .order_by("organization__path", "last_contact_on", "pk")
    )
    lost_count, lost_rows = count_and_first(lost, 8)
    items = [
        (
            m.name,
            reverse("members:member_detail", args=[m.pk]),
            f"{m.organization.name} · 最近联系 {m.last_contact_on:%Y-%m-%d}",
            # the button only where the view takes it (lianxin.actions)
            actions.url(QUICK_OPEN, m) if actions.allowed(user, QUICK_OPEN, m) else "",
        )
        for m in lost_rows
    ]
    # Both case counts in one pass over the scope's cases.
    case_counts = cases_visible_to(user).aggregate(
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        second=Count("pk", filter=Q(status=CaseStatus.UNREACHABLE, second_search_done_on__isnull=True)),
    )
    pending = access.scoped(
        user, access.VIEW, AssistanceRequest.objects.filter(answered_on__isnull=True)
    ).select_related("case__member")
    pending_count, pending_rows = count_and_first(pending)
    help_items = [
        (a.case.member.name, reverse("tracing:case_detail", args=[a.case_id]), a.request_text[:30])
        for a in pending_rows
    ]
    return [
        Panel("待答复的协查请求", pending_count, "", "warn", help_items, "其他党组织请求协助查找的党员"),
        Panel(
            "失联党员（超过六个月未联系）",
            lost_count,
            reverse("members:member_list") + "?status=lost",
            "danger",
            items,
            "应主动寻找联系：立案后逐次登记查找记录",
            action_label="立案查找",
        ),
        Panel("正在查找的案件", case_counts["open"], reverse("tracing:case_list") + "?status=open", "warn"),
        Panel(
            "待党委再次查找",
            case_counts["second"],
            reverse("tracing:case_list") + "?status=unreachable",
            "warn",
            hint="“确实无法取得联系”的案件，由党委再次查找后列入登记表",
        ),
    ]
