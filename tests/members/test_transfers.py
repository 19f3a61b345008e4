"""组织关系转接: the 四个清楚, the 介绍信 validity, receipts followed until they come back."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import PartyStatus, Transfer
from tests.factories import MemberFactory


def _out(member, user, **kw):
    data = dict(
        member=member,
        nature="permanent",
        phone="13900000000",
        destination="西安市雁塔区（工作）",
        backup_contact="父亲 13800000000",
        other_organization="西安某公司党支部",
        talk_on=date(2026, 10, 1),
        talk_record="谈心谈话，嘱其按时参加组织生活",
        letter_number="陕组转〔2026〕12号",
        letter_issued_on=date(2026, 10, 2),
    )
    data.update(kw)
    return services.transfer_out(transfer=Transfer(**data), acting_user=user)


def test_four_clear_items_are_required(world, org):
    member = MemberFactory(organization=org("branch_a1"))
    with pytest.raises(ValidationError, match="四个清楚.*备用联系人"):
        _out(member, world.users["branch_a1"], backup_contact="")
    assert not Transfer.objects.exists()


def test_letter_validity_comes_from_the_setting(world, org, settings):
    settings.LIANXIN = {**settings.LIANXIN, "INTRODUCTION_LETTER_DAYS": 30}
    transfer = _out(MemberFactory(organization=org("branch_a1")), world.users["branch_a1"])
    assert transfer.letter_valid_until == date(2026, 11, 1)


def test_permanent_transfer_leaves_the_branch_when_the_receipt_is_back(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), name="转出甲")
    transfer = _out(
        member, world.users["branch_a1"], letter_issued_on=date(2026, 6, 1)
    )  # valid 90 days: expired
    home = client_for("branch_a1").get("/").content.decode()
    assert "介绍信回执未收回" in home and "转出甲" in home and "已过有效期" in home
    services.follow_up_add(
        transfer=transfer,
        on=timezone.localdate(),
        note="电话联系接收党组织，称已收到介绍信",
        acting_user=world.users["branch_a1"],
    )
    member.refresh_from_db()
    assert member.party_status == PartyStatus.NORMAL
    services.receipt_record(
        transfer=transfer,
        received_on=timezone.localdate() - timedelta(days=1),
        acting_user=world.users["branch_a1"],
    )
    member.refresh_from_db()
    assert member.party_status == PartyStatus.TRANSFERRED_OUT
    assert member.history.first().history_user == world.users["branch_a1"]
    assert "转出甲" not in client_for("branch_a1").get(reverse("members:member_list")).content.decode()


def test_temporary_transfer_keeps_the_member(world, org):
    member = MemberFactory(organization=org("branch_a1"))
    transfer = _out(member, world.users["branch_a1"], nature="temporary")
    services.receipt_record(
        transfer=transfer, received_on=timezone.localdate(), acting_user=world.users["branch_a1"]
    )
    member.refresh_from_db()
    assert member.party_status == PartyStatus.NORMAL


def test_transfer_in_talk_counts_as_contact(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), last_contact_on=date(2025, 1, 1))
    day = timezone.localdate() - timedelta(days=1)
    response = client_for("branch_a1").post(
        reverse("members:transfer_in", args=[member.pk]),
        {"other_organization": "原单位党支部", "talk_on": day.isoformat(), "talk_record": "欢迎谈话"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_contact_on == day
