"""The chain of the 全程纪实表 as data (disposition/chain.py): which stages each outcome goes
through, in which order, who acts at each, and which stages are meetings that vote."""

import pytest

from disposition.chain import BY_KEY, RESTORE_STAGES, STAGES, next_stage, stages_for
from disposition.outcomes import Outcome
from lianxin import perms

FULL = [
    "branch_committee",
    "committee_pre",
    "department_pre",
    "general_meeting",
    "committee_approval",
    "department_approval",
]
WITHOUT_DEPARTMENT = ["branch_committee", "committee_pre", "general_meeting", "committee_approval"]
RESTORE = ["branch_committee", "committee_approval", "department_approval"]


def keys(outcome):
    return [s.key for s in stages_for(outcome)]


def test_the_stages_in_the_order_of_the_form():
    table = [(s.key, s.title, s.seal, s.tier, s.perm, s.meeting, s.vote, s.department_only) for s in STAGES]
    assert table == [
        (
            "branch_committee",
            "支委会初步处置意见",
            "党支部（盖章）",
            "branch",
            perms.DECIDE_BRANCH,
            True,
            False,
            False,
        ),
        (
            "committee_pre",
            "基层党委预审意见",
            "党委（盖章）",
            "committee",
            perms.REVIEW_COMMITTEE,
            False,
            False,
            False,
        ),
        (
            "department_pre",
            "上一级党委组织部门对拟劝退、除名处置的预审意见",
            "党委组织部门（盖章）",
            "department",
            perms.APPROVE_DEPARTMENT,
            False,
            False,
            True,
        ),
        (
            "general_meeting",
            "支部党员大会决议",
            "党支部（盖章）",
            "branch",
            perms.DECIDE_BRANCH,
            True,
            True,
            False,
        ),
        (
            "committee_approval",
            "基层党委审核（审批）意见",
            "党委（盖章）",
            "committee",
            perms.REVIEW_COMMITTEE,
            False,
            False,
            False,
        ),
        (
            "department_approval",
            "上一级党委组织部门对劝退、除名处置的审批意见",
            "党委组织部门（盖章）",
            "department",
            perms.APPROVE_DEPARTMENT,
            False,
            False,
            True,
        ),
    ]
    assert {s.key: s for s in STAGES} == BY_KEY
    assert tuple(RESTORE) == RESTORE_STAGES


@pytest.mark.parametrize(
    "outcome", [Outcome.PERSUADE, Outcome.PERSUADE_REMOVE, Outcome.LAPSED_REMOVE, Outcome.QUIT_REMOVE]
)
def test_persuasion_and_removal_go_through_the_department_twice(outcome):
    assert keys(outcome) == FULL
    assert keys(outcome.value) == FULL


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome.RETAIN,
        Outcome.CORRECTION,
        Outcome.SUSPEND_UNREACHABLE,
        Outcome.SUSPEND_ABROAD,
        Outcome.NOT_RECOGNIZED,
        Outcome.CANCEL_PROBATION,
    ],
)
def test_other_outcomes_end_at_the_committee(outcome):
    assert keys(outcome) == WITHOUT_DEPARTMENT
    assert stages_for(outcome)[-1].tier == "committee"


def test_restoring_membership_has_its_own_three_stages():
    assert keys(Outcome.RESTORE) == RESTORE
    assert stages_for(Outcome.RESTORE)[-1].tier == "department"


def test_expulsion_is_not_routed():
    assert stages_for(Outcome.EXPEL) == ()
    assert stages_for("expel") == ()


def test_an_unknown_outcome_has_no_chain():
    with pytest.raises(ValueError):
        stages_for("promote")


@pytest.mark.parametrize(
    ("outcome", "order"),
    [
        (Outcome.LAPSED_REMOVE, FULL),
        (Outcome.SUSPEND_UNREACHABLE, WITHOUT_DEPARTMENT),
        (Outcome.RESTORE, RESTORE),
    ],
)
def test_next_stage_walks_the_chain_and_ends_after_the_last(outcome, order):
    for current, following in zip(order, order[1:], strict=False):
        assert next_stage(outcome, current).key == following
    assert next_stage(outcome, order[-1]) is None


def test_next_stage_of_a_stage_outside_the_chain_is_an_error():
    with pytest.raises(ValueError):
        next_stage(Outcome.SUSPEND_UNREACHABLE, "department_pre")
