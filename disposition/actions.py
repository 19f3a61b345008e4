"""What the disposition pages link to, with the right each view requires (lianxin/actions.py)."""

from disposition.chain import BY_KEY, StageKey, stages_for
from disposition.models import ACTIVE, DispositionStatus
from disposition.services import separation_refusal
from lianxin import perms
from lianxin.actions import register
from tracing.models import CaseStatus

DECIDED = (CaseStatus.CONTACTED, CaseStatus.UNREACHABLE)


def _stage_perm(d):
    return d.stage.perm if d.stage else None


def _final_perm(d):
    """Who revokes: the tier of the last stage (the department for an 开除党籍 recorded directly)."""
    return (stages_for(d.outcome) or [BY_KEY[StageKey.DEPARTMENT_APPROVAL]])[-1].perm


def _proposable(case):
    return case.status in DECIDED and not any(d.status in ACTIVE for d in case.dispositions.all())


def _withdrawable(d):
    """Only while the branch has it: once a tier above has acted, the service refuses."""
    return d.status in ACTIVE and all(step.stage == StageKey.BRANCH_COMMITTEE for step in d.steps.all())


# Separation of duties: the proposer and the one who decided the stage before are refused by the
# service (step_decide), so the link is not shown to them and the page says why.
register(
    "disposition:step_decide",
    perm=_stage_perm,
    when=lambda d: d.status == DispositionStatus.IN_REVIEW and d.stage is not None,
    refuse=separation_refusal,
)
register(
    "disposition:disposition_resubmit",
    perm=perms.DECIDE_BRANCH,
    when=lambda d: d.status == DispositionStatus.RETURNED,
)
register("disposition:disposition_withdraw", perm=perms.DECIDE_BRANCH, when=_withdrawable)
register(
    "disposition:disposition_revoke", perm=_final_perm, when=lambda d: d.status == DispositionStatus.APPROVED
)
# On a case.
register("disposition:disposition_propose", perm=perms.DECIDE_BRANCH, when=_proposable)
register(
    "disposition:expulsion_record",
    perm=(perms.APPROVE_DEPARTMENT, perms.REVIEW_COMMITTEE),
    when=lambda case: case.status in DECIDED,
)
