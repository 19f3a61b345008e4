"""The 工作台 serves a minute's copy of its panels (lianxin/dashboard.py `cached_panels_for`).

What others did shows within the minute or on 刷新; what the user did shows at once (the
session's last write, lianxin/middleware.py); a copy never outlives the rights it was computed
under, and never serves another user.
"""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin import dashboard, todo_snapshot
from lianxin.dashboard import panels_for
from lianxin.models import Post, TodoSnapshot
from lianxin.posts import post_end
from members.models import SelfReport
from tests.lianxin.test_todo_page import some_work
from tests.members.test_guidui import identified, lost_member, report, secretary_post, url_of

pytestmark = pytest.mark.usefixtures(secretary_post.__name__)  # the 联心卡 the 归队码 page shows

TITLE = "成员自报待确认"


def workbench(client, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"), query)
    assert response.status_code == 200
    panels = {p.title: p.count for p in response.context["panels"]}
    return response, panels, [q["sql"] for q in queries.captured_queries]


def member_reports(member):
    """The member sends a report through the 归队码 page: no account, another browser."""
    phone = Client()
    url = url_of(member)
    assert report(phone, url, identified(phone, url)).status_code == 200


def reads_self_reports(sqls):
    return any(SelfReport._meta.db_table in sql for sql in sqls)


@override_settings(WORKBENCH_CACHE_SECONDS=60)
def test_the_copy_serves_until_refreshed_and_never_hides_the_users_own_write(world, org, client_for):
    member = lost_member(org)
    secretary = client_for("branch_a1")

    first, panels, computed = workbench(secretary)
    assert panels[TITLE] == 0 and reads_self_reports(computed)
    assert "数据更新于" in first.content.decode() and "?fresh=1" in first.content.decode()

    member_reports(member)  # someone else's write
    _page, panels, served = workbench(secretary)
    assert panels[TITLE] == 0, "the copy is served within the minute"
    assert not reads_self_reports(served) and len(served) < len(computed)

    _page, panels, _sqls = workbench(secretary, fresh="1")
    assert panels[TITLE] == 1, "刷新 computes the panels again"

    received = SelfReport.objects.get(member=member)
    confirmed = secretary.post(
        reverse("members:selfreport_confirm", args=[received.pk]), {"update_record": "on"}
    )
    assert confirmed.status_code == 302
    _page, panels, sqls = workbench(secretary)
    assert panels[TITLE] == 0, "the user's own write shows at once"
    assert reads_self_reports(sqls)
    _page, panels, sqls = workbench(secretary)
    assert panels[TITLE] == 0 and not reads_self_reports(sqls), "and the new copy serves again"


@override_settings(WORKBENCH_CACHE_SECONDS=60)
def test_a_failed_or_reading_request_keeps_the_copy(world, org, client_for):
    lost_member(org)
    secretary = client_for("branch_a1")
    workbench(secretary)
    secretary.get(reverse("members:member_list"))
    missing = secretary.post(reverse("members:selfreport_confirm", args=[999999]), {})
    assert missing.status_code == 404
    _page, _panels, sqls = workbench(secretary)
    assert not reads_self_reports(sqls)


@override_settings(WORKBENCH_CACHE_SECONDS=60)
def test_a_copy_never_outlives_the_rights_nor_serves_another_user(world, org, client_for):
    member = lost_member(org)
    member_reports(member)
    secretary = client_for("branch_a1")
    _page, panels, _sqls = workbench(secretary)
    assert panels[TITLE] == 1

    # Another user over the same branch gets their own panels, then their own copy.
    committee = client_for("committee_a")
    _page, panels, sqls = workbench(committee)
    assert panels == {p.title: p.count for p in panels_for(world.users["committee_a"])}
    assert TITLE not in panels
    _page, _panels, again = workbench(committee)
    assert len(again) < len(sqls)

    # The secretary leaves the posts (done by someone else): the next page has no copy to serve.
    for post in Post.objects.filter(user=world.users["branch_a1"], ended_on__isnull=True):
        post_end(post=post)
    response, panels, _sqls = workbench(secretary)
    assert TITLE not in panels and not any(panels.values())
    assert "王建华" not in response.content.decode()


@override_settings(WORKBENCH_CACHE_SECONDS=60)
def test_a_page_still_counting_is_not_kept(world, client_for, monkeypatch):
    """ "正在统计，请稍后刷新本页" (a large scope's first 待办 snapshot): a reload shows the counts
    as soon as the worker has them, not a minute later."""
    monkeypatch.setattr(dashboard, "LARGE_SCOPE", 0)  # the test world's committee counts as large
    some_work(world)
    user = world.users["committee_a"]
    TodoSnapshot.objects.create(user=user, refreshing_since=timezone.now())  # the worker has it
    client = client_for("committee_a")
    assert "正在统计，请稍后刷新本页" in client.get(reverse("home")).content.decode()

    todo_snapshot.refresh(user, timezone.localdate())  # the worker is done
    html = client.get(reverse("home")).content.decode()
    assert "正在统计" not in html and "截至 " in html


def test_off_the_panels_are_computed_every_time(world, org, client_for):
    secretary = client_for("branch_a1")
    first, _panels, computed = workbench(secretary)
    _page, _panels, again = workbench(secretary)
    assert reads_self_reports(computed) and reads_self_reports(again)
    assert "数据更新于" not in first.content.decode()
