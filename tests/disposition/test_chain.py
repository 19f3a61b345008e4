"""The disposition chain: mapping, stages, meeting rules, tiers, order, atomicity, concurrency."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from disposition import services
from disposition.chain import stages_for
from disposition.models import Decision, Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import CONTACTED_COLUMNS, NOT_CONTACTED_COLUMNS, Outcome, stats_column
from members.models import MembershipType, PartyStatus
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tests.faults import InjectedFault, fail_after


def test_every_outcome_maps_to_exactly_the_columns_of_the_form():
    assert {stats_column(o, True) for o in CONTACTED_COLUMNS} == set("DEFHIJKLM")
    assert {stats_column(o, False) for o in NOT_CONTACTED_COLUMNS} == set("QRTUV")
    with pytest.raises(ValueError, match="仍未取得联系"):
        stats_column(Outcome.RETAIN, False)


def test_department_stages_only_for_persuasion_and_removal():
    assert [s.key for s in stages_for(Outcome.LAPSED_REMOVE)] == [
        "branch_committee",
        "committee_pre",
        "department_pre",
        "general_meeting",
        "committee_approval",
        "department_approval",
    ]
    assert "department_pre" not in [s.key for s in stages_for(Outcome.SUSPEND_UNREACHABLE)]
    assert stages_for(Outcome.EXPEL) == ()


@pytest.fixture
def branch_voters(org):
    """Five 正式党员 and two 预备党员 in branch_a1."""
    MemberFactory.create_batch(5, organization=org("branch_a1"))
    MemberFactory.create_batch(2, organization=org("branch_a1"), membership_type=MembershipType.PROBATIONARY)


def _case(world, org, status="unreachable", **member):
    m = MemberFactory(organization=org("branch_a1"), **member)
    return CaseFactory(
        member=m, opened_by=world.users["branch_a1"], status=status, closed_on=timezone.localdate()
    )


def _users(world):
    """Who decides each tier's stages: at the branch the 组织委员, since branch_a1 proposes."""
    return {
        "branch": branch_officer(),
        "committee": world.users["committee_a"],
        "department": world.users["county"],
    }


def _run(disposition, users, votes=None):
    """Agree at every remaining stage; returns the steps taken."""
    taken = []
    while True:
        disposition.refresh_from_db()
        stage = disposition.stage
        if stage is None or disposition.status != DispositionStatus.IN_REVIEW:
            return taken
        meeting = None
        if stage.meeting:
            expected = services.voters(disposition.organization, excluding=disposition.member)
            meeting = votes or {
                "meeting_date": timezone.localdate(),
                "present": expected,
                "votes_for": expected,
            }
        services.step_decide(
            disposition=disposition,
            stage=stage.key,
            decision=Decision.AGREE,
            opinion="同意",
            acting_user=users[stage.tier],
            meeting=meeting,
        )
        taken.append(stage.key)


def test_voters_are_full_members_only(world, org, branch_voters):
    assert services.voters(org("branch_a1")) == 5


def test_removal_goes_through_every_stage_and_applies_only_at_the_end(world, org, branch_voters):
    case = _case(world, org)
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="拟除名", acting_user=world.users["branch_a1"]
    )
    users = _users(world)
    for _ in range(5):
        stage = Disposition.objects.get(pk=d.pk).stage
        services.step_decide(
            disposition=d,
            stage=stage.key,
            decision="agree",
            opinion="同意",
            acting_user=users[stage.tier],
            meeting={"meeting_date": timezone.localdate(), "present": 5, "votes_for": 5}
            if stage.meeting
            else None,
        )
        case.member.refresh_from_db()
        assert case.member.party_status == PartyStatus.NORMAL
    assert _run(d, users) == ["department_approval"]
    d.refresh_from_db()
    case.member.refresh_from_db()
    assert d.status == DispositionStatus.APPROVED and case.member.party_status == PartyStatus.REMOVED
    assert d.rejoin_barred_until.year == d.approved_on.year + 5
    seals = list(d.steps.values_list("organization__code", flat=True))
    assert seals == ["610581001001", "610581001", "610581", "610581001001", "610581001", "610581"]
    assert case.member.history.first().history_user == world.users["county"]


def test_suspension_is_approved_by_the_committee(world, org, branch_voters):
    case = _case(world, org)
    d = services.disposition_propose(
        case=case,
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="停止党籍",
        acting_user=world.users["branch_a1"],
    )
    assert _run(d, _users(world)) == [
        "branch_committee",
        "committee_pre",
        "general_meeting",
        "committee_approval",
    ]
    case.member.refresh_from_db()
    assert case.member.party_status == PartyStatus.SUSPENDED


