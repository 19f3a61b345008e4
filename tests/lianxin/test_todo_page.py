"""Issue 18 item 2: the 待办 page — tabs 待办 / 超期 / 即将到期 with counts, every line one click
from its action (and a link only where following it works), the units below ranked by overdue
work, the same counts on the 工作台, a fixed number of queries."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import addressing, overdue, todo
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE, Delegation, Organization
from members.models import Transfer
from tests.factories import CaseFactory, MemberFactory
from tracing.models import CaseStatus

DAY = timedelta(days=1)
TODAY = timezone.localdate()


def some_work(world, code="610581001001", n=1):
    """Overdue, soon and open work at a branch: n of each kind."""
    branch = world.orgs[code]
    for _ in range(n):
        MemberFactory(organization=branch, last_contact_on=TODAY - 160 * DAY)  # 预警: todo
        MemberFactory(organization=branch, last_contact_on=TODAY - 178 * DAY)  # 预警: soon
        CaseFactory(
            member=MemberFactory(organization=branch),
            opened_by=world.users["branch_a1"],
            opened_on=TODAY - 60 * DAY,
        )
        member = MemberFactory(organization=branch)
        Transfer.objects.create(
            member=member,
            direction=Transfer.Direction.OUT,
            nature=Transfer.Nature.PERMANENT,
            other_organization="东莞市某党支部",
            talk_on=TODAY - 90 * DAY,
            talk_record="谈话",
            letter_issued_on=TODAY - 90 * DAY,
            recorded_by=world.users["branch_a1"],
        )


def links(html):
    block = html.split('class="todo-list"', 1)[1].split("</ul>", 1)[0] if 'class="todo-list"' in html else ""
    return re.findall(r'<a href="([^"]+)"', block)


def test_tabs_count_and_each_line_leads_to_its_action(world, client_for):
    some_work(world)
    client = client_for("branch_a1")
    counts = {}
    for tab in overdue.TABS:
        html = client.get(reverse("todo") + f"?tab={tab}").content.decode()
        counts[tab] = len(links(html))
        for url in links(html):
            assert client.get(url).status_code == 200, url  # the action page opens for this user
    # overdue: the case with no attempt, the 回执; soon: 预警 at day 178; todo: 预警 at day 160
    assert counts == {overdue.OVERDUE: 2, overdue.SOON: 1, overdue.TODO: 1}
    html = client.get(reverse("todo")).content.decode()
    for tab, n in counts.items():
        assert re.search(rf"{overdue.TABS[tab]} <span class=\"badge[^\"]*\">{n}</span>", html)


def test_the_level_above_sees_escalated_work_with_links_it_may_follow(world, client_for):
    some_work(world)
    client = client_for("committee_a")
    html = client.get(reverse("todo") + "?tab=overdue").content.decode()
    assert "下级逾期，请督办" in html
    urls = links(html)
    assert urls and all(client.get(url).status_code == 200 for url in urls)
    # the committee may not record a 回执: its line leads to the member's page instead
    assert not any("/receipt/" in url for url in urls)


def test_units_below_are_ranked_by_overdue_work_equal_to_a_direct_count(world):
    some_work(world, "610581001002", n=2)
    some_work(world, "610581001001", n=1)
    ranking = todo.ranking(world.users["committee_a"], TODAY)
    assert [org.code for org, _late, _all in ranking[:2]] == ["610581001002", "610581001001"]
    items = overdue.all_items(TODAY)
    for org, late, total in ranking:
        mine = [i for i in items if i.organization.path.startswith(org.path)]
        assert (late, total) == (sum(i.tab(TODAY) == overdue.OVERDUE for i in mine), len(mine))
    county = todo.ranking(world.users["county"], TODAY)
    assert {org.depth for org, *_ in county} == {Organization.objects.get(code="610581").depth + 1}
    assert todo.ranking(world.users["branch_a1"], TODAY) == []  # a branch has no units below


def test_queries_do_not_grow_with_the_work(world, client_for):
    def count(username):
        client = client_for(username)
        client.get(reverse("todo"))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("todo")).status_code == 200
        return len(ctx.captured_queries)

    some_work(world)
    before = {u: count(u) for u in ("branch_a1", "committee_a", "county")}
    some_work(world, n=5)
    some_work(world, "610581001002", n=3)
    assert {u: count(u) for u in before} == before


def test_the_workbench_shows_the_same_counts(world, client_for):
    some_work(world)
    response = client_for("branch_a1").get(reverse("home"))
    entries = todo.entries_for(world.users["branch_a1"], TODAY)
    counts = todo.counts(entries)
    # The 待办 tabs are cards among the others (lianxin/dashboard.todo_panels), each opening its tab.
    cards = {p.title: p for p in response.context["panels"]}
    assert cards["超期待办"].count == counts["overdue"] > 0
    assert cards["即将到期"].count == counts["soon"] > 0
    assert cards["其他待办"].count == counts["todo"]
    html = response.content.decode()
    assert f'href="{reverse("todo")}?tab=overdue"' in html
    assert f'<span class="count">{counts["overdue"]}</span>' in html


def _addressed_to(user):
    """Ground truth: every rule's items addressed as the digest addresses them, kept for `user`."""
    items = addressing.address_all(overdue.all_items(TODAY), TODAY)
    return sorted(i.key for i in items for a in i.addressees if a.user.pk == user.pk)


