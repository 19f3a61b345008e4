"""月度快照: the numbers equal direct counts, the subtree rolls up, past months are rebuilt from
dated facts, and taking a month costs the same queries for 1 branch or many."""

import io
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disposition.models import DispositionStatus, DispositionStep
from lianxin.models import Organization, OrgKind
from members.models import Absence, AttendanceStatus, Member, PartyStatus, Transfer
from members.services import refresh_all
from reports import snapshots
from reports.history import status_counts_on
from reports.models import MonthlySnapshot
from tests.factories import CaseFactory, MemberFactory
from tests.reports.snapshot_data import (
    JUNE_2025,
    activity,
    attempt,
    direct_counts,
    disposition,
    dues,
    seed_today,
)
from tracing.models import CaseStatus, LostContactCase

FIELDS = snapshots.FIELDS


def row(org, month):
    snap = MonthlySnapshot.objects.get(organization=org, month=month)
    return {field: getattr(snap, field) for field in FIELDS}


def test_current_month_equals_direct_counts_and_rolls_up(world, org):
    today = timezone.localdate()
    seed_today(world, org, today)
    written = snapshots.snapshot_take(today)
    assert written == Organization.objects.count()
    month = today.replace(day=1)
    for key in ("branch_a1", "branch_a3_1", "committee_a", "committee_b", "county"):
        assert row(org(key), month) == direct_counts(org(key), today), key
    # The figures are not all zero: the seed reaches every column somewhere in the county.
    assert all(row(org("county"), month).values())
    # Every row is the organization's own rows plus the sum of its children's rows.
    for node in Organization.objects.all():
        total = Counter(direct_counts(node, today, own=True))
        for child in Organization.objects.get_children(node):
            total.update(row(child, month))
        assert row(node, month) == {field: total[field] for field in FIELDS}, node.name
    snap = MonthlySnapshot.objects.get(organization=org("county"), month=month)
    assert snap.as_of == today and not snap.reconstructed


