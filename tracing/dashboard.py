"""工作台 panels of tracing: 失联 members to search for (one-click 立案), open cases, 协查.

`panels` wait on the user and stay live; `watch_panels` count the scope (lianxin/dashboard.py).

Each panel counts a named filter (tracing/listfilters.py) and links to the list opened with it.
"""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from lianxin import access, actions, listfilters, perms
from lianxin.dashboard import Panel, count_and_first, counted
from tracing.listfilters import LIST, lost_without_case
from tracing.models import AssistanceRequest
from tracing.queries import sees_assisted_cases

QUICK_OPEN = "tracing:case_quick_open"


def panels(user):
    """The cases waiting on the user: 协查 to answer, second searches due (read live)."""
    if not access.has_any(user, access.VIEW):
        return []
    counts = _waiting_counts(user)
    # The committee does the second search: for it, that list is waiting on it.
    second_rank = 15 if access.has_any(user, perms.REVIEW_COMMITTEE) else 55
    return [
        Panel(
            "待答复的协查请求",
            counts["assistance_pending"],
            listfilters.url(LIST, "assistance_pending"),
            "warn",
            hint="其他党组织请求协助查找的党员",
            rank=12,
        ),
        Panel(
            "待党委再次查找",
            counts["second_search_due"],
            listfilters.url(LIST, "second_search_due"),
            "warn",
            hint="“确实无法取得联系”的案件，由党委再次查找后列入登记表",
            rank=second_rank,
        ),
    ]


def _waiting_counts(user):
    """{second_search_due, assistance_pending}: the counts of the two filters' rows. Past a
    committee's size, when the user's cases are their scope's alone (no 协查 from elsewhere), the
    second searches are the counter's and the 协查 are none — or, for a user over the whole tree,
    the cases with a pending request, counted over the few requests."""
    totals = counted(user)
    if totals is not None and not sees_assisted_cases(user):
        whole_tree = access.scope_q(user, access.VIEW, "organization__path") is None
        pending = (
            AssistanceRequest.objects.filter(answered_on__isnull=True).values("case_id").distinct().count()
            if whole_tree
            else 0  # no request reached the user's units (sees_assisted_cases)
        )
        return {"second_search_due": totals["cases.second_search"], "assistance_pending": pending}
    today = timezone.localdate()
    keys = ("second_search_due", "assistance_pending")
    wanted = {key: listfilters.q(LIST, key, user, today) for key in keys}
    # Both counts in one pass over the few cases that match either, not the scope's every case.
    return (
        listfilters.base(LIST, user)
        .filter(wanted["second_search_due"] | wanted["assistance_pending"])
        .aggregate(**{key: Count("pk", filter=q) for key, q in wanted.items()})
    )


def watch_panels(user):
    """失联 members not yet searched for, and the cases being searched: counts of the whole scope
    (past a committee's size, from the worker's snapshot — lianxin/todo_snapshot.py)."""
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    # Unit by unit, longest lost first within each: walking the tree finds the first rows at
    # once for a county and a province alike (ordering by date alone made PostgreSQL walk the
    # whole province's date index to find a county's few).
    lost = (
        lost_without_case(user)
        .select_related("organization")
        .order_by("organization__path", "last_contact_on", "pk")
    )
    lost_count, lost_rows = count_and_first(lost, 8)
    for member in lost_rows:
        member.has_open_case = False  # lost_without_case leaves out members searched for
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
    searching = listfilters.base(LIST, user).filter(listfilters.q(LIST, "searching", user, today)).count()
    return [
        Panel(
            "失联超过六个月，尚未立案查找",
            lost_count,
            listfilters.url("members:member_list", "lost_no_case"),
            "danger",
            items,
            "应主动寻找联系：立案后逐次登记查找记录",
            action_label="立案查找",
            rank=20,
            action=QUICK_OPEN,
        ),
        Panel("正在查找的案件", searching, listfilters.url(LIST, "searching"), "info", rank=80),
    ]
