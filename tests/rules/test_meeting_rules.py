"""disposition/rules.py and the services that use it: the 支部党员大会's quorum, adoption and
vote sums, and the meeting date (the 限期改正 period and the five-year bar: test_disposition_periods.py).

The decisions that end a membership depend on these numbers, so each is checked exactly at
its edge and on both sides of it, first as arithmetic, then through the service."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from disposition import rules, services
from disposition.chain import BY_KEY
from disposition.models import Decision, Disposition, DispositionStatus
from disposition.outcomes import Outcome
from members.models import MembershipType, PartyStatus
from tests.factories import CaseFactory, MemberFactory

DAY = timedelta(days=1)


def field_errors(err):
    return {field: [str(m) for m in messages] for field, messages in err.value.message_dict.items()}


# ---- quorum: MORE than half of those entitled to vote are present --------------------------------


@pytest.mark.parametrize(
    ("present", "expected", "quorate"),
    [
        (0, 0, False),
        (0, 1, False),
        (1, 1, True),
        (1, 2, False),  # exactly half
        (2, 2, True),
        (1, 3, False),
        (2, 3, True),
        (2, 4, False),  # exactly half
        (3, 4, True),
        (2, 5, False),
        (3, 5, True),
        (3, 6, False),  # exactly half
        (4, 6, True),
        (50, 100, False),
        (51, 100, True),
    ],
)
def test_quorum(present, expected, quorate):
    assert rules.is_quorate(present, expected) is quorate


# ---- adoption: MORE than half of those entitled to vote (not of those present) vote for ----------


@pytest.mark.parametrize(
    ("votes_for", "expected", "adopted"),
    [
        (0, 1, False),
        (1, 1, True),
        (1, 2, False),  # exactly half
        (2, 2, True),
        (2, 4, False),  # exactly half
        (3, 4, True),
        (2, 5, False),
        (3, 5, True),
        (3, 6, False),
        (4, 6, True),
        (50, 100, False),
        (51, 100, True),
    ],
)
def test_adoption(votes_for, expected, adopted):
    assert rules.is_adopted(votes_for, expected) is adopted


def test_adoption_counts_against_all_voters_not_those_present():
    # 8 entitled, 5 present (quorate), 4 of the 5 in favour: a majority of those present, not of the 8
    rules.check_votes(expected=8, present=5, votes_for=4, votes_against=1, votes_abstain=0)
    assert not rules.is_adopted(4, 8)
    assert rules.is_adopted(5, 8)


# ---- the counts of a meeting that votes ------------------------------------------------------


def votes(expected, present, votes_for=0, votes_against=0, votes_abstain=0):
    rules.check_votes(
        expected=expected,
        present=present,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
    )


def test_present_must_be_given():
    with pytest.raises(ValidationError) as err:
        votes(4, None)
    assert field_errors(err) == {"present": ["请填写实到会有表决权党员人数。"]}


def test_present_at_most_those_entitled():
    votes(4, 4, votes_for=4)
    with pytest.raises(ValidationError) as err:
        votes(4, 5, votes_for=4)
    assert field_errors(err) == {"present": ["实到人数不能超过应到会有表决权的正式党员人数（4人）。"]}


@pytest.mark.parametrize("expected", [4, 6, 8, 10])
def test_exactly_half_present_is_not_a_quorum(expected):
    with pytest.raises(ValidationError) as err:
        votes(expected, expected // 2)
    assert field_errors(err) == {
        "present": [f"到会有表决权党员未超过应到会人数（{expected}人）的半数，会议无效。"]
    }
    votes(expected, expected // 2 + 1)


def test_half_of_an_odd_number_rounded_down_is_not_a_quorum_rounded_up_is():
    with pytest.raises(ValidationError, match="会议无效"):
        votes(5, 2)
    votes(5, 3)


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "votes_abstain"),
    [(5, 0, 0), (0, 5, 0), (0, 0, 5), (3, 1, 1), (2, 2, 1)],
)
def test_votes_summing_to_those_present_are_accepted(votes_for, votes_against, votes_abstain):
    votes(8, 5, votes_for, votes_against, votes_abstain)


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "votes_abstain"),
    [(6, 0, 0), (0, 6, 0), (0, 0, 6), (4, 1, 1), (3, 2, 1), (1, 1, 4)],
)
def test_more_votes_than_people_present_are_refused(votes_for, votes_against, votes_abstain):
    with pytest.raises(ValidationError) as err:
        votes(8, 5, votes_for, votes_against, votes_abstain)
    assert field_errors(err) == {"votes_for": ["赞成、反对、弃权人数之和不能超过实到人数。"]}


def test_the_quorum_is_checked_before_the_vote_sum():
    with pytest.raises(ValidationError, match="会议无效"):
        votes(8, 4, votes_for=5)


# ---- the meeting date ------------------------------------------------------------------------


def test_meeting_date_is_required_and_not_in_the_future():
    today = date(2026, 11, 22)
    assert rules.check_meeting_date(today, today) == today
    assert rules.check_meeting_date(today - DAY, today) == today - DAY
    with pytest.raises(ValidationError) as err:
        rules.check_meeting_date(today + DAY, today)
    assert field_errors(err) == {"meeting_date": ["会议日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as err:
        rules.check_meeting_date(None, today)
    assert field_errors(err) == {"meeting_date": ["请填写会议日期。"]}


# ---- through the services: who counts as a voter, and the rules applied to a real meeting --------


@pytest.fixture
def branch(org):
    return org("branch_a1")


@pytest.fixture
def proposer(db):
    return get_user_model().objects.create_user("proposer_of_record")


def _disposition(world, branch, proposer, *, stage, outcome, status="unreachable", **member):
    """A disposition waiting at `stage`, as the chain leaves it (proposed by another user)."""
    today = timezone.localdate()
    m = MemberFactory(organization=branch, **member)
    case = CaseFactory(
        member=m,
        opened_by=world.users["branch_a1"],
        opened_on=today - 30 * DAY,
        lost_since=today - 400 * DAY,
        status=status,
        closed_on=today,
    )
    return Disposition.objects.create(
        case=case,
        member=m,
        organization=branch,
        outcome=outcome,
        contacted=status == "contacted",
        proposal="拟处置",
        current_stage=stage,
        stage_since=today,
        proposed_by=proposer,
        proposed_on=today,
    )


def test_voters_are_the_full_members_in_good_standing_except_the_one_decided_about(world, branch):
    full = MemberFactory.create_batch(3, organization=branch)
    MemberFactory(organization=branch, party_status=PartyStatus.CORRECTION)  # 限期改正 still votes
    MemberFactory(organization=branch, membership_type=MembershipType.PROBATIONARY)
    MemberFactory(organization=branch, party_status=PartyStatus.SUSPENDED)
    MemberFactory(organization=branch, party_status=PartyStatus.REMOVED)
    assert services.voters(branch) == 4
    assert services.voters(branch, excluding=full[0]) == 3


def _meeting(present, votes_for=0, votes_against=0, votes_abstain=0, day=None):
    return {
        "meeting_date": day or timezone.localdate(),
        "present": present,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "votes_abstain": votes_abstain,
    }


def test_check_meeting_counts_the_voters_of_the_branch(world, branch):
    subject = MemberFactory(organization=branch)
    MemberFactory.create_batch(4, organization=branch)  # four voters besides the subject
    general = BY_KEY["general_meeting"]
    with pytest.raises(ValidationError, match="会议无效"):
        services.check_meeting(general, _meeting(2, 2), branch, subject)
    with pytest.raises(ValidationError, match="不能超过应到会有表决权的正式党员人数（4人）"):
        services.check_meeting(general, _meeting(5, 5), branch, subject)
    with pytest.raises(ValidationError, match="之和不能超过实到人数"):
        services.check_meeting(general, _meeting(3, 2, 1, 1), branch, subject)
    facts = services.check_meeting(general, _meeting(3, 2, 1), branch, subject)
    assert facts == {
        "meeting_date": timezone.localdate(),
        "expected": 4,
        "present": 3,
        "votes_for": 2,
        "votes_against": 1,
        "votes_abstain": 0,
        "_adopted": False,  # two of four is exactly half
    }
    assert services.check_meeting(general, _meeting(3, 3), branch, subject)["_adopted"] is True


def test_a_meeting_that_does_not_vote_needs_only_its_date(world, branch):
    committee = BY_KEY["branch_committee"]
    today = timezone.localdate()
    assert services.check_meeting(committee, {"meeting_date": today}, branch) == {"meeting_date": today}
    with pytest.raises(ValidationError, match="请填写会议日期"):
        services.check_meeting(committee, None, branch)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.check_meeting(committee, {"meeting_date": today + DAY}, branch)
    assert services.check_meeting(BY_KEY["committee_pre"], None, branch) == {}


@pytest.mark.parametrize(("votes_for", "adopted"), [(2, False), (3, True)])
def test_exactly_half_in_favour_cannot_be_recorded_as_agreed(world, branch, proposer, votes_for, adopted):
    d = _disposition(world, branch, proposer, stage="general_meeting", outcome=Outcome.SUSPEND_UNREACHABLE)
    MemberFactory.create_batch(4, organization=branch)

    def decide(decision):
        return services.step_decide(
            disposition=d,
            stage="general_meeting",
            decision=decision,
            opinion="大会表决",
            acting_user=world.users["branch_a1"],
            meeting=_meeting(4, votes_for, 4 - votes_for),
        )

    if adopted:
        step = decide(Decision.AGREE)
        assert (step.expected, step.present, step.votes_for, step.votes_against) == (4, 4, 3, 1)
        d.refresh_from_db()
        assert d.current_stage == "committee_approval"
    else:
        with pytest.raises(ValidationError, match="赞成人数未超过应到会有表决权党员（4人）的半数"):
            decide(Decision.AGREE)
        assert not d.steps.exists()
        step = decide(Decision.DISAGREE)  # a motion that failed is recorded as 不同意
        d.refresh_from_db()
        assert step.votes_for == 2 and d.status == DispositionStatus.REJECTED


def test_a_meeting_with_exactly_half_present_decides_nothing(world, branch, proposer):
    d = _disposition(world, branch, proposer, stage="general_meeting", outcome=Outcome.SUSPEND_UNREACHABLE)
    MemberFactory.create_batch(6, organization=branch)
    for decision in (Decision.AGREE, Decision.DISAGREE):
        with pytest.raises(ValidationError, match="会议无效"):
            services.step_decide(
                disposition=d,
                stage="general_meeting",
                decision=decision,
                opinion="大会表决",
                acting_user=world.users["branch_a1"],
                meeting=_meeting(3, 3),
            )
    assert not d.steps.exists()
