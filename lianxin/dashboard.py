"""The 工作台: each app contributes panels through a `dashboard.py` with `panels(user)`.

A panel says what needs doing in the user's scope: a title, a count, where to go, and a
few example rows. Its count and its list come from one named query (lianxin/listfilters.py):
the panel counts the filter's rows and links to the list opened with that filter. Each app
computes its panels with a fixed number of queries: at most two per panel (`count_and_first`),
one for several panels over one table while they are short (`count_and_first_each`).

The page shows what waits on the user first: panels by urgency (`rank`, lowest first), the
urgent ones with their rows, the others as one line each, the empty ones muted at the end.

Past a committee's size (a county, a city, the province) counting the scope's rows would cost
more than the page: there a panel that has a per-organization counter (lianxin/counters.py)
takes its number from `counted(user)` — a handful of counter rows read in one query — and
reads only its first few rows.

The page itself is opened far more often than its numbers change: `cached_panels_for` keeps the
panels a user was shown for WORKBENCH_CACHE_SECONDS (a minute) in the cache, under the user and
everything that decides their scope (grants, posts, the day). The copy gives way to the user's
own writes (the session's last write, lianxin/middleware.py) and to the page's 刷新 link; what
others did shows within the minute. Never the rendered page: it carries the user's CSRF token.
"""

import hashlib
import operator
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import reduce

from django.conf import settings
from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, F
from django.urls import reverse
from django.utils import timezone

from lianxin import access, counters
from lianxin.discovery import app_modules
from lianxin.queries import active_posts

LARGE_SCOPE = 2000  # members in scope past which the 工作台 reads the counters (a county and up)


@dataclass
class Panel:
    title: str
    count: int
    url: str = ""
    level: str = "info"  # info | warn | danger
    items: list = field(default_factory=list)  # [(label, url, detail) or (label, url, detail, post_url), …]
    hint: str = ""
    action_label: str = ""  # the button posting to an item's post_url (e.g. 立案查找)
    rank: int = 50  # urgency, lowest first: waiting on me, overdue, due soon … ongoing work
    action: str = ""  # the action (lianxin/actions.py) an item's post_url is, for data-action
    pending: bool = False  # its count is still being computed (a large scope's first 待办 snapshot)

    @property
    def urgent(self):
        return self.count > 0 and self.rank < URGENT


URGENT = 50  # ranks below this show their rows on the 工作台


def counted(user):
    """The user's scope's counters {key: total} when the scope is large, else None (a branch or a
    committee counts its own few rows, fresh to the day). Read once per request."""
    totals = counters.for_scope(user)
    return totals if totals.get("members.active", 0) > LARGE_SCOPE else None


def count_and_first(queryset, n=5, count=None):
    """The number of rows and the first `n` of them. One query when there are at most `n` —
    as in most panels of a branch — and a count only when there are more (`count`, a counter's
    total or a function giving it or None, when the caller has one)."""
    rows = list(queryset[: n + 1])
    if len(rows) <= n:
        return len(rows), rows
    total = count() if callable(count) else count
    return (queryset.count() if total is None else total), rows[:n]


def count_and_first_each(queryset, panels, n=5, cap=50, counts=None):
    """`count_and_first` for several panels over one table: {key: (count, first n rows)}.

    `panels` is {key: (Q, ordering)}, the ordering a tuple of the rows' own fields (dates, ids:
    sorted the same by Python and by any database collation). While the rows of all the panels
    together are at most `cap` — a branch, usually a county — they come in one query and are
    sorted here; past it, each panel gets its own `count_and_first` (its count from `counts`,
    {key: a counter's total}, when given)."""
    flags = {
        f"in_{key}": ExpressionWrapper(q, output_field=BooleanField()) for key, (q, _o) in panels.items()
    }
    rows = list(
        queryset.filter(reduce(operator.or_, (q for q, _o in panels.values())))
        .annotate(**flags)
        .order_by("pk")[: cap + 1]
    )
    if len(rows) > cap:
        return {
            key: count_and_first(
                queryset.filter(q).order_by(*(F(f).asc(nulls_last=True) for f in order)),
                n,
                None if counts is None else counts[key],
            )
            for key, (q, order) in panels.items()
        }
    out = {}
    for key, (_q, order) in panels.items():
        mine = sorted(
            (row for row in rows if getattr(row, f"in_{key}")),
            # empty values last, as the database is told to order them above
            key=lambda row, order=order: tuple((getattr(row, f) is None, getattr(row, f)) for f in order),
        )
        out[key] = (len(mine), mine[:n])
    return out


