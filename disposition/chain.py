"""The approval chain as data, in the order of the 全程纪实表 (docs/domain.md §7).

Each stage names the tier that acts, the permission it needs on the case's organization,
whether it is a meeting (and whether the meeting votes), and for which outcomes it applies.
The last applicable stage gives the final approval.
"""

from dataclasses import dataclass

from disposition.outcomes import DEPARTMENT_OUTCOMES, Outcome
from lianxin import perms
from lianxin.models import TIER_BRANCH, TIER_COMMITTEE, TIER_DEPARTMENT


class StageKey:
    """The stages' codes, as stored in Disposition.current_stage and DispositionStep.stage."""

    BRANCH_COMMITTEE = "branch_committee"
    COMMITTEE_PRE = "committee_pre"
    DEPARTMENT_PRE = "department_pre"
    GENERAL_MEETING = "general_meeting"
    COMMITTEE_APPROVAL = "committee_approval"
    DEPARTMENT_APPROVAL = "department_approval"


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    seal: str  # whose seal the form shows
    tier: str  # TIER_BRANCH | TIER_COMMITTEE | TIER_DEPARTMENT
    perm: str
    meeting: bool = False
    vote: bool = False
    department_only: bool = False  # only for 劝退 / 除名


STAGES = (
    Stage(
        StageKey.BRANCH_COMMITTEE,
        "支委会初步处置意见",
        "党支部（盖章）",
        TIER_BRANCH,
        perms.DECIDE_BRANCH,
        meeting=True,
    ),
    Stage(StageKey.COMMITTEE_PRE, "基层党委预审意见", "党委（盖章）", TIER_COMMITTEE, perms.REVIEW_COMMITTEE),
    Stage(
        StageKey.DEPARTMENT_PRE,
        "上一级党委组织部门对拟劝退、除名处置的预审意见",
        "党委组织部门（盖章）",
        TIER_DEPARTMENT,
        perms.APPROVE_DEPARTMENT,
        department_only=True,
    ),
    Stage(
        StageKey.GENERAL_MEETING,
        "支部党员大会决议",
        "党支部（盖章）",
        TIER_BRANCH,
        perms.DECIDE_BRANCH,
        meeting=True,
        vote=True,
    ),
    Stage(
        StageKey.COMMITTEE_APPROVAL,
        "基层党委审核（审批）意见",
        "党委（盖章）",
        TIER_COMMITTEE,
        perms.REVIEW_COMMITTEE,
    ),
    Stage(
        StageKey.DEPARTMENT_APPROVAL,
        "上一级党委组织部门对劝退、除名处置的审批意见",
        "党委组织部门（盖章）",
        TIER_DEPARTMENT,
        perms.APPROVE_DEPARTMENT,
        department_only=True,
    ),
)
BY_KEY = {stage.key: stage for stage in STAGES}

# 恢复党籍: the branch applies, the committee reviews, the county department approves.
RESTORE_STAGES = (StageKey.BRANCH_COMMITTEE, StageKey.COMMITTEE_APPROVAL, StageKey.DEPARTMENT_APPROVAL)


def stages_for(outcome):
    outcome = Outcome(outcome)
    if outcome == Outcome.EXPEL:
        return ()  # recorded from the discipline decision, not routed
    if outcome == Outcome.RESTORE:
        return tuple(BY_KEY[key] for key in RESTORE_STAGES)
    return tuple(s for s in STAGES if not s.department_only or outcome in DEPARTMENT_OUTCOMES)


def next_stage(outcome, key):
    stages = stages_for(outcome)
    keys = [s.key for s in stages]
    index = keys.index(key)
    return stages[index + 1] if index + 1 < len(stages) else None
