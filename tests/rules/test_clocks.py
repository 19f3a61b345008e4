"""The long clocks: 停止党籍 two years (search again, restore or remove), a graduate's
organizational relation kept at the university for up to two years, and five years before a
member persuaded out or removed may join again. Each at its edge and one day either side."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from disposition import dashboard as disposition_dashboard
from disposition import services
from disposition.models import Decision, Disposition, DispositionStatus
from disposition.outcomes import Outcome
from members import dashboard as members_dashboard
from members.models import Absence, AbsenceKind, PartyStatus
from members.status import add_months
from tests.factories import CaseFactory, MemberFactory
from tracing import services as tracing_services
from tracing.models import CaseStatus

DAY = timedelta(days=1)


def panel(panels, title):
    (found,) = [p for p in panels if title in p.title]
    return found


def names(found):
    return sorted(item[0] for item in found.items)


@pytest.fixture
def proposer(db):
    return get_user_model().objects.create_user("proposer_of_record")


def _case(world, member, status=CaseStatus.UNREACHABLE):
    today = timezone.localdate()
    return CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        opened_on=today - 30 * DAY,
        lost_since=today - 400 * DAY,
        status=status,
        closed_on=today - DAY,
    )


def _approved(world, proposer, member, outcome, approved_on):
    return Disposition.objects.create(
        case=_case(world, member),
        member=member,
        organization=member.organization,
        outcome=outcome,
        contacted=False,
        proposal="x",
        proposed_by=proposer,
        proposed_on=approved_on,
        status=DispositionStatus.APPROVED,
        approved_on=approved_on,
    )


# ---- 停止党籍: two years later, still not contacted → 自行脱党除名 is due ---------------------------


def test_suspension_is_due_on_the_day_two_years_are_full(world, org, proposer):
    today = timezone.localdate()
    two_years_ago = add_months(today, -24)
    for name, approved_on in (
        ("满两年", two_years_ago),
        ("多一天", two_years_ago - DAY),
        ("差一天", two_years_ago + DAY),
    ):
        member = MemberFactory(organization=org("branch_a1"), name=name, party_status=PartyStatus.SUSPENDED)
        _approved(world, proposer, member, Outcome.SUSPEND_UNREACHABLE, approved_on)
    for user in ("branch_a1", "committee_a", "county"):
        due = panel(disposition_dashboard.watch_panels(world.users[user]), "停止党籍满两年")
        assert (due.count, names(due)) == (2, ["多一天", "满两年"])
    outside = panel(disposition_dashboard.watch_panels(world.users["branch_b1"]), "停止党籍满两年")
    assert outside.count == 0


def test_a_suspended_member_found_again_or_suspended_for_abroad_is_not_due(world, org, proposer):
    long_ago = add_months(timezone.localdate(), -30)
    restored = MemberFactory(organization=org("branch_a1"), name="已恢复", party_status=PartyStatus.NORMAL)
    _approved(world, proposer, restored, Outcome.SUSPEND_UNREACHABLE, long_ago)
    abroad = MemberFactory(organization=org("branch_a1"), name="出国定居", party_status=PartyStatus.SUSPENDED)
    _approved(world, proposer, abroad, Outcome.SUSPEND_ABROAD, long_ago)
    assert panel(disposition_dashboard.watch_panels(world.users["branch_a1"]), "停止党籍满两年").count == 0


def test_a_suspended_member_is_searched_for_again_and_may_be_restored(world, org):
    member = MemberFactory(organization=org("branch_a1"), party_status=PartyStatus.SUSPENDED)
    user = world.users["branch_a1"]
    case = tracing_services.case_open(member=member, acting_user=user, reason=1)
    with pytest.raises(ValidationError, match="只有被停止党籍、且已重新取得联系的党员"):
        services.disposition_propose(case=case, outcome=Outcome.RESTORE, proposal="恢复", acting_user=user)
    tracing_services.case_close(
        case=case, acting_user=user, outcome=CaseStatus.CONTACTED, evidence="本人来电"
    )
    d = services.disposition_propose(
        case=case, outcome=Outcome.RESTORE, proposal="申请恢复党籍", acting_user=user
    )
    assert d.current_stage == "branch_committee"


def test_restoring_needs_a_suspended_member(world, org):
    member = MemberFactory(organization=org("branch_a1"))
    case = _case(world, member, status=CaseStatus.CONTACTED)
    with pytest.raises(ValidationError, match="只有被停止党籍"):
        services.disposition_propose(
            case=case, outcome=Outcome.RESTORE, proposal="恢复", acting_user=world.users["branch_a1"]
        )


@pytest.mark.parametrize("status", [PartyStatus.REMOVED, PartyStatus.PERSUADED_OUT, PartyStatus.EXPELLED])
def test_members_out_of_the_party_are_not_searched_for(world, org, status):
    member = MemberFactory(organization=org("branch_a1"), party_status=status)
    with pytest.raises(ValidationError, match="不能立案查找"):
        tracing_services.case_open(member=member, acting_user=world.users["branch_a1"], reason=1)


# ---- a graduate's relation at the university: reminded two months before two years -----------


def test_graduates_are_raised_from_twenty_two_months(world, org):
    today = timezone.localdate()
    edge = add_months(today, -22)
    for name, left_on in (("满22个月", edge), ("多一天", edge - DAY), ("差一天", edge + DAY)):
        member = MemberFactory(organization=org("branch_a1"), name=name)
        Absence.objects.create(
            member=member, kind=AbsenceKind.GRADUATE, left_on=left_on, destination="某大学"
        )
    returned = MemberFactory(organization=org("branch_a1"), name="已转接")
    Absence.objects.create(
        member=returned,
        kind=AbsenceKind.GRADUATE,
        left_on=edge - DAY,
        destination="某大学",
        returned_on=today,
    )
    due = panel(members_dashboard.watch_panels(world.users["branch_a1"]), "毕业生组织关系在校将满两年")
    assert (due.count, names(due)) == (2, ["多一天", "满22个月"])


# ---- five years before rejoining, from the day of the final approval -------------------------------


@pytest.mark.parametrize(
    ("outcome", "barred"),
    [(Outcome.LAPSED_REMOVE, True), (Outcome.PERSUADE, True), (Outcome.SUSPEND_UNREACHABLE, False)],
)
def test_rejoin_barred_for_five_years_after_persuasion_or_removal(world, org, proposer, outcome, barred):
    member = MemberFactory(organization=org("branch_a1"))
    last = "department_approval" if barred else "committee_approval"
    d = Disposition.objects.create(
        case=_case(
            world, member, CaseStatus.CONTACTED if outcome == Outcome.PERSUADE else CaseStatus.UNREACHABLE
        ),
        member=member,
        organization=member.organization,
        outcome=outcome,
        contacted=outcome == Outcome.PERSUADE,
        proposal="x",
        proposed_by=proposer,
        proposed_on=timezone.localdate(),
        current_stage=last,
        stage_since=timezone.localdate(),
    )
    decided_on = timezone.localdate() - 3 * DAY
    services.step_decide(
        disposition=d,
        stage=last,
        decision=Decision.AGREE,
        opinion="同意",
        acting_user=world.users["county" if barred else "committee_a"],
        decided_on=decided_on,
    )
    d.refresh_from_db()
    assert d.status == DispositionStatus.APPROVED and d.approved_on == decided_on
    assert d.rejoin_barred_until == (add_months(decided_on, 60) if barred else None)
