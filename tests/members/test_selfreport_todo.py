"""A 成员自报 waiting for the branch is 待办 (members/overdue.py, rule self_report_pending): from the
day it is sent, due SELF_REPORT_DAYS later, on the branch's desk, the committee told ESCALATE_DAYS
after the deadline; confirmed or rejected, it leaves the list. Frozen clock: the day is injected."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from lianxin import overdue
from lianxin.addressing import ESCALATED, address_all
from members import selfreports
from members.models import SelfReport
from tests.factories import MemberFactory

DAY = timedelta(days=1)
BASE = timezone.localdate()
RULE = "self_report_pending"


def found(today):
    items = address_all(overdue.items(overdue.RULES[RULE], today), today)
    return {item.pk: item for item in items}


def who(item):
    return {address.user.username: address.why for address in item.addressees}


def sent_late_in_the_evening(world):
    """A report sent at 23:30 local time: its day is BASE, whatever the server's UTC date."""
    member = MemberFactory(organization=world.orgs["610581001001"], name="曹晓燕")
    report = selfreports.selfreport_receive(
        member=member, via="member_code", residence="西安雁塔", phone="13609183321"
    )
    report.received_at = timezone.make_aware(datetime.combine(BASE, time(23, 30)))
    report.save()
    return report


def test_a_pending_report_is_the_branchs_work_then_the_committees(world):
    report = sent_late_in_the_evening(world)
    due = BASE + overdue.limit("SELF_REPORT_DAYS") * DAY
    assert report.pk not in found(BASE - DAY)
    item = found(BASE)[report.pk]
    assert (item.starts_on, item.due_on) == (BASE, due)
    assert item.tab(BASE) == overdue.SOON  # a few days: due soon from the start
    assert item.line.url == reverse("members:selfreport_detail", args=[report.pk])
    assert item.line.subject == "曹晓燕" and "13609183321" not in item.line.detail
    assert {"branch_a1", "zz_610581001001"} == set(who(item))
    assert found(due + DAY)[report.pk].tab(due + DAY) == overdue.OVERDUE
    esc = overdue.limit("ESCALATE_DAYS")
    assert "committee_a" not in who(found(due + esc * DAY)[report.pk])
    assert who(found(due + (esc + 1) * DAY)[report.pk])["committee_a"] == ESCALATED
    late, total = overdue.unit_counts(overdue.RULES[RULE], due + DAY, under=[world.root.path], depth=1)[
        world.root.path
    ]
    assert (late, total) == (1, 1)


def test_confirmed_or_rejected_it_leaves_the_list(world):
    confirmed = sent_late_in_the_evening(world)
    rejected = selfreports.selfreport_receive(
        member=MemberFactory(organization=world.orgs["610581001001"]),
        via="branch_code",
        residence="东莞",
        phone="13900000009",
    )
    assert {confirmed.pk, rejected.pk} <= set(found(BASE))
    secretary = world.users["branch_a1"]
    selfreports.selfreport_confirm(report=confirmed, acting_user=secretary)
    selfreports.selfreport_reject(report=rejected, reason="不是本人", acting_user=secretary)
    assert not set(found(BASE + 30 * DAY)) & {confirmed.pk, rejected.pk}
    assert SelfReport.objects.filter(status="pending").count() == 0


def test_the_todo_page_lists_it_with_a_link_that_works(world, client_for):
    report = sent_late_in_the_evening(world)
    client = client_for("branch_a1")
    page = client.get(reverse("todo") + "?tab=soon").content.decode()
    detail = reverse("members:selfreport_detail", args=[report.pk])
    assert "成员自报待确认" in page and detail in page
    assert client.get(detail).status_code == 200
