"""月度快照: every organization's numbers at the end of a month, kept for the trend page.

Each row counts the organization's whole subtree. Taking a month reads each kind of fact once
for the whole tree, grouped by the organization that owns the rows (members, cases and
dispositions belong to branches), then sums those counts up the tree in Python along the
materialized paths. The number of queries is the same for one branch or a province's 60,000;
the rows are written by one bulk upsert per 1,000 organizations.

- The current month is taken as of today from the stored contact status (kept by the daily
  refresh, which runs before the snapshot) and is taken again every day: an upsert.
- A past month is rebuilt from dated facts (reports/history.py for members; cases and
  dispositions carry their own dates), marked `reconstructed`.

Overdue (until the rules registry of issue 18 item 1 is wired in here): a case open at the
month's end with no search attempt for more than CASE_IDLE_DAYS (counted from its opening when
it has none); a disposition in review whose current stage has waited more than STAGE_DAYS (the
stage began with the proposal or the last step, whichever is later).
"""

import calendar
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from disposition.models import ACTIVE, Decision, Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome
from lianxin.models import Organization
from members.models import ContactStatus, Member
from reports.history import IN_MANAGEMENT, status_counts_on
from reports.models import MonthlySnapshot
from tracing.models import LostContactCase, SearchAttempt

CASE_IDLE_DAYS = 30
STAGE_DAYS = 30

STATUS_FIELDS = {
    ContactStatus.WARNING: "warning",
    ContactStatus.OUT_OF_CONTROL: "out_of_control",
    ContactStatus.LOST: "lost",
}
FIELDS = (
    "members",
    "warning",
    "out_of_control",
    "lost",
    "cases_opened",
    "cases_closed",
    "cases_open",
    "cases_overdue",
    "dispositions_waiting",
    "dispositions_overdue",
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _member_counts(day, current):
    """{org id: Counter} of the organization's own members and their contact status on `day`."""
    if current:
        rows = (
            Member.objects.filter(party_status__in=IN_MANAGEMENT)
            .values_list("organization_id", "contact_status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        by_org = {}
        for org_id, status, n in rows:
            by_org.setdefault(org_id, Counter())[status] += n
    else:
        by_org = status_counts_on(day)
    own = {}
    for org_id, statuses in by_org.items():
        counts = own[org_id] = Counter(members=sum(statuses.values()))
        for status, field in STATUS_FIELDS.items():
            counts[field] = statuses.get(status, 0)
    return own


def _case_counts(first, day):
    """Cases opened and closed in [first, day], open at `day`, and open but idle too long."""
    open_on_day = Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    cutoff = day - timedelta(days=CASE_IDLE_DAYS)
    recent_attempt = SearchAttempt.objects.filter(
        case=OuterRef("pk"),
        searched_at__gte=_start_of(cutoff),
        searched_at__lt=_start_of(day + timedelta(days=1)),
    )
    rows = (
        LostContactCase.objects.values("organization_id")
        .annotate(
            cases_opened=Count("pk", filter=Q(opened_on__gte=first, opened_on__lte=day)),
            cases_closed=Count("pk", filter=Q(closed_on__gte=first, closed_on__lte=day)),
            cases_open=Count("pk", filter=open_on_day),
            cases_overdue=Count("pk", filter=open_on_day & Q(opened_on__lt=cutoff) & ~Exists(recent_attempt)),
        )
        .order_by()
    )
    return {row.pop("organization_id"): Counter(row) for row in rows}


def _disposition_counts(day):
    """Dispositions in review at `day`, and those whose stage has waited longer than STAGE_DAYS.

    In review at `day`: proposed by then and not yet decided — still in review or returned now,
    approved after it, or refused (不同意) after it. A withdrawn one carries no date and is left out.
    开除党籍 is recorded from a decision, never routed, so it never waits."""
    cutoff = day - timedelta(days=STAGE_DAYS)
    refused_later = DispositionStep.objects.filter(
        disposition=OuterRef("pk"), decision=Decision.DISAGREE, decided_on__gt=day
    )
    step_lately = DispositionStep.objects.filter(
        disposition=OuterRef("pk"), decided_on__gte=cutoff, decided_on__lte=day
    )
    waiting = Q(proposed_on__lte=day) & (
        Q(status__in=ACTIVE)
        | Q(approved_on__gt=day)
        | (Q(status=DispositionStatus.REJECTED) & Exists(refused_later))
    )
    rows = (
        Disposition.objects.exclude(outcome=Outcome.EXPEL)
        .values("organization_id")
        .annotate(
            dispositions_waiting=Count("pk", filter=waiting),
            dispositions_overdue=Count(
                "pk", filter=waiting & Q(proposed_on__lt=cutoff) & ~Exists(step_lately)
            ),
        )
        .order_by()
    )
    return {row.pop("organization_id"): Counter(row) for row in rows}


def roll_up(orgs, *owns):
    """{path: Counter} of each subtree's totals, from the organizations' own counts.

    `orgs` is [(id, path)]; each own count is added to the organization and to every ancestor
    (the prefixes of its path): O(organizations × depth), no query."""
    path_of = dict(orgs)
    step = Organization.steplen
    totals = {path: Counter() for _pk, path in orgs}
    for own in owns:
        for org_id, counts in own.items():
            path = path_of.get(org_id)
            if path is None:
                continue
            for end in range(step, len(path) + 1, step):
                totals[path[:end]].update(counts)
    return totals


def snapshot_counts(month, *, today=None):
    """(as_of, reconstructed, {path: Counter}) for `month` without writing anything."""
    today = today or timezone.localdate()
    first = month_start(month)
    if first > today:
        raise ValueError(f"{first:%Y-%m} 尚未到来，不能生成快照。")
    current = first == month_start(today)
    day = today if current else month_end(first)
    orgs = list(Organization.objects.values_list("pk", "path"))
    totals = roll_up(orgs, _member_counts(day, current), _case_counts(first, day), _disposition_counts(day))
    return day, not current, {pk: totals[path] for pk, path in orgs}


@transaction.atomic
def snapshot_take(month, *, today=None):
    """Take (or take again) the snapshot of `month` for every organization; returns the rows written."""
    day, reconstructed, counts = snapshot_counts(month, today=today)
    first = month_start(month)
    rows = [
        MonthlySnapshot(
            organization_id=pk,
            month=first,
            as_of=day,
            reconstructed=reconstructed,
            **{field: c[field] for field in FIELDS},
        )
        for pk, c in counts.items()
    ]
    MonthlySnapshot.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organization", "month"],
        update_fields=["as_of", "reconstructed", *FIELDS],
    )
    return len(rows)


def snapshots_backfill(since, *, today=None, overwrite=False, log=None):
    """Take every month from `since` to the current one. A past month that already has rows is
    kept unless `overwrite`: a snapshot taken in its own month saw the stored status of that day,
    which a reconstruction cannot fully see."""
    today = today or timezone.localdate()
    month, current = month_start(since), month_start(today)
    taken = set(MonthlySnapshot.objects.filter(month__gte=month).values_list("month", flat=True).distinct())
    done = []
    while month <= current:
        if overwrite or month == current or month not in taken:
            rows = snapshot_take(month, today=today)
            done.append(month)
            if log:
                log(f"  {month:%Y-%m}：{rows} 个党组织")
        month = next_month(month)
    return done
