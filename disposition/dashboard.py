"""工作台 panels of dispositions: what waits on the user, 限期改正 ending, 停止党籍 two years due.

Each panel counts a named filter of the inbox page (disposition/listfilters.py) and links to it.
`panels` wait on the user and stay live; `watch_panels` count against today's date
(lianxin/dashboard.py: past a committee's size, from the worker's snapshot).
"""

from django.urls import reverse
from django.utils import timezone

from disposition.inboxcount import inbox_total
from disposition.listfilters import LIST, WAITING
from lianxin import access, listfilters
from lianxin.dashboard import Panel, count_and_first, count_and_first_each

# A panel line needs four columns, not a disposition's and its member's sixty.
LINE_FIELDS = ("pk", "outcome", "correction_until", "approved_on", "member__name")


def _items(rows, detail):
    return [(d.member.name, reverse("disposition:disposition_detail", args=[d.pk]), detail(d)) for d in rows]


def _base(user):
    return listfilters.base(LIST, user).select_related("member").only(*LINE_FIELDS)


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    waiting_count, waiting_rows = count_and_first(
        _base(user)
        .filter(listfilters.q(LIST, WAITING, user, timezone.localdate()))
        .order_by("stage_since", "pk"),
        count=lambda: inbox_total(user),  # past a committee's size, the counters (as the inbox)
    )
    return [
        Panel(
            "待我审批",
            waiting_count,
            listfilters.url(LIST, WAITING),
            "warn" if waiting_count else "info",
            _items(waiting_rows, lambda d: d.get_outcome_display()),
            "组织处置等待您办理的环节",
            rank=10,
        )
    ]


def watch_panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    base = _base(user)
    due = count_and_first_each(
        base,
        {
            "correction_due": (
                listfilters.q(LIST, "correction_due", user, today),
                ("correction_until", "pk"),
            ),
            "suspension_due": (listfilters.q(LIST, "suspension_due", user, today), ("approved_on", "pk")),
        },
    )
    correction_count, correction_rows = due["correction_due"]
    suspended_count, suspended_rows = due["suspension_due"]
    return [
        Panel(
            "限期改正即将到期",
            correction_count,
            listfilters.url(LIST, "correction_due"),
            "warn",
            _items(correction_rows, lambda d: f"至 {d.correction_until:%Y-%m-%d}"),
            rank=45,
        ),
        Panel(
            "停止党籍满两年仍未联系（应作自行脱党除名）",
            suspended_count,
            listfilters.url(LIST, "suspension_due"),
            "danger",
            _items(suspended_rows, lambda d: f"停止党籍自 {d.approved_on:%Y-%m-%d}"),
            rank=40,
        ),
    ]