# The 待办 page's tabs as cards: (tab, title, level, rank). What is overdue waits on the user as
# much as an approval does; what falls due within days comes before the ongoing work.
TODO_PANELS = (
    ("overdue", "超期待办", "danger", 11),
    ("soon", "即将到期", "warn", 30),
    ("todo", "其他待办", "info", 70),
)


def todo_panels(user):
    """The user's 待办 (lianxin/todo.py, the overdue rules) as cards: each counts one tab of the
    待办 page and opens it, and the tab lists the same entries."""
    from lianxin import todo

    entries = todo.entries_for(user, timezone.localdate())
    panels = []
    for tab, title, level, rank in TODO_PANELS:
        mine = [e for e in entries if e.tab == tab]
        items = [
            (f"{e.item.label}：{e.item.line.subject}", e.url, f"{e.item.due_on:%Y-%m-%d} 前")
            for e in mine[:5]
        ]
        url = f"{reverse('todo')}?tab={tab}"
        panels.append(Panel(title, len(mine), url, level if mine else "info", items, rank=rank))
    return panels


def watch_panels(user):
    """Every app's panels that watch the scope (`watch_panels(user)` in its dashboard.py): counts
    relative to today's date, no decision waiting on the user — a few minutes old is as good."""
    panels = []
    for module in app_modules("dashboard"):
        if hasattr(module, "watch_panels"):
            panels.extend(module.watch_panels(user))
    return panels


def snapshot_panels(snapshot):
    """The 待办 cards and the watch panels of a large scope as the worker last took them
    (lianxin/todo_snapshot.py), each saying when; None while the first one is being taken."""
    panels = []
    for tab, title, level, rank in TODO_PANELS:
        url = f"{reverse('todo')}?tab={tab}"
        if snapshot is None:
            panels.append(Panel(title, 0, url, hint="正在统计，请稍后刷新本页", rank=rank, pending=True))
            continue
        count = snapshot.counts.get(tab, 0)
        items = [
            (line["label"], line["url"], f"{line['due']} 前") for line in snapshot.first if line["tab"] == tab
        ]
        panels.append(
            Panel(title, count, url, level if count else "info", items, hint=_taken(snapshot), rank=rank)
        )
    for saved in snapshot.panels if snapshot is not None else ():
        hint = "；".join(filter(None, (saved["hint"], _taken(snapshot))))
        items = [tuple(item) for item in saved["items"]]
        panels.append(Panel(**{**saved, "items": items, "hint": hint}))
    return panels


def _taken(snapshot):
    return f"截至 {timezone.localtime(snapshot.computed_at):%m-%d %H:%M}"


def panels_for(user):
    """Every app's panels and the user's 待办, the most urgent first and the empty ones last. Past a
    committee's size the 待办 cards and the watch panels are read from the user's snapshot."""
    if counted(user) is not None:
        from lianxin import todo_snapshot

        panels = snapshot_panels(todo_snapshot.read(user, timezone.localdate()))
    else:
        panels = todo_panels(user) + watch_panels(user)
    for module in app_modules("dashboard"):
        panels.extend(module.panels(user))
    return sorted(panels, key=lambda p: (p.count == 0, p.rank))


def cached_panels_for(user, wrote_at=0, fresh=False):
    """`panels_for(user)` and when they were computed (an aware datetime, None when not cached):
    the user's copy when it is younger than WORKBENCH_CACHE_SECONDS and than the user's last
    write (`wrote_at`, epoch seconds), else computed now (and always when `fresh`)."""
    seconds = getattr(settings, "WORKBENCH_CACHE_SECONDS", 0)
    if not seconds:
        return panels_for(user), None
    key = _cache_key(user)
    copy = cache.get(key)
    if copy is None or fresh or copy["at"] <= wrote_at:
        # The time is taken before reading: a write committed meanwhile is newer than the copy.
        copy = {"at": time.time(), "panels": panels_for(user)}
        if not any(panel.pending for panel in copy["panels"]):  # "请稍后刷新本页" must mean it
            cache.set(key, copy, seconds)
    return copy["panels"], datetime.fromtimestamp(copy["at"], UTC)


def _cache_key(user):
    """Everything the panels depend on besides the data: who, their grants (read fresh every
    request, so a right taken away never serves the old copy), their posts and the day."""
    grants = sorted((perm, access.granted_paths(user, perm)) for perm in access.PERMISSIONS)
    posts = sorted(post.pk for post in active_posts(user))
    scope = repr((user.pk, user.is_superuser, grants, posts, timezone.localdate().isoformat()))
    return "workbench:" + hashlib.sha256(scope.encode()).hexdigest()
