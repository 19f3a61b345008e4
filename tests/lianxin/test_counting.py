"""Counting that stays cheap on a province: lists count up to a cap, 工作台 panels count only
when they have more rows than they show, the scope's unit counts are kept until the tree grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import pagination
from lianxin.dashboard import count_and_first, count_and_first_each
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


def member_panels(org):
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from members.models import ContactStatus

    today = timezone.localdate()
    branch = org("branch_a1")
    for days in (10, 160, 170, 155, 175, 165, 158):
        MemberFactory(organization=branch, last_contact_on=today - timedelta(days=days))
    MemberFactory(organization=branch, contact_status=ContactStatus.OUT_OF_CONTROL, last_contact_on=None)
    MemberFactory(
        organization=branch,
        contact_status=ContactStatus.OUT_OF_CONTROL,
        last_contact_on=today - timedelta(days=160),  # also nearly lost: in both panels
    )
    return Member.objects.filter(organization=branch), {
        "nearly_lost": (Q(last_contact_on__lte=today - timedelta(days=150)), ("last_contact_on", "pk")),
        "out_of_control": (Q(contact_status=ContactStatus.OUT_OF_CONTROL), ("last_contact_on", "pk")),
    }


def test_panels_over_one_table_share_one_query(world, org):
    members, panels = member_panels(org)
    with CaptureQueriesContext(connection) as ctx:
        result = count_and_first_each(members, panels)
    assert len(ctx.captured_queries) == 1
    assert result["nearly_lost"][0] == 7 and len(result["nearly_lost"][1]) == 5
    assert result["out_of_control"][0] == 2
    dates = [m.last_contact_on for m in result["nearly_lost"][1]]
    assert dates == sorted(dates)  # longest without contact first
    assert result["out_of_control"][1][-1].last_contact_on is None  # empty dates last


def test_past_the_cap_each_panel_is_read_alone_with_the_same_answer(world, org):
    members, panels = member_panels(org)
    together = count_and_first_each(members, panels)
    with CaptureQueriesContext(connection) as ctx:
        alone = count_and_first_each(members, panels, cap=3)
    assert (
        len(ctx.captured_queries) == 1 + 2 + 1
    )  # the capped try, nearly_lost (rows + count), out_of_control
    assert {k: (c, [m.pk for m in rows]) for k, (c, rows) in alone.items()} == {
        k: (c, [m.pk for m in rows]) for k, (c, rows) in together.items()
    }