def _june_world(world, org):
    """Members whose status on 2025-06-30 follows from dated facts alone; later facts must not count."""
    user, branch = world.users["branch_a1"], org("branch_a1")
    m = {
        key: MemberFactory(organization=branch, name=key, contact_status="normal")
        for key in ("normal", "warning", "lost", "away", "unreachable", "returned", "left_later")
    }
    not_yet = MemberFactory(organization=branch, joined_on=date(2025, 8, 1))
    left_before = MemberFactory(
        organization=branch, party_status=PartyStatus.REMOVED, party_status_since=date(2025, 3, 1)
    )
    arrived_later = MemberFactory(organization=branch)
    Transfer.objects.create(
        member=arrived_later,
        direction="in",
        other_organization="外县党支部",
        talk_on=date(2025, 7, 10),
        talk_record="欢迎谈话",
        recorded_by=user,
    )
    m["left_later"].party_status, m["left_later"].party_status_since = PartyStatus.REMOVED, date(2025, 9, 1)
    m["left_later"].save()
    # What the services store beside the dated rows: the roll-call's 联系不上 and the return's contact.
    m["unreachable"].unreachable_since = date(2025, 6, 10)
    m["unreachable"].save()
    m["returned"].last_contact_on = date(2025, 6, 15)
    m["returned"].save()
    activity(branch, user, date(2025, 5, 20), {m["normal"]: AttendanceStatus.PRESENT})
    activity(
        branch, user, date(2025, 6, 1), {m["away"]: AttendanceStatus.PRESENT, m["left_later"]: "present"}
    )
    dues(m["warning"], user, date(2025, 1, 15))  # 166 days before June 30: 预警
    dues(m["warning"], user, date(2025, 8, 1))  # after the month: ignored
    activity(branch, user, date(2024, 11, 10), {m["lost"]: AttendanceStatus.PRESENT})  # over six months
    Absence.objects.create(member=m["away"], left_on=date(2025, 4, 20), destination="深圳", reported=False)
    activity(branch, user, date(2025, 3, 1), {m["unreachable"]: AttendanceStatus.PRESENT})
    activity(branch, user, date(2025, 6, 10), {m["unreachable"]: AttendanceStatus.UNREACHABLE})
    activity(branch, user, date(2024, 10, 1), {m["returned"]: AttendanceStatus.PRESENT})
    Absence.objects.create(
        member=m["returned"], left_on=date(2025, 3, 1), destination="西安", returned_on=date(2025, 6, 15)
    )
    for member in (not_yet, left_before, arrived_later):
        activity(branch, user, date(2025, 6, 2), {member: AttendanceStatus.PRESENT})
    # Cases: two opened in June, one closed in June, three open at its end, one of them idle.
    for opened_on, closed_on, tried_on in [
        (date(2025, 6, 5), date(2025, 6, 25), None),
        (date(2025, 5, 1), None, None),  # idle since May 1: overdue
        (date(2025, 6, 20), None, None),  # open 10 days: not overdue
        (date(2025, 4, 1), date(2025, 7, 15), date(2025, 6, 20)),  # tried June 20; closed in July
    ]:
        case = CaseFactory(
            member=MemberFactory(organization=org("branch_a3_1"), joined_on=date(2026, 1, 1)),
            opened_by=user,
            opened_on=opened_on,
            closed_on=closed_on,
            status=CaseStatus.CONTACTED if closed_on else CaseStatus.OPEN,
        )
        if tried_on:
            attempt(case, user, tried_on)
    cases = {c.opened_on: c for c in LostContactCase.objects.all()}
    late = disposition(
        cases[date(2025, 5, 1)],
        user,
        proposed_on=date(2025, 5, 1),
        status=DispositionStatus.APPROVED,
        approved_on=date(2025, 7, 10),
    )
    DispositionStep.objects.create(
        disposition=late,
        stage="branch_committee",
        decision="agree",
        opinion="同意",
        acting_user=user,
        organization=org("branch_a3_1"),
        decided_on=date(2025, 5, 10),
    )  # its next stage waited from May 10 past June 30: overdue
    disposition(cases[date(2025, 6, 20)], user, proposed_on=date(2025, 6, 20))  # waiting, not overdue
    disposition(
        cases[date(2025, 6, 5)],
        user,
        proposed_on=date(2025, 6, 6),
        status=DispositionStatus.APPROVED,
        approved_on=date(2025, 6, 28),
    )  # decided before the month's end: not waiting
    return m


def test_past_month_is_rebuilt_from_dated_facts(world, org):
    _june_world(world, org)
    assert snapshots.snapshot_take(JUNE_2025, today=date(2025, 11, 20))
    branch = row(org("branch_a1"), JUNE_2025)
    assert (branch["members"], branch["warning"], branch["out_of_control"], branch["lost"]) == (7, 1, 2, 1)
    cases = row(org("branch_a3_1"), JUNE_2025)
    assert {k: cases[k] for k in FIELDS if k.startswith(("cases", "dispositions"))} == {
        "cases_opened": 2,
        "cases_closed": 1,
        "cases_open": 3,
        "cases_overdue": 1,
        "dispositions_waiting": 2,
        "dispositions_overdue": 1,
    }
    committee = row(org("committee_a"), JUNE_2025)
    assert committee == {k: branch[k] + cases[k] for k in FIELDS}  # the case members joined in 2026
    snap = MonthlySnapshot.objects.get(organization=org("county"), month=JUNE_2025)
    assert snap.reconstructed and snap.as_of == date(2025, 6, 30)
    # In July the member transferred in on July 10 counts too; the one who joins in August not yet.
    snapshots.snapshot_take(date(2025, 7, 1), today=date(2025, 11, 20))
    assert row(org("branch_a1"), date(2025, 7, 1))["members"] == 8


