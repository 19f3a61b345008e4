"""The 统计表 read in one grouped query: which case and which approval count on the date, the
caller's scope, and a number of queries that does not grow with the members."""

from datetime import date

import pytest

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from members.models import Member
from reports import builders
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus

AS_OF = date(2026, 11, 1)


@pytest.fixture
def lost(world, org):
    """make(column-ish name, branch, *cases): a member with cases given as (opened, status, closed)."""
    user = world.users["branch_a1"]

    def make(name, branch="branch_a1", cases=((date(2026, 6, 1), CaseStatus.OPEN, None),)):
        member = MemberFactory(organization=org(branch), name=name, last_contact_on=date(2025, 1, 1))
        made = [
            CaseFactory(member=member, opened_by=user, opened_on=opened, status=status, closed_on=closed)
            for opened, status, closed in cases
        ]
        return member, made

    return make


def approve(case, outcome, approved_on, revoked_on=None, contacted=True):
    return Disposition.objects.create(
        case=case,
        member=case.member,
        organization=case.organization,
        outcome=outcome,
        contacted=contacted,
        proposal="x",
        proposed_by=case.opened_by,
        proposed_on=approved_on,
        status=DispositionStatus.REVOKED if revoked_on else DispositionStatus.APPROVED,
        approved_on=approved_on,
        revoked_on=revoked_on,
    )


def table(org, day=AS_OF, members=None):
    return builders.statistics_rows(
        org("committee_a"), day, Member.objects.all() if members is None else members
    )


def columns_of(rows, member):
    return {c for c in builders.COLUMNS if member.pk in rows[-1].members[c]}


def test_the_latest_case_opened_by_the_date_counts(org, lost):
    contacted_then_lost_again, (old, new) = lost(
        "再次失联",
        cases=(
            (date(2026, 3, 1), CaseStatus.CONTACTED, date(2026, 4, 1)),
            (date(2026, 8, 1), CaseStatus.OPEN, None),
        ),
    )
    approve(old, Outcome.RETAIN, date(2026, 4, 10))
    assert columns_of(table(org), contacted_then_lost_again) == {"A", "O", "W"}
    # Before the second case opened, the first one (contacted, 保留组织关系) is the latest.
    assert columns_of(table(org, date(2026, 7, 1)), contacted_then_lost_again) == {"A", "B", "C", "D"}


def test_of_two_cases_opened_on_one_day_the_later_one_counts(org, lost):
    member, _cases = lost(
        "同日两案",
        cases=(
            (date(2026, 6, 1), CaseStatus.DECEASED, date(2026, 7, 1)),
            (date(2026, 6, 1), CaseStatus.OPEN, None),
        ),
    )
    assert columns_of(table(org), member) == {"A", "O", "W"}


def test_a_case_closed_after_the_date_is_still_open_on_it(org, lost):
    member, _cases = lost("后来联系上", cases=((date(2026, 6, 1), CaseStatus.CONTACTED, date(2026, 10, 1)),))
    assert columns_of(table(org, date(2026, 9, 1)), member) == {"A", "O", "W"}
    assert columns_of(table(org), member) == {"A", "B", "C"}


def test_the_latest_approval_in_force_counts(org, lost):
    revoked, (case_r,) = lost("撤销", cases=((date(2026, 6, 1), CaseStatus.CONTACTED, date(2026, 7, 1)),))
    approve(case_r, Outcome.CORRECTION, date(2026, 8, 1), revoked_on=date(2026, 10, 1))
    twice, (case_t,) = lost("两次批准", cases=((date(2026, 6, 1), CaseStatus.CONTACTED, date(2026, 7, 1)),))
    approve(case_t, Outcome.CORRECTION, date(2026, 8, 1))
    approve(case_t, Outcome.RETAIN, date(2026, 9, 1))
    rows = table(org)
    assert columns_of(rows, revoked) == {"A", "B", "C"}  # revoked by the date: no outcome
    assert columns_of(rows, twice) == {"A", "B", "C", "D"}
    earlier = table(org, date(2026, 8, 15))
    assert columns_of(earlier, revoked) == {"A", "B", "C", "F"}  # revoked only later
    assert columns_of(earlier, twice) == {"A", "B", "C", "F"}


def test_only_the_members_in_the_callers_scope_count(org, lost):
    inside, _c = lost("支部一", "branch_a1")
    outside, _c = lost("支部二", "branch_a2")
    rows = table(org, members=Member.objects.filter(organization=org("branch_a1")))
    assert rows[-1].counts["A"] == 1
    assert rows[-1].members["A"] == [inside.pk]


def test_the_queries_do_not_grow_with_the_members_and_the_ids_cost_one_more(
    org, lost, django_assert_num_queries
):
    for i in range(6):
        member, (case,) = lost(
            f"党员{i}",
            ("branch_a1", "branch_a2")[i % 2],
            ((date(2026, 6, 1), CaseStatus.CONTACTED, date(2026, 7, 1)),),
        )
        approve(case, (Outcome.RETAIN, Outcome.CORRECTION)[i % 3 == 0], date(2026, 8, 1))
    # The children, their names on the date, the grouped cases, the approvals of those cases.
    with django_assert_num_queries(4):
        rows = table(org)
    assert rows[-1].counts["A"] == 6
    with django_assert_num_queries(1):  # the member ids of every row, on first use
        ids = {c: sorted(rows[-1].members[c]) for c in builders.COLUMNS}
    assert {c: len(v) for c, v in ids.items()} == {c: rows[-1].counts[c] for c in builders.COLUMNS}
    assert sum(len(r.members["D"]) for r in rows[:-1]) == rows[-1].counts["D"] == 4


def test_a_drill_down_reads_the_ids_with_the_counts(org, lost, django_assert_num_queries):
    members = [lost(f"党员{i}", ("branch_a1", "branch_a2")[i % 2])[0] for i in range(4)]
    with django_assert_num_queries(3):  # no approval: the children, their names, the grouped cases
        rows = builders.statistics_rows(org("committee_a"), AS_OF, Member.objects.all(), member_ids=True)
    with django_assert_num_queries(0):
        assert sorted(rows[-1].members["W"]) == sorted(m.pk for m in members)
    assert [len(r.members["A"]) for r in rows[:-1] if r.counts["A"]] == [2, 2]
