"""The 待办 counts and lines in SQL (lianxin/addressed.py, todo.summary): every person's rows are
exactly those the digest's Python addressing (lianxin/addressing.py) gives them — direct, lent,
unstaffed, escalated, excluded by separation of duties, the administrators' — the 工作台 and the
待办 page read a fixed number of queries whatever the number of items, and the page's rows
come a page at a time with the tab's exact count."""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import overdue, todo
from lianxin.addressing import address_all
from lianxin.dashboard import todo_panels
from lianxin.models import Delegation, Post
from lianxin.pagination import PAGE_SIZE
from members.models import Transfer
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.lianxin.test_dashboard_truth import add_what_the_demo_lacks
from tests.lianxin.test_shown_actions_work import awaiting_the_branch_and_the_committee

DAY = timedelta(days=1)
A1, A2 = "610581001001", "610581001002"


def by_python(today):
    """{user pk: {(item key, tab)}}: the digest's addressing of every item."""
    found = defaultdict(set)
    for item in address_all(overdue.all_items(today), today):
        for address in item.addressees:
            found[address.user.pk].add((item.key, item.tab(today)))
    return found


def by_sql(user, today):
    return {(e.item.key, e.tab) for e in todo.entries_for(user, today)}


def assert_everyone_agrees(today):
    expected = by_python(today)
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    wrong = [
        f"{u.username}: sql-only {sorted(by_sql(u, today) - expected[u.pk])}, "
        f"python-only {sorted(expected[u.pk] - by_sql(u, today))}"
        for u in users
        if by_sql(u, today) != expected[u.pk]
    ]
    assert not wrong, "\n".join(wrong)
    return expected


def test_every_person_gets_what_the_digest_gives_them(db):
    from lianxin.demo import seed

    world = seed()
    today = timezone.localdate()
    add_what_the_demo_lacks(world, world.users["branch_a1"].posts.first().organization.code)
    awaiting_the_branch_and_the_committee(world)
    expected = assert_everyone_agrees(today)
    assert sum(len(keys) for keys in expected.values()) > 20

    # A branch whose every post ended: its work goes up at once (unstaffed).
    branch = world.users["branch_a1"].posts.first().organization
    for post in Post.objects.filter(organization=branch, ended_on__isnull=True):
        post.ended_on = today
        post.save()
    # A post lent for a while (代办委托), and a holder gone inactive.
    lent = Post.objects.filter(ended_on__isnull=True, organization__depth__gt=branch.depth - 1).first()
    Delegation.objects.create(
        post=lent,
        delegate=world.users["county"],
        starts_on=today - DAY,
        ends_on=today + DAY,
        reason="travel",
        created_by=world.admin,
    )
    expected = assert_everyone_agrees(today)
    assert any(kind for kind in expected[world.users["county"].pk])


def test_escalated_and_excluded_work_at_the_seed_world(world):
    today = timezone.localdate()
    branch = world.orgs[A1]
    secretary = world.users["branch_a1"]
    # Long overdue (escalated to the committee) and fresh work at a staffed branch.
    MemberFactory(organization=branch, last_contact_on=today - 400 * DAY)
    MemberFactory(organization=branch, last_contact_on=today - 160 * DAY)
    CaseFactory(member=MemberFactory(organization=branch), opened_by=secretary, opened_on=today - 90 * DAY)
    # Work at a branch nobody holds: up to the committee.
    MemberFactory(organization=world.orgs[A2], last_contact_on=today - 250 * DAY)
    for post in Post.objects.filter(organization=world.orgs[A2], ended_on__isnull=True):
        post.ended_on = today
        post.save()
    # A proposal its proposer may not decide: separation of duties.
    from disposition import services as chain
    from tracing.models import CaseStatus

    case = CaseFactory(
        member=MemberFactory(organization=branch),
        opened_by=secretary,
        status=CaseStatus.UNREACHABLE,
        closed_on=today,
        second_search_done_on=today,
    )
    chain.disposition_propose(
        case=case, outcome="lapsed_remove", proposal="拟除名", acting_user=branch_officer(A1)
    )
    expected = assert_everyone_agrees(today)
    assert any(key.startswith("step_branch") for key, _ in expected[secretary.pk])
    assert not any(key.startswith("step_branch") for key, _ in expected[branch_officer(A1).pk])


def overdue_members(branch, n, today):
    for _ in range(n):
        MemberFactory(organization=branch, last_contact_on=today - 400 * DAY)  # 失联, no case: overdue
        MemberFactory(organization=branch, last_contact_on=today - 178 * DAY)  # 预警: soon


