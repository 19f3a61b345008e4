"""A large scope's 待办 cards and watch panels come from the snapshot the worker keeps (lianxin/todo_snapshot.py):
the same numbers and lines as the live 待办, taken when missing or stale, asked for once while a
refresh is pending, refreshed for everyone by the daily job, and read without addressing a
single item when fresh."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin import dashboard, todo, todo_snapshot
from lianxin.daily import JOBS
from lianxin.models import TodoSnapshot
from tests.lianxin.test_todo_page import some_work

TODAY = timezone.localdate()


@pytest.fixture
def large(monkeypatch):
    """Every scope with a member counts as large (the test world has a few members)."""
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)


def todo_cards(response):
    return {p.title: p for p in response.context["panels"] if p.url.startswith(reverse("todo"))}


def live_cards(user):
    entries = todo.entries_for(user, TODAY)
    return todo.counts(entries), entries


def test_the_cards_equal_the_live_todo_and_say_when(world, client_for, large):
    some_work(world, n=2)
    user = world.users["committee_a"]
    counts, entries = live_cards(user)
    assert sum(counts.values()) > 0
    cards = todo_cards(client_for("committee_a").get(reverse("home")))  # taken now (immediate backend)
    for tab, title, _level, _rank in dashboard.TODO_PANELS:
        assert cards[title].count == counts[tab]
        mine = [e for e in entries if e.tab == tab][: todo_snapshot.FIRST]
        assert [line[1] for line in cards[title].items] == [e.url for e in mine]
        assert cards[title].hint.startswith("截至 ")
    snapshot = TodoSnapshot.objects.get(user=user)
    assert snapshot.day == TODAY and snapshot.refreshing_since is None


def test_a_fresh_snapshot_is_read_without_addressing_anything(world, client_for, large, monkeypatch):
    some_work(world)
    client = client_for("committee_a")
    first = todo_cards(client.get(reverse("home")))

    def refuse(*args, **kwargs):
        raise AssertionError("a fresh snapshot is read, not recomputed")

    monkeypatch.setattr(todo, "entries_for", refuse)
    again = todo_cards(client.get(reverse("home")))
    assert {t: p.count for t, p in again.items()} == {t: p.count for t, p in first.items()}


def test_a_small_scope_stays_live(world, client_for):
    some_work(world)
    client_for("branch_a1").get(reverse("home"))
    assert not TodoSnapshot.objects.exists()


def test_a_stale_snapshot_is_shown_and_refreshed(world, client_for, large):
    user = world.users["committee_a"]
    old = timezone.now() - todo_snapshot.MAX_AGE - timedelta(minutes=1)
    TodoSnapshot.objects.create(
        user=user, day=TODAY - timedelta(days=1), computed_at=old, counts={"overdue": 99}
    )
    some_work(world)
    cards = todo_cards(client_for("committee_a").get(reverse("home")))
    counts, _ = live_cards(user)
    assert cards["超期待办"].count == counts["overdue"] != 99
    assert TodoSnapshot.objects.get(user=user).day == TODAY


def test_a_pending_refresh_is_not_asked_for_twice(world, client_for, large):
    some_work(world)
    user = world.users["committee_a"]
    TodoSnapshot.objects.create(user=user, refreshing_since=timezone.now())  # the worker has it
    html = client_for("committee_a").get(reverse("home")).content.decode()
    assert "正在统计，请稍后刷新本页" in html and "目前没有紧急待办" not in html
    assert TodoSnapshot.objects.get(user=user).computed_at is None  # no second task ran


def test_a_refresh_whose_worker_died_is_asked_for_again(world, client_for, large):
    some_work(world)
    user = world.users["committee_a"]
    stuck = timezone.now() - todo_snapshot.STUCK - timedelta(minutes=1)
    TodoSnapshot.objects.create(user=user, refreshing_since=stuck)
    client_for("committee_a").get(reverse("home"))
    snapshot = TodoSnapshot.objects.get(user=user)
    assert snapshot.computed_at is not None and snapshot.refreshing_since is None


def test_the_daily_job_refreshes_every_snapshot_and_drops_the_inactive(world):
    some_work(world)
    active, gone = world.users["committee_a"], world.users["county"]
    for user in (active, gone):
        TodoSnapshot.objects.create(user=user, day=TODAY - timedelta(days=1), computed_at=timezone.now())
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert JOBS["todo_snapshots"].func(today=TODAY) == {"refreshed": 1}
    snapshot = TodoSnapshot.objects.get(user=active)
    assert snapshot.day == TODAY and snapshot.counts == live_cards(active)[0]
    assert not TodoSnapshot.objects.filter(user=gone).exists()


def test_the_watch_panels_ride_in_the_snapshot_equal_to_the_live_ones(world, client_for, large):
    some_work(world, n=2)
    user = world.users["committee_a"]
    live = {p.title: p for p in dashboard.watch_panels(user)}
    assert live and any(p.count for p in live.values())
    shown = {p.title: p for p in client_for("committee_a").get(reverse("home")).context["panels"]}
    for title, panel in live.items():
        assert shown[title].count == panel.count
        assert shown[title].url == panel.url and shown[title].level == panel.level
        assert shown[title].items == [tuple(item[:3]) for item in panel.items]  # links, no buttons
        assert "截至 " in shown[title].hint


def test_a_fresh_snapshot_reads_no_member_panel(world, client_for, large, monkeypatch):
    from members import dashboard as members_dashboard

    some_work(world)
    client = client_for("committee_a")
    first = client.get(reverse("home")).context["panels"]

    def refuse(*args, **kwargs):
        raise AssertionError("a fresh snapshot's watch panels are read, not recomputed")

    monkeypatch.setattr(members_dashboard, "watch_panels", refuse)
    again = client.get(reverse("home")).context["panels"]
    assert [(p.title, p.count) for p in again] == [(p.title, p.count) for p in first]


def test_a_snapshot_without_watch_panels_is_retaken(world, client_for, large):
    some_work(world)
    user = world.users["committee_a"]
    TodoSnapshot.objects.create(user=user, day=TODAY, computed_at=timezone.now(), counts={})
    client_for("committee_a").get(reverse("home"))
    assert TodoSnapshot.objects.get(user=user).panels is not None
