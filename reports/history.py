"""Members' contact status on a past day, rebuilt from the dated facts.

The stored `contact_status` says how a member stands today. For a month that has passed, the
status on its last day is recomputed by the one rule (members/status.py `compute_status`, with
`today` = that day) from what carries a date: attendance (参加 and 联系不上 at a roll-call),
党费 payments, returns from an absence, a lost-contact case closed as 已取得联系, unreported
absences under way, and the stored last contact date when it is not later than the day.

Which members were there on the day: 入党 on or before it, arrived (the first 转入) on or before
it, and either in management now (正常, 限期改正) or out of it only since a later date
(`party_status_since`). What the facts cannot tell is left as it is now: a member who moved
between branches counts in their present branch; a contact recorded by hand before a later one
is not seen (only the latest contact date is stored).

One query for the whole tree, read in chunks: each member's dates come from correlated
subqueries, then the rule runs in Python — the count of queries does not grow with the tree.
"""

from collections import Counter, defaultdict

from django.db import connection, transaction
from django.db.models import DateField, Max, Min, OuterRef, Q, Subquery

from members.models import (
    Absence,
    Attendance,
    AttendanceStatus,
    ContactRecord,
    DuesPayment,
    Member,
    PartyStatus,
    Transfer,
)
from members.status import compute_status
from tracing.models import CaseStatus, LostContactCase

# Members under the branch's management, as the 工作台 counts them.
IN_MANAGEMENT = (PartyStatus.NORMAL, PartyStatus.CORRECTION)


def _latest(queryset, field):
    """The greatest `field` of the member's rows in `queryset`, as a correlated subquery."""
    return Subquery(
        queryset.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(d=Max(field))
        .values("d")[:1],
        output_field=DateField(),
    )


def _earliest(queryset, field):
    return Subquery(
        queryset.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(d=Min(field))
        .values("d")[:1],
        output_field=DateField(),
    )


def members_on(day):
    """Members of the organization tree on `day`, each with the dated facts the rule needs."""
    attendance = Attendance.objects.filter(activity__held_on__lte=day)
    away = Absence.objects.filter(reported=False, left_on__lte=day).filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=day)
    )
    return (
        Member.objects.filter(joined_on__lte=day)
        .filter(Q(party_status__in=IN_MANAGEMENT) | Q(party_status_since__gt=day))
        .annotate(
            last_present=_latest(attendance.filter(status=AttendanceStatus.PRESENT), "activity__held_on"),
            last_unreachable=_latest(
                attendance.filter(status=AttendanceStatus.UNREACHABLE), "activity__held_on"
            ),
            last_paid=_latest(DuesPayment.objects.filter(paid_on__lte=day), "paid_on"),
            last_returned=_latest(Absence.objects.filter(returned_on__lte=day), "returned_on"),
            last_found=_latest(
                LostContactCase.objects.filter(status=CaseStatus.CONTACTED, closed_on__lte=day), "closed_on"
            ),
            last_recorded=_latest(ContactRecord.objects.filter(on__lte=day), "on"),
            away_since=_earliest(away, "left_on"),
            arrived=_earliest(Transfer.objects.filter(direction=Transfer.Direction.IN), "talk_on"),
        )
        .values_list(
            "organization_id",
            "last_contact_on",
            "last_present",
            "last_unreachable",
            "last_paid",
            "last_returned",
            "last_found",
            "last_recorded",
            "away_since",
            "arrived",
        )
        .order_by()
    )


def status_on(day, stored_last, present, unreachable, paid, returned, found, away):
    """The member's contact status on `day` from the facts known on that day."""
    dates = [d for d in (present, paid, returned, found) if d]
    if stored_last and stored_last <= day:
        dates.append(stored_last)
    return compute_status(
        last_contact=max(dates) if dates else None,
        today=day,
        away_unreported_since=away,
        unreachable_since=unreachable,
    )


def _without_jit():
    """PostgreSQL compiles a query this long with JIT by default, which takes longer than running
    it (100,000 members: 12 s with JIT, 3 s without); off until the end of this transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


@transaction.atomic
def status_counts_on(day, chunk_size=5000):
    """{organization id: Counter({status: members})} of each organization's own members on `day`."""
    _without_jit()
    counts = defaultdict(Counter)
    for org_id, stored, present, unreachable, paid, returned, found, recorded, away, arrived in members_on(
        day
    ).iterator(chunk_size=chunk_size):
        if arrived and arrived > day:
            continue
        found = max((d for d in (found, recorded) if d), default=None)  # a case closed or a 联系记录
        counts[org_id][status_on(day, stored, present, unreachable, paid, returned, found, away)] += 1
    return counts