def test_a_secretary_is_asked_only_the_rules_that_can_reach_a_branch(world):
    """Work goes up the tree, never down: a branch secretary's 待办 skips the committee's and the
    department's rules (fewer queries) and still holds exactly what is addressed to them — and,
    lent a committee post, the committee's work as well."""
    some_work(world)
    branch = world.orgs["610581001001"]
    CaseFactory(  # the committee's 再次查找, long overdue
        member=MemberFactory(organization=branch),
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=TODAY - 90 * DAY,
    )
    secretary = world.users["branch_a1"]

    def entries():
        with CaptureQueriesContext(connection) as ctx:
            found = sorted(e.item.key for e in todo.entries_for(secretary, TODAY))
        return found, len(ctx.captured_queries)

    found, queries = entries()
    assert found == _addressed_to(secretary) and found
    assert not any(key.startswith("second_search:") for key in found)
    above = [r for r in overdue.rules() if r.tier != TIER_BRANCH]
    assert above  # the committee's and the department's rules exist, and were not asked

    Delegation.objects.create(
        post=world.users["committee_a"].posts.get(ended_on__isnull=True),
        delegate=secretary,
        starts_on=TODAY,
        ends_on=TODAY + 7 * DAY,
        reason=Delegation.Reason.choices[0][0],
        created_by=world.users["committee_a"],
    )
    lent, lent_queries = entries()
    assert lent == _addressed_to(secretary)
    assert any(key.startswith("second_search:") for key in lent)
    assert lent_queries >= queries + len([r for r in above if r.tier == TIER_COMMITTEE])


def test_one_query_finds_the_rules_with_work_on_a_small_scope(world):
    """On a branch or a committee one UNION finds the rules with any work; only they are asked for
    their rows — the same rules that asking each would have found rows for."""
    some_work(world)
    for username in ("branch_a1", "branch_a2", "committee_a", "county"):
        user = world.users[username]
        where = todo._where_for(user, todo.seats(user, TODAY), TODAY)
        with CaptureQueriesContext(connection) as ctx:
            busy = overdue.rules_with_work(TODAY, overdue.rules(), where_for=where)
        assert len(ctx.captured_queries) == 1
        assert busy == {r.key for r in overdue.rules() if overdue.items(r, TODAY, where=where(r))}, username
        if username == "branch_a1":
            assert busy and len(busy) < len(overdue.rules())
    assert overdue.rules_with_work(TODAY, []) == set()


def test_the_probe_kept_for_the_day_answers_as_the_one_built(world, settings):
    """The probe's SQL is kept per scope, rules and thresholds: asked again it is one query and
    the same answer; another scope or other thresholds get their own."""
    some_work(world)
    overdue._PROBE_SQL.clear()
    secretary, other = world.users["branch_a1"], world.users["branch_a2"]
    mine = todo._where_for(secretary, todo.seats(secretary, TODAY), TODAY)
    theirs = todo._where_for(other, todo.seats(other, TODAY), TODAY)
    built = overdue.rules_with_work(TODAY, overdue.rules(), where_for=mine)
    assert built and len(overdue._PROBE_SQL) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert overdue.rules_with_work(TODAY, overdue.rules(), where_for=mine) == built
    assert len(ctx.captured_queries) == 1 and len(overdue._PROBE_SQL) == 1
    # The other branch has no work: its own SQL, its own (empty) answer.
    assert overdue.rules_with_work(TODAY, overdue.rules(), where_for=theirs) == set()
    assert len(overdue._PROBE_SQL) == 2
    # Thresholds moved far out: nothing is work yet, whatever was kept.
    settings.LIANXIN = {
        **settings.LIANXIN,
        "OVERDUE": {key: value * 50 for key, value in settings.LIANXIN["OVERDUE"].items()},
    }
    later = overdue.rules_with_work(TODAY, overdue.rules(), where_for=mine)
    assert later == {r.key for r in overdue.rules() if overdue.items(r, TODAY, where=mine(r))}
    assert later < built


def test_a_probe_that_can_match_nothing_is_kept_as_nothing(world):
    """A user with no post reaches no rows: the empty answer is kept without a query."""
    nobody = todo._where_for(world.users["branch_a1"], [], TODAY)
    overdue._PROBE_SQL.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert overdue.rules_with_work(TODAY, overdue.rules(), where_for=nobody) == set()
        assert overdue.rules_with_work(TODAY, overdue.rules(), where_for=nobody) == set()
    assert len(ctx.captured_queries) == 0 and list(overdue._PROBE_SQL.values()) == [()]


def test_the_kept_probes_are_bounded(world, monkeypatch):
    """A process keeps at most PROBE_SQL_KEPT scopes' probes: past that it starts again."""
    some_work(world)
    monkeypatch.setattr(overdue, "PROBE_SQL_KEPT", 2)
    overdue._PROBE_SQL.clear()
    for username in ("branch_a1", "branch_a2", "committee_a", "county", "branch_a1"):
        user = world.users[username]
        where = todo._where_for(user, todo.seats(user, TODAY), TODAY)
        busy = overdue.rules_with_work(TODAY, overdue.rules(), where_for=where)
        assert busy == {r.key for r in overdue.rules() if overdue.items(r, TODAY, where=where(r))}, username
        assert len(overdue._PROBE_SQL) <= 2