def test_workbench_and_todo_page_cost_the_same_queries_for_5_or_50_items(world, client_for):
    today = timezone.localdate()

    def count(username, url):
        client = client_for(username)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            assert response.status_code == 200
        return len(ctx.captured_queries), response

    def card_queries(username):
        # The 工作台's 待办 cards alone: its other panels change their way of reading past 50
        # rows (lianxin.dashboard.count_and_first_each), which tests/lianxin/test_dashboard_truth
        # measures.
        with CaptureQueriesContext(connection) as ctx:
            todo_panels(world.users[username])
        return len(ctx.captured_queries)

    users = ("branch_a1", "committee_a", "county")

    def counts():
        pages = [reverse("todo"), reverse("todo") + "?tab=soon", reverse("todo") + "?tab=soon&page=2"]
        return {(u, url): count(u, url)[0] for u in users for url in pages} | {
            u: card_queries(u) for u in users
        }

    overdue_members(world.orgs[A1], 5, today)
    few = counts()
    overdue_members(world.orgs[A1], 45, today)
    overdue_members(world.orgs[A2], 20, today)
    assert counts() == few
    assert count("county", reverse("home"))[0] < 45

    # 50 + 20 members lost without a case: the card counts them all and shows five.
    cards = {p.title: p for p in todo_panels(world.users["branch_a1"])}
    assert cards["超期待办"].count == len(
        [e for e in todo.entries_for(world.users["branch_a1"], today) if e.tab == "overdue"]
    )
    assert cards["超期待办"].count >= 50 and len(cards["超期待办"].items) == 5


def test_the_todo_page_pages_through_exactly_the_tabs_entries(world, client_for):
    today = timezone.localdate()
    overdue_members(world.orgs[A1], PAGE_SIZE + 7, today)
    user = world.users["branch_a1"]
    every = [e.item.key for e in todo.entries_for(user, today) if e.tab == "overdue"]
    client = client_for("branch_a1")
    shown = []
    for number in (1, 2):
        response = client.get(reverse("todo"), {"tab": "overdue", "page": number})
        page = response.context["page"]
        assert page.paginator.count == len(every)
        shown += [e.item.key for e in page.object_list]
    assert shown == every and len(every) > PAGE_SIZE
    html = client.get(reverse("todo"), {"tab": "overdue", "page": "x"}).content.decode()
    assert "第 1 / 2 页" in html and "?tab=overdue&page=2" in html
    last = client.get(reverse("todo"), {"tab": "overdue", "page": 99}).context["page"]
    assert last.number == 2 and [e.item.key for e in last.object_list] == every[PAGE_SIZE:]


def test_the_first_lines_are_the_lists_first_lines(world):
    today = timezone.localdate()
    branch = world.orgs[A1]
    for days in (200, 260, 230, 300, 190, 400, 210):  # 失联 no case, each its own due date
        MemberFactory(organization=branch, last_contact_on=today - days * DAY)
    member = MemberFactory(organization=branch)
    Transfer.objects.create(
        member=member,
        direction=Transfer.Direction.OUT,
        nature=Transfer.Nature.PERMANENT,
        other_organization="东莞市某党支部",
        talk_on=today - 90 * DAY,
        talk_record="谈话",
        letter_issued_on=today - 90 * DAY,
        recorded_by=world.users["branch_a1"],
    )
    user = world.users["branch_a1"]
    every = todo.entries_for(user, today)
    counts, first = todo.summary(user, today, first=3)
    for tab in overdue.TABS:
        mine = [e for e in every if e.tab == tab]
        assert counts[tab] == len(mine)
        assert [e.item.key for e in first if e.tab == tab] == [e.item.key for e in mine[:3]]
    assert counts["overdue"] > 3


def test_an_administrator_without_posts_gets_what_nobody_holds(world):
    today = timezone.localdate()
    for post in Post.objects.filter(ended_on__isnull=True):
        post.ended_on = today
        post.save()
    MemberFactory(organization=world.orgs[A1], last_contact_on=today - 400 * DAY)
    expected = assert_everyone_agrees(today)
    assert expected[world.admin.pk]
    client = Client()
    client.force_login(world.admin)
    assert client.get(reverse("todo")).context["page"].paginator.count == len(
        [k for k in expected[world.admin.pk] if k[1] == "overdue"]
    )
