"""The 工作台's 待党委再次查找 and 待答复的协查请求 past a committee's size: from the counters when
the user's cases are their scope's alone, counted live when 协查 brings in cases from elsewhere —
the number of the list each opens, per tier, either way."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin import dashboard, listfilters
from tests.factories import CaseFactory, MemberFactory
from tracing import services
from tracing.dashboard import panels
from tracing.listfilters import LIST
from tracing.models import CaseStatus

TODAY = timezone.localdate()
TITLES = {"second_search_due": "待党委再次查找", "assistance_pending": "待答复的协查请求"}


@pytest.fixture
def waiting(world, org):
    """Second searches due in two committees; a 协查 from committee_a's branch to committee_b's."""
    for code in ("branch_a1", "branch_a2", "branch_b1"):
        for _ in range(2):
            CaseFactory(
                member=MemberFactory(organization=org(code)),
                opened_by=world.users["branch_a1"],
                status=CaseStatus.UNREACHABLE,
                closed_on=TODAY - timedelta(days=40),
            )
    asked = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"]
    )
    services.assistance_request(
        case=asked,
        to_organization=org("branch_b1"),
        text="可能在该村务工",
        acting_user=world.users["branch_a1"],
    )


def _user(world, username):
    return world.admin if username == "admin" else world.users[username]


@pytest.mark.parametrize(
    "username", ["branch_a1", "branch_b1", "committee_a", "committee_b", "county", "admin"]
)
def test_the_waiting_panels_count_their_lists_with_counters_or_without(world, waiting, monkeypatch, username):
    user = _user(world, username)
    rows = {key: listfilters.rows(LIST, key, user, TODAY).count() for key in TITLES}
    live = {p.title: p.count for p in panels(user)}
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    counted = {p.title: p.count for p in panels(user)}
    assert live == counted == {TITLES[key]: n for key, n in rows.items()}
    if username in ("committee_b", "county"):
        assert rows["assistance_pending"] == 1  # the 协查 reached their subtree


def test_counters_stand_in_only_where_they_hold_the_rows(world, waiting, monkeypatch):
    """committee_b sees a case from committee_a through 协查: no counter holds its list, so its
    cases are counted; committee_a's cases are its scope's own: the counter, no case query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)
    for username, counted_live in (("committee_b", True), ("committee_a", False)):
        user = _user(world, username)
        panels(user)  # the grants, the counters and the 协查 list, read once per request
        with CaptureQueriesContext(connection) as ctx:
            panels(user)
        aggregates = [q for q in ctx.captured_queries if "tracing_lostcontactcase" in q["sql"]]
        assert bool(aggregates) == counted_live, username
