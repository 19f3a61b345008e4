"""Dated facts for the snapshot tests, and the numbers counted directly, row by row, without
reports/snapshots.py: what a snapshot of an organization's subtree must equal."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from disposition.models import ACTIVE, Disposition, DispositionStatus
from disposition.outcomes import Outcome
from members.models import Activity, ActivityKind, Attendance, DuesPayment, Member, PartyStatus
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus, LostContactCase, SearchAttempt

IN_MANAGEMENT = (PartyStatus.NORMAL, PartyStatus.CORRECTION)


def activity(org, user, held_on, attendance):
    """An activity of `org` on `held_on` with {member: attendance status}."""
    act = Activity.objects.create(
        organization=org, kind=ActivityKind.PARTY_DAY, title="主题党日", held_on=held_on, recorded_by=user
    )
    for member, status in attendance.items():
        Attendance.objects.create(activity=act, member=member, status=status)
    return act


def dues(member, user, paid_on):
    return DuesPayment.objects.create(
        member=member,
        month=paid_on.replace(day=1),
        amount=Decimal("10.00"),
        paid_on=paid_on,
        recorded_by=user,
    )


def attempt(case, user, on):
    return SearchAttempt.objects.create(
        case=case,
        searched_at=f"{on:%Y-%m-%d}T10:00:00+08:00",
        searcher=user,
        searcher_name="查找人",
        channel="phone",
        process="电话联系",
        result="no_trace",
    )


def disposition(case, user, *, proposed_on, status=DispositionStatus.IN_REVIEW, approved_on=None):
    return Disposition.objects.create(
        case=case,
        member=case.member,
        organization=case.organization,
        outcome=Outcome.RETAIN,
        contacted=True,
        proposal="保留组织关系",
        status=status,
        current_stage="committee_pre" if status in ACTIVE else "",
        proposed_by=user,
        proposed_on=proposed_on,
        approved_on=approved_on,
    )


def seed_today(world, org, today):
    """Members with every stored status, cases and dispositions around the current month, in
    several branches, one member kept directly on a committee, one out of management."""
    user = world.users["branch_a1"]
    for key, statuses in {
        "branch_a1": ["normal", "normal", "warning", "out_of_control", "lost", "lost"],
        "branch_a2": ["normal", "warning"],
        "branch_a3_1": ["lost", "out_of_control", "normal"],
        "branch_b1": ["warning", "normal"],
        "committee_a": ["normal"],
    }.items():
        for status in statuses:
            MemberFactory(organization=org(key), contact_status=status)
    MemberFactory(organization=org("branch_a1"), contact_status="lost", party_status=PartyStatus.REMOVED)
    first = today.replace(day=1)
    long_ago = today - timedelta(days=90)
    for key, opened_on, closed_on, tried_on in [
        ("branch_a1", today, None, None),  # opened this month
        ("branch_a1", long_ago, None, None),  # open, idle: overdue
        ("branch_a1", long_ago, None, today),  # open, tried today: not overdue
        ("branch_a3_1", long_ago, today, None),  # closed this month
        ("branch_b1", first, None, None),
    ]:
        case = CaseFactory(
            member=MemberFactory(organization=org(key), contact_status="lost"),
            opened_by=user,
            opened_on=opened_on,
            closed_on=closed_on,
            status=CaseStatus.CONTACTED if closed_on else CaseStatus.OPEN,
        )
        if tried_on:
            attempt(case, user, tried_on)
    closed = LostContactCase.objects.filter(closed_on__isnull=False)
    disposition(closed.get(), user, proposed_on=long_ago)  # waiting 90 days: overdue
    recent = LostContactCase.objects.filter(opened_on=today).first()
    disposition(recent, user, proposed_on=today)


def direct_counts(org, today, *, own=False):
    """The current month's numbers of `org`'s subtree (or of its own rows), counted row by row."""
    first = today.replace(day=1)
    where = {"organization": org} if own else {"organization__path__startswith": org.path}
    members = Member.objects.filter(**where, party_status__in=IN_MANAGEMENT)
    cases = LostContactCase.objects.filter(**where)
    open_cases = list(cases.filter(status=CaseStatus.OPEN))
    cutoff = today - timedelta(days=30)
    waiting = list(Disposition.objects.filter(**where, status__in=ACTIVE).exclude(outcome=Outcome.EXPEL))
    return {
        "members": members.count(),
        "warning": members.filter(contact_status="warning").count(),
        "out_of_control": members.filter(contact_status="out_of_control").count(),
        "lost": members.filter(contact_status="lost").count(),
        "cases_opened": cases.filter(opened_on__gte=first).count(),
        "cases_closed": cases.filter(closed_on__gte=first).count(),
        "cases_open": len(open_cases),
        "cases_overdue": sum(
            1
            for c in open_cases
            if c.opened_on < cutoff
            and not any(timezone.localtime(a.searched_at).date() >= cutoff for a in c.attempts.all())
        ),
        "dispositions_waiting": len(waiting),
        "dispositions_overdue": sum(
            1 for d in waiting if max([d.proposed_on, *(s.decided_on for s in d.steps.all())]) < cutoff
        ),
    }


JUNE_2025 = date(2025, 6, 1)
