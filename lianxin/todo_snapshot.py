"""The 待办 cards and the watch panels of a large scope (a county department and up), from a
snapshot the worker keeps.

Addressing every overdue item of a province to one person reads all of them (about 43,000 at
1,000,000 members: 13 s and 100 MB for one page), which no page can afford. Past a committee's
size (dashboard.LARGE_SCOPE, where the 工作台 also reads the counters) the cards read the
person's snapshot instead — one row — and say when it was taken. Opening the 工作台 with a
snapshot older than MAX_AGE, or of another day, asks the worker for a fresh one: one request
at a time per person, claimed by one UPDATE so that two pages opened together enqueue one task.
The daily job refreshes every snapshot there is. The 待办 page itself is always computed live.

The watch panels (members slipping away: approaching six months, graduates due, letters not
returned …) count against today's date, so no counter can keep them; at 5,000,000 members they
cost a county's 工作台 half a second. They ride in the same snapshot, links only: a button
posting an action is shown only on a live page, where it is known to work.
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from lianxin.models import TodoSnapshot

MAX_AGE = timedelta(minutes=5)
STUCK = timedelta(minutes=30)  # a refresh asked for this long ago died with its worker
FIRST = 5  # lines per card, as the live cards show


def read(user, today):
    """The user's snapshot, or None while the first one is being taken; a stale one is returned
    as it is and a fresh one asked for."""
    snapshot = TodoSnapshot.objects.filter(user=user).first()
    now = timezone.now()
    fresh = (
        snapshot is not None
        and snapshot.computed_at is not None
        and snapshot.day == today
        and now - snapshot.computed_at <= MAX_AGE
        and snapshot.panels is not None  # taken before the watch panels rode along
    )
    if not fresh and _claim(user, now):
        from lianxin.tasks import refresh_todo_snapshot

        refresh_todo_snapshot.enqueue(user.pk)
        snapshot = TodoSnapshot.objects.filter(user=user).first()  # taken already by an immediate backend
    return snapshot if snapshot is not None and snapshot.computed_at is not None else None


def _claim(user, now):
    """True when this request is the one to ask for a refresh."""
    waiting = Q(refreshing_since__isnull=False, refreshing_since__gte=now - STUCK)
    if TodoSnapshot.objects.filter(user=user).exclude(waiting).update(refreshing_since=now):
        return True
    _, created = TodoSnapshot.objects.get_or_create(user=user, defaults={"refreshing_since": now})
    return created


def refresh(user, today):
    """Compute the user's 待办 cards now (the worker's task; the daily job for everyone)."""
    from lianxin import dashboard, request_state, todo

    with request_state.scope():  # the user's grants read once, not once per item's link
        entries = todo.entries_for(user, today)
        panels = [_saved(panel) for panel in dashboard.watch_panels(user)]
    first = []
    for tab in todo.counts(entries):
        mine = [e for e in entries if e.tab == tab][:FIRST]
        first += [
            {
                "tab": tab,
                "label": f"{e.item.label}：{e.item.line.subject}",
                "url": e.url,
                "due": e.item.due_on.isoformat(),
            }
            for e in mine
        ]
    TodoSnapshot.objects.update_or_create(
        user=user,
        defaults={
            "day": today,
            "computed_at": timezone.now(),
            "counts": todo.counts(entries),
            "first": first,
            "panels": panels,
            "refreshing_since": None,
        },
    )


def _saved(panel):
    """A panel as JSON, its lines as links (label, url, detail) without their buttons."""
    return {
        "title": panel.title,
        "count": panel.count,
        "url": panel.url,
        "level": panel.level,
        "items": [list(item[:3]) for item in panel.items],
        "hint": panel.hint,
        "rank": panel.rank,
    }


def refresh_all(*, today):
    """The daily job: every snapshot recomputed for the new day (those of inactive users dropped)."""
    done = 0
    for snapshot in TodoSnapshot.objects.select_related("user").order_by("pk"):
        if not snapshot.user.is_active:
            snapshot.delete()
            continue
        refresh(snapshot.user, today)
        done += 1
    return {"refreshed": done}
