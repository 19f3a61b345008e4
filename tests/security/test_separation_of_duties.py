"""Issue 14 item 7: nobody carries a disposition alone.

Whoever proposes a disposition decides none of its stages; nobody decides two stages in a row;
a superuser holds no right of the chain (it administers users and posts).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from disposition import services
from disposition.models import DispositionStep
from disposition.outcomes import Outcome
from lianxin.models import Role
from lianxin.posts import post_assign
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.security.test_service_rights import database_state

A1 = "610581001001"


@pytest.fixture
def case(world):
    MemberFactory.create_batch(3, organization=world.orgs[A1])
    member = MemberFactory(organization=world.orgs[A1])
    return CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=timezone.localdate(),
    )


def decide(d, stage, user, **kw):
    d.refresh_from_db()
    expected = services.voters(d.organization, excluding=d.member)
    return services.step_decide(
        disposition=d,
        stage=stage,
        decision=kw.pop("decision", "agree"),
        opinion="同意",
        acting_user=user,
        meeting={"meeting_date": timezone.localdate(), "present": expected, "votes_for": expected},
        **kw,
    )


def everywhere(world, username):
    """A user holding a post at every tier above and at branch_a1."""
    user = get_user_model().objects.create_user(username, password="x-very-long-pass")
    for code, role in (
        (A1, Role.BRANCH_SECRETARY),
        ("610581001", Role.COMMITTEE_REVIEWER),
        ("610581", Role.DEPARTMENT_APPROVER),
    ):
        post_assign(user=user, organization=world.orgs[code], title="兼任", role=role)
    return user


def test_a_superuser_can_neither_propose_nor_decide(world, case):
    before = database_state()
    with pytest.raises(PermissionDenied):
        services.disposition_propose(
            case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.admin
        )
    assert database_state() == before
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.users["branch_a1"]
    )
    before = database_state()
    with pytest.raises(PermissionDenied):
        decide(d, "branch_committee", world.admin)
    assert database_state() == before


def test_the_proposer_decides_no_stage(world, case):
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.users["branch_a1"]
    )
    before = database_state()
    with pytest.raises(ValidationError, match="提出处置意见的人不能办理"):
        decide(d, "branch_committee", world.users["branch_a1"])
    assert database_state() == before
    decide(d, "branch_committee", branch_officer())
    decide(d, "committee_pre", world.users["committee_a"])
    decide(d, "department_pre", world.users["county"])
    with pytest.raises(ValidationError, match="提出处置意见的人不能办理"):
        decide(d, "general_meeting", world.users["branch_a1"])
    assert DispositionStep.objects.filter(disposition=d).count() == 3


def test_one_person_holding_every_post_cannot_carry_a_removal_alone(world, case):
    alone = everywhere(world, "alone")
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=alone
    )
    with pytest.raises(ValidationError, match="提出处置意见的人不能办理"):
        decide(d, "branch_committee", alone)
    other = everywhere(world, "other")
    decide(d, "branch_committee", other)
    before = database_state()
    with pytest.raises(ValidationError, match="同一人不能连续办理两个审批环节"):
        decide(d, "committee_pre", other)
    assert database_state() == before
    decide(d, "committee_pre", world.users["committee_a"])
    decide(d, "department_pre", other)  # not consecutive with its first step
    d.refresh_from_db()
    assert d.current_stage == "general_meeting"


def test_a_stage_returned_to_itself_may_be_decided_again_by_the_same_person(world, case):
    d = services.disposition_propose(
        case=case, outcome=Outcome.SUSPEND_UNREACHABLE, proposal="x", acting_user=world.users["branch_a1"]
    )
    decide(d, "branch_committee", branch_officer())
    decide(d, "committee_pre", world.users["committee_a"], decision="return", return_to="committee_pre")
    services.disposition_resubmit(disposition=d, proposal="补充材料", acting_user=world.users["branch_a1"])
    decide(d, "committee_pre", world.users["committee_a"])
    d.refresh_from_db()
    assert d.current_stage == "general_meeting"


def test_pages_offer_the_step_only_to_who_may_take_it(world, case, client_for):
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.users["branch_a1"]
    )
    client = client_for("branch_a1")
    detail = client.get(reverse("disposition:disposition_detail", args=[d.pk])).content.decode()
    assert reverse("disposition:step_decide", args=[d.pk]) not in detail
    assert "提出处置意见的人不能办理" in detail
    response = client.post(
        reverse("disposition:step_decide", args=[d.pk]),
        {"decision": "agree", "opinion": "同意", "meeting_date": "2026-11-01", "confirm": "on"},
    )
    assert response.status_code == 302 and not d.steps.exists()
    assert d.pk not in [x.pk for x in services.inbox(world.users["branch_a1"])]
    assert d.pk in [x.pk for x in services.inbox(branch_officer())]


def test_the_inbox_leaves_out_the_stage_after_ones_own(world, case):
    both = everywhere(world, "both")
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.users["branch_a1"]
    )
    assert d.pk in [x.pk for x in services.inbox(both)]
    decide(d, "branch_committee", both)
    assert d.pk not in [x.pk for x in services.inbox(both)]
    assert d.pk in [x.pk for x in services.inbox(world.users["committee_a"])]