def test_rebuilt_status_agrees_with_the_daily_refresh(world, org):
    """On a day whose facts all lie before it, the rebuilt counts equal the stored statuses that
    the daily refresh computes with that day as today."""
    _june_world(world, org)
    day = date(2025, 6, 30)
    for payment in Member.objects.get(name="warning").dues.filter(paid_on__gt=day):
        payment.delete()  # the rule on `today` knows nothing of later facts
    refresh_all(today=day)
    stored = Counter()
    for org_id, status in Member.objects.filter(
        party_status__in=["normal", "correction"], joined_on__lte=day
    ).values_list("organization_id", "contact_status"):
        stored[(org_id, status)] += 1
    arrived_later = Transfer.objects.get().member
    stored[(arrived_later.organization_id, arrived_later.contact_status)] -= 1
    left_later = Member.objects.get(name="left_later")
    rebuilt = Counter()
    for org_id, statuses in status_counts_on(day).items():
        for status, n in statuses.items():
            rebuilt[(org_id, status)] += n
    stored[(left_later.organization_id, "normal")] += 1  # removed after the day: counted on it
    assert +rebuilt == +stored


def _queries(month, today):
    with CaptureQueriesContext(connection) as ctx:
        snapshots.snapshot_take(month, today=today)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("past", [False, True], ids=["current", "past"])
def test_query_count_does_not_grow_with_the_tree(world, org, past):
    today = timezone.localdate()
    month = today - timedelta(days=62) if past else today
    seed_today(world, org, today)
    one = _queries(month, today)
    parent = org("committee_c")
    for n in range(40):
        branch = Organization.objects.add_child(
            parent,
            create_kwargs={
                "code": f"610581003{n + 100:03d}",
                "name": f"新建党支部{n}",
                "kind": OrgKind.BRANCH,
            },
        )
        MemberFactory(organization=branch, contact_status="warning")
        CaseFactory(
            member=MemberFactory(organization=branch), opened_by=world.users["county"], opened_on=today
        )
    many = _queries(month, today)
    assert many == one, (one, many)
    # orgs, members, cases, dispositions, the upsert, the transaction's savepoints (and on
    # PostgreSQL, for a past month, switching JIT off)
    assert one <= 10
    assert MonthlySnapshot.objects.filter(month=month.replace(day=1)).count() == Organization.objects.count()


def test_take_snapshots_backfills_and_keeps_taken_months(world, org):
    today = timezone.localdate()
    current = today.replace(day=1)
    since = snapshots.month_start(current - timedelta(days=40))  # the month before last
    MemberFactory(organization=org("branch_a1"), joined_on=date(2000, 1, 1))
    call_command("take_snapshots", since=f"{since:%Y-%m}", stdout=io.StringIO())
    months = sorted(set(MonthlySnapshot.objects.values_list("month", flat=True)))
    assert months == [since, snapshots.next_month(since), current]
    assert MonthlySnapshot.objects.count() == len(months) * Organization.objects.count()
    # A past month already taken is kept; --overwrite rebuilds it.
    first = MonthlySnapshot.objects.get(organization=org("branch_a1"), month=since)
    MonthlySnapshot.objects.filter(pk=first.pk).update(members=99)  # derived data, no history
    call_command("take_snapshots", since=f"{since:%Y-%m}", stdout=io.StringIO())
    assert MonthlySnapshot.objects.get(pk=first.pk).members == 99
    call_command("take_snapshots", since=f"{since:%Y-%m}", overwrite=True, stdout=io.StringIO())
    assert MonthlySnapshot.objects.get(pk=first.pk).members == 1


@pytest.mark.parametrize("since", ["2025-13", "25-01", "2025/01", "next"])
def test_take_snapshots_refuses_a_bad_month(db, since):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("take_snapshots", since=since)


def test_take_snapshots_refuses_a_month_to_come(world):
    later = snapshots.next_month(timezone.localdate())
    with pytest.raises(CommandError, match="尚未到来"):
        call_command("take_snapshots", since=f"{later:%Y-%m}")
    assert not MonthlySnapshot.objects.exists()


def test_the_daily_job_takes_this_month_again(world, org):
    from lianxin.daily import JOBS

    job = JOBS["month_snapshot"]
    assert "refresh_statuses" in job.after  # it counts the statuses refreshed that day
    MemberFactory(organization=org("branch_a1"), contact_status="warning")
    job.func(today=timezone.localdate())
    MemberFactory(organization=org("branch_a1"), contact_status="lost")
    job.func(today=timezone.localdate())
    snap = MonthlySnapshot.objects.get(organization=org("county"))
    assert (snap.members, snap.warning, snap.lost) == (2, 1, 1)