def test_wrong_tier_and_wrong_order_are_refused(world, org, branch_voters):
    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.LAPSED_REMOVE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )
    with pytest.raises(PermissionDenied):
        services.step_decide(
            disposition=d,
            stage="branch_committee",
            decision="agree",
            opinion="同意",
            acting_user=world.users["county"],
            meeting={"meeting_date": timezone.localdate()},
        )
    with pytest.raises(ValidationError, match="尚未到达"):
        services.step_decide(
            disposition=d,
            stage="committee_pre",
            decision="agree",
            opinion="同意",
            acting_user=world.users["committee_a"],
        )
    with pytest.raises(PermissionDenied):
        services.step_decide(
            disposition=d,
            stage="branch_committee",
            decision="agree",
            opinion="同意",
            acting_user=world.users["branch_a2"],
            meeting={"meeting_date": timezone.localdate()},
        )
    assert not DispositionStep.objects.exists()


@pytest.mark.parametrize(
    ("present", "votes_for", "error"),
    [(2, 2, "会议无效"), (3, 2, "决议未通过"), (3, 3, None), (6, 6, "不能超过")],
)
def test_meeting_rules_at_the_boundaries(world, org, branch_voters, present, votes_for, error):
    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )
    users = _users(world)
    _run_until = ["branch_committee", "committee_pre"]
    for key in _run_until:
        services.step_decide(
            disposition=d,
            stage=key,
            decision="agree",
            opinion="同意",
            acting_user=users["branch" if key == "branch_committee" else "committee"],
            meeting={"meeting_date": timezone.localdate()},
        )
    meeting = {"meeting_date": timezone.localdate(), "present": present, "votes_for": votes_for}

    def call():
        return services.step_decide(
            disposition=d,
            stage="general_meeting",
            decision="agree",
            opinion="同意",
            acting_user=users["branch"],
            meeting=meeting,
        )

    if error:
        with pytest.raises(ValidationError, match=error):
            call()
        assert d.steps.count() == 2
    else:
        step = call()
        assert (step.expected, step.present, step.votes_for) == (5, 3, 3)


def test_persuasion_refused_for_probationary_members(world, org):
    case = _case(world, org, status="contacted", membership_type=MembershipType.PROBATIONARY)
    with pytest.raises(ValidationError, match="取消预备党员资格"):
        services.disposition_propose(
            case=case, outcome=Outcome.PERSUADE, proposal="x", acting_user=world.users["branch_a1"]
        )
    services.disposition_propose(
        case=case, outcome=Outcome.CANCEL_PROBATION, proposal="x", acting_user=world.users["branch_a1"]
    )


def test_no_double_proposal_and_no_disposition_after_discipline(world, org):
    case = _case(world, org)
    with pytest.raises(ValidationError, match="党纪处分"):
        services.disposition_propose(
            case=case,
            outcome=Outcome.LAPSED_REMOVE,
            proposal="x",
            acting_user=world.users["branch_a1"],
            disciplined=True,
        )
    services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="x", acting_user=world.users["branch_a1"]
    )
    with pytest.raises(ValidationError, match="不能重复"):
        services.disposition_propose(
            case=case, outcome=Outcome.LAPSED_REMOVE, proposal="x", acting_user=world.users["branch_a1"]
        )


def test_return_and_resubmit(world, org, branch_voters):
    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.LAPSED_REMOVE,
        proposal="初稿",
        acting_user=world.users["branch_a1"],
    )
    users = _users(world)
    services.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意",
        acting_user=users["branch"],
        meeting={"meeting_date": timezone.localdate()},
    )
    with pytest.raises(ValidationError, match="退回到的环节"):
        services.step_decide(
            disposition=d,
            stage="committee_pre",
            decision="return",
            opinion="材料不全",
            acting_user=users["committee"],
        )
    services.step_decide(
        disposition=d,
        stage="committee_pre",
        decision="return",
        opinion="材料不全",
        acting_user=users["committee"],
        return_to="branch_committee",
    )
    d.refresh_from_db()
    assert d.status == DispositionStatus.RETURNED and d.current_stage == "branch_committee"
    services.disposition_resubmit(disposition=d, proposal="补充材料后", acting_user=users["branch"])
    assert _run(d, users)[0] == "branch_committee"
    d.refresh_from_db()
    assert d.status == DispositionStatus.APPROVED


def test_final_approval_is_atomic(world, org, branch_voters, monkeypatch):
    import disposition.services as module

    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )
    users = _users(world)
    for key, tier in (("branch_committee", "branch"), ("committee_pre", "committee")):
        services.step_decide(
            disposition=d,
            stage=key,
            decision="agree",
            opinion="同意",
            acting_user=users[tier],
            meeting={"meeting_date": timezone.localdate()},
        )
    services.step_decide(
        disposition=d,
        stage="general_meeting",
        decision="agree",
        opinion="同意",
        acting_user=users["branch"],
        meeting={"meeting_date": timezone.localdate(), "present": 5, "votes_for": 5},
    )
    with fail_after(monkeypatch, module, "_apply_outcome"), pytest.raises(InjectedFault):
        services.step_decide(
            disposition=d,
            stage="committee_approval",
            decision="agree",
            opinion="同意",
            acting_user=users["committee"],
        )
    d.refresh_from_db()
    d.member.refresh_from_db()
    assert d.status == DispositionStatus.IN_REVIEW and d.steps.count() == 3
    assert d.member.party_status == PartyStatus.NORMAL


