"""Counting that stays cheap on a province: lists count up to a cap, 工作台 panels count only
when they have more rows than they show, the scope's unit counts are kept until the tree grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import pagination
from lianxin.dashboard import count_and_first
from lianxin.models import Organization, OrgKind
from members.models import Member
from tests.factories import MemberFactory


@pytest.fixture
def five_members(world, org):
    return [MemberFactory(organization=org("branch_a1")) for _ in range(5)]


def test_list_counts_exactly_below_the_cap(five_members, client_for):
    page = client_for("branch_a1").get(reverse("members:member_list"))
    paginator = page.context["page"].paginator
    assert not paginator.capped
    assert paginator.count == Member.objects.filter(organization__code="610581001001").count()
    assert f"共 {paginator.count} 名党员" in page.content.decode()


def test_list_stops_counting_at_the_cap(five_members, client_for, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    client = client_for("branch_a1")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("members:member_list"))
    html = page.content.decode()
    paginator = page.context["page"].paginator
    assert paginator.capped and paginator.count == 3
    assert "共 3 名以上党员" in html and "3 条以上" in html
    assert "末页" not in html  # the last page is unknown past the cap
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]  # cap + 1, then stop


def test_paging_past_the_cap_stays_on_the_last_counted_page(five_members, client_for, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)
    page = client_for("branch_a1").get(reverse("members:member_list") + "?page=9")
    assert page.status_code == 200
    assert page.context["page"].number == 2


def test_count_and_first_is_one_query_when_all_rows_fit(world):
    branches = Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path")
    total = branches.count()
    with CaptureQueriesContext(connection) as ctx:
        count, rows = count_and_first(branches, n=total)
    assert (count, len(rows), len(ctx.captured_queries)) == (total, total, 1)


def test_count_and_first_counts_when_there_are_more(world):
    branches = Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path")
    total = branches.count()
    with CaptureQueriesContext(connection) as ctx:
        count, rows = count_and_first(branches, n=2)
    assert (count, len(ctx.captured_queries)) == (total, 2)
    assert rows == list(branches[:2])


def test_home_unit_counts_follow_a_new_branch(world, org, client_for):
    client = client_for("committee_b")
    before = client.get(reverse("home")).context["counts"]
    Organization.objects.add_child(
        org("committee_b"),
        create_kwargs={"code": "610581002099", "name": "新建党支部", "kind": OrgKind.BRANCH},
    )
    after = client.get(reverse("home")).context["counts"]
    assert after == {"orgs": before["orgs"] + 1, "branches": before["branches"] + 1}
