"""The branch secretary's member pages: validation, attendance, dues, history, masking, query counts."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Attendance, ContactStatus, Member
from tests.factories import MemberFactory, next_id_number

VALID = {
    "name": "李四",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1985-03-15",
    "joined_on": "2008-07-01",
    "membership_type": "full",
    "occupation": "3",
    "key_group": "1",
    "phone": "13912345678",
}


def _post_member(client, branch, **changes):
    from datetime import date

    data = {**VALID, "id_number": next_id_number(date(1985, 3, 15), "男"), **changes}
    return client.post(reverse("members:member_add", args=[branch.pk]), data)


def test_secretary_registers_a_member_with_history(world, org, client_for):
    response = _post_member(client_for("branch_a1"), org("branch_a1"))
    assert response.status_code == 302
    member = Member.objects.get(name="李四")
    assert member.organization == org("branch_a1")
    assert member.history.first().history_user == world.users["branch_a1"]


def test_bad_id_number_is_refused_in_chinese_and_nothing_saved(world, org, client_for):
    client = client_for("branch_a1")
    response = _post_member(client, org("branch_a1"), id_number="610581198503150010")
    assert "身份证号校验位不正确" in response.content.decode()
    response = _post_member(client, org("branch_a1"), birth_date="1986-03-15")
    assert "出生年月与身份证号不一致" in response.content.decode()
    response = _post_member(client, org("branch_a1"), gender="女")
    assert "性别与身份证号不一致" in response.content.decode()
    assert not Member.objects.filter(name="李四").exists()


def test_duplicate_id_number_is_refused(world, org, client_for):
    existing = MemberFactory(organization=org("branch_a2"))
    response = _post_member(client_for("branch_a1"), org("branch_a1"), id_number=existing.id_number)
    assert "已登记在系统中" in response.content.decode()
    assert Member.objects.filter(id_number=existing.id_number).count() == 1


def test_activity_records_attendance_and_flags_the_unreachable(world, org, client_for):
    branch = org("branch_a1")
    present, missing = MemberFactory(organization=branch), MemberFactory(organization=branch)
    day = timezone.localdate() - timedelta(days=3)
    response = client_for("branch_a1").post(
        reverse("members:activity_add", args=[branch.pk]),
        {
            "kind": "party_day",
            "title": "主题党日",
            "held_on": day.isoformat(),
            f"m{present.pk}": "present",
            f"m{missing.pk}": "unreachable",
        },
    )
    assert response.status_code == 302
    present.refresh_from_db()
    missing.refresh_from_db()
    assert present.last_contact_on == day and present.contact_status == ContactStatus.NORMAL
    assert missing.unreachable_since == day and missing.contact_status == ContactStatus.OUT_OF_CONTROL
    assert Attendance.objects.count() == 2
    home = client_for("branch_a1").get("/").content.decode()
    assert "联系不上，需立即查找" in home and missing.name in home


def test_future_activity_is_refused_and_writes_nothing(world, org, client_for):
    branch = org("branch_a1")
    member = MemberFactory(organization=branch)
    response = client_for("branch_a1").post(
        reverse("members:activity_add", args=[branch.pk]),
        {
            "kind": "party_day",
            "title": "x",
            "held_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            f"m{member.pk}": "present",
        },
    )
    assert "不能晚于今天" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_dues_update_last_contact(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"))
    day = timezone.localdate() - timedelta(days=2)
    client_for("branch_a1").post(
        reverse("members:dues_add", args=[member.pk]),
        {"month": day.strftime("%Y-%m"), "amount": "12.5", "paid_on": day.isoformat()},
    )
    member.refresh_from_db()
    assert member.last_contact_on == day


def test_list_masks_numbers_and_detail_offers_recorded_reveal(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), phone="13912345678")
    page = client_for("branch_a1").get(reverse("members:member_list")).content.decode()
    assert member.id_number not in page and "13912345678" not in page and "139****5678" in page
    detail = client_for("branch_a1").get(reverse("members:member_detail", args=[member.pk])).content.decode()
    assert member.id_number not in detail and "查看完整号码" in detail


def test_member_list_and_workbench_queries_do_not_grow_with_members(world, org, client_for):
    client = client_for("county")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    # Short panels share a query and a panel counts only past its first five rows
    # (lianxin.dashboard): start with the panels past both.
    MemberFactory.create_batch(
        60, organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=160)
    )
    count("/")  # fills the cache of the scope's unit counts
    small = count(reverse("members:member_list")), count("/")
    MemberFactory.create_batch(
        190, organization=org("branch_b1"), last_contact_on=timezone.localdate() - timedelta(days=160)
    )
    assert (count(reverse("members:member_list")), count("/")) == small


def test_refresh_command_moves_members_to_lost(world, org):
    from django.core.management import call_command

    member = MemberFactory(
        organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=200)
    )
    call_command("refresh_contact_status")
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.LOST
    assert member.history.first().contact_status == ContactStatus.LOST