def test_revoke_restores_the_member(world, org, branch_voters):
    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )
    _run(d, _users(world))
    with pytest.raises(PermissionDenied):
        services.disposition_revoke(disposition=d, acting_user=world.users["county"], reason="误")
    services.disposition_revoke(disposition=d, acting_user=world.users["committee_a"], reason="查明已联系")
    d.refresh_from_db()
    d.member.refresh_from_db()
    assert d.status == DispositionStatus.REVOKED and d.member.party_status == PartyStatus.NORMAL


def test_workbench_raises_two_year_suspensions(world, org, client_for, branch_voters):
    d = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )
    _run(d, _users(world))
    page = client_for("committee_a").get("/").content.decode()
    assert "停止党籍满两年" in page and d.member.name not in page.split("停止党籍满两年")[1][:300]
    Disposition.objects.filter(pk=d.pk).update(approved_on=timezone.localdate() - timedelta(days=731))
    for persona in ("branch_a1", "committee_a"):
        page = client_for(persona).get("/").content.decode()
        assert d.member.name in page.split("停止党籍满两年")[1][:400]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_leave_exactly_one_step():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import random

    from django.db import connections

    from lianxin.demo import seed_base

    world = seed_base(random.Random(1))
    branch = world.orgs["610581001001"]
    member = MemberFactory(organization=branch)
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=timezone.localdate(),
    )
    d = services.disposition_propose(
        case=case, outcome=Outcome.LAPSED_REMOVE, proposal="x", acting_user=world.users["branch_a1"]
    )
    services.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意",
        acting_user=branch_officer(),
        meeting={"meeting_date": timezone.localdate()},
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            services.step_decide(
                disposition=d,
                stage="committee_pre",
                decision="agree",
                opinion="同意",
                acting_user=world.users["committee_a"],
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert DispositionStep.objects.filter(disposition=d, stage="committee_pre").count() == 1


def test_batch_approval_decides_each_waiting_step_and_skips_the_rest(world, org, client_for):
    from django.urls import reverse

    ds = []
    for _ in range(2):
        d = services.disposition_propose(
            case=_case(world, org),
            outcome=Outcome.LAPSED_REMOVE,
            proposal="x",
            acting_user=world.users["branch_a1"],
        )
        services.step_decide(
            disposition=d,
            stage="branch_committee",
            decision="agree",
            opinion="同意",
            acting_user=branch_officer(),
            meeting={"meeting_date": timezone.localdate()},
        )
        ds.append(d)
    outside = services.disposition_propose(
        case=_case(world, org),
        outcome=Outcome.LAPSED_REMOVE,
        proposal="x",
        acting_user=world.users["branch_a1"],
    )  # still at the branch's meeting
    response = client_for("committee_a").post(
        reverse("disposition:batch_decide"),
        {"ids": [ds[0].pk, ds[1].pk, outside.pk], "opinion": "同意预审", "confirm": "on"},
    )
    assert response.status_code == 302
    for d in ds:
        d.refresh_from_db()
        assert d.current_stage == "department_pre"
    assert DispositionStep.objects.filter(disposition=outside).count() == 0
    assert (
        client_for("committee_b")
        .post(reverse("disposition:batch_decide"), {"ids": [ds[0].pk], "opinion": "x", "confirm": "on"})
        .status_code
        == 302
    )
    assert DispositionStep.objects.filter(disposition=ds[0]).count() == 2


def test_suspended_member_who_is_found_can_be_restored(world, org, branch_voters):
    from tracing import services as tracing_services

    case = _case(world, org)
    d = services.disposition_propose(
        case=case, outcome=Outcome.SUSPEND_UNREACHABLE, proposal="x", acting_user=world.users["branch_a1"]
    )
    _run(d, _users(world))
    member = case.member
    member.refresh_from_db()
    assert member.party_status == PartyStatus.SUSPENDED
    again = tracing_services.case_open(member=member, acting_user=world.users["branch_a1"], reason=1)
    tracing_services.case_close(
        case=again, acting_user=world.users["branch_a1"], outcome="contacted", evidence="本人回乡后主动联系"
    )
    restore = services.disposition_propose(
        case=again, outcome=Outcome.RESTORE, proposal="申请恢复党籍", acting_user=world.users["branch_a1"]
    )
    assert _run(restore, _users(world)) == ["branch_committee", "committee_approval", "department_approval"]
    member.refresh_from_db()
    assert member.party_status == PartyStatus.NORMAL
