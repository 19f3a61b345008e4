"""The approval chain as data, in the order of the 全程纪实表 (docs/domain.md §7).

Each stage names the tier that acts, the permission it needs on the case's organization,
whether it is a meeting (and whether the meeting votes), and for which outcomes it applies.
The last applicable stage gives the final approval.
"""

from dataclasses import dataclass

from disposition.outcomes import DEPARTMENT_OUTCOMES, Outcome
from lianxin import perms


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    seal: str  # whose seal the form shows
    tier: str  # branch | committee | department
    perm: str
    meeting: bool = False
    vote: bool = False
    department_only: bool = False  # only for 劝退 / 除名


STAGES = (
    Stage(
        "branch_committee",
        "支委会初步处置意见",
        "党支部（盖章）",
        "branch",
        perms.DECIDE_BRANCH,
        meeting=True,
    ),
    Stage("committee_pre", "基层党委预审意见", "党委（盖章）", "committee", perms.REVIEW_COMMITTEE),
    Stage(
        "department_pre",
        "上一级党委组织部门对拟劝退、除名处置的预审意见",
        "党委组织部门（盖章）",
        "department",
        perms.APPROVE_DEPARTMENT,
        department_only=True,
    ),
    Stage(
        "general_meeting",
        "支部党员大会决议",
        "党支部（盖章）",
        "branch",
        perms.DECIDE_BRANCH,
        meeting=True,
        vote=True,
    ),
    Stage(
        "committee_approval", "基层党委审核（审批）意见", "党委（盖章）", "committee", perms.REVIEW_COMMITTEE
    ),
    Stage(
        "department_approval",
        "上一级党委组织部门对劝退、除名处置的审批意见",
        "党委组织部门（盖章）",
        "department",
        perms.APPROVE_DEPARTMENT,
        department_only=True,
    ),
)
BY_KEY = {stage.key: stage for stage in STAGES}

# 恢复党籍: the branch applies, the committee reviews, the county department approves.
RESTORE_STAGES = ("branch_committee", "committee_approval", "department_approval")


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
