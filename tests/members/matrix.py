"""Access-matrix entries of the members app (see tests/access_matrix.py)."""

from datetime import date

from tests.access_matrix import BRANCH_A1, Entry
from tests.factories import MemberFactory

BRANCH_ROLES = ("branch_a1",)  # manage_members: the branch's own secretary (committee/county only view)


def _member(world):
    return {"pk": MemberFactory(organization=world.orgs[BRANCH_A1]).pk}


def _branch(world):
    return {"org_pk": world.orgs[BRANCH_A1].pk}


def _absence(world):
    from members.models import Absence

    member = MemberFactory(organization=world.orgs[BRANCH_A1])
    absence = Absence.objects.create(member=member, left_on=date(2026, 9, 1), destination="西安")
    return {"pk": absence.pk}


def _member_data(world, kwargs):
    return {
        "name": "李四",
        "gender": "男",
        "birth_date": "1985-03-15",
        "joined_on": "2008-07-01",
        "membership_type": "full",
        "id_number": "610581198503150015",
        "ethnicity": "汉族",
        "occupation": "8",
        "key_group": "0",
    }


def _transfer(world):
    from members.models import Transfer

    member = MemberFactory(organization=world.orgs[BRANCH_A1])
    transfer = Transfer.objects.create(
        member=member,
        direction="out",
        nature="temporary",
        phone="1",
        destination="西安",
        backup_contact="父亲",
        other_organization="某党支部",
        talk_on=date(2026, 10, 1),
        talk_record="谈话",
        recorded_by=world.users["branch_a1"],
    )
    return {"pk": transfer.pk}


ONLY_BRANCH = {"committee_a": 403, "county": 403}

ENTRIES = {
    "members:transfer_out": Entry(
        build=_member,
        post=lambda w, k: {
            "nature": "temporary",
            "phone": "139",
            "destination": "西安",
            "backup_contact": "父亲",
            "other_organization": "某党支部",
            "talk_on": "2026-10-01",
            "talk_record": "谈话",
        },
        may_post=BRANCH_ROLES,
        expect_get=ONLY_BRANCH,
    ),
    "members:transfer_in": Entry(
        build=_member,
        post=lambda w, k: {"other_organization": "某党支部", "talk_on": "2026-10-01", "talk_record": "谈话"},
        may_post=BRANCH_ROLES,
        expect_get=ONLY_BRANCH,
    ),
    "members:transfer_receipt": Entry(
        build=_transfer,
        post=lambda w, k: {"received_on": "2026-10-05"},
        may_post=BRANCH_ROLES,
        expect_get=ONLY_BRANCH,
    ),
    "members:transfer_follow_up": Entry(
        build=_transfer,
        post=lambda w, k: {"on": "2026-10-05", "note": "电话跟踪"},
        may_post=BRANCH_ROLES,
        expect_get=ONLY_BRANCH,
    ),
    "members:member_list": Entry(),
    # The number search answers within the searcher's own scope: anyone may search (it is recorded).
    "members:member_number_search": Entry(
        post=lambda w, k: {"number": "610581198503150015"},
        may_post=("branch_a1", "branch_a2", "committee_a", "committee_b", "county"),
    ),
    "members:member_detail": Entry(build=_member),
    "members:member_edit": Entry(
        build=_member,
        post=_member_data,
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:dues_add": Entry(
        build=_member,
        post=lambda w, k: {"month": "2026-10", "amount": "10", "paid_on": "2026-10-05"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:absence_add": Entry(
        build=_member,
        post=lambda w, k: {"kind": "away", "left_on": "2026-10-01", "destination": "西安"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:contact_add": Entry(
        build=_member,
        post=lambda w, k: {"kind": "backup", "name": "王五", "relation": "父亲", "phone": "13900000000"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    # 记录联系 is the branch's (manage_members); a member with an open case is sent to the case instead.
    "members:contact_record": Entry(
        build=_member,
        post=lambda w, k: {"on": "2026-10-01", "kind": "phone", "note": "电话联系上本人"},
        may_post=BRANCH_ROLES,
        expect_get=ONLY_BRANCH,
    ),
    "members:absence_return": Entry(
        build=_absence,
        post=lambda w, k: {"returned_on": "2026-10-01"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:talk_add": Entry(
        build=_absence,
        post=lambda w, k: {"kind": "departure", "on": "2026-09-01", "talker": "刘桂兰", "record": "行前谈话"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:member_add": Entry(
        build=_branch,
        post=_member_data,
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
    "members:activity_add": Entry(
        build=_branch,
        post=lambda w, k: {"kind": "party_day", "title": "学习", "held_on": "2026-10-01"},
        may_post=BRANCH_ROLES,
        expect_get={"committee_a": 403, "county": 403},
    ),
}
