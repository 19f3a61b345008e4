"""The benchmark's dispositions (lianxin/synthetic.py): every other closed case, at every stage
of the chain, a seventh of them approved, with the branch committee's step. No history rows."""

from datetime import timedelta

from disposition.chain import STAGES as CHAIN
from disposition.chain import StageKey
from disposition.models import Decision, Disposition, DispositionStatus, DispositionStep
from disposition.outcomes import Outcome
from lianxin.synthetic import copy_rows
from tracing.models import CaseStatus, LostContactCase

STAGES = [stage.key for stage in CHAIN]
FIELDS = ["case_id", "member_id", "organization_id", "outcome", "contacted", "proposal", "status"]
FIELDS += ["current_stage", "stage_since", "proposed_by_id", "proposed_on", "approved_on"]
STEP_FIELDS = ["disposition_id", "stage", "decision", "opinion", "acting_user_id", "organization_id"]
STEP_FIELDS += ["decided_on", "return_to"]


def _row(i, case, today, recorder):
    pk, member, org, status = case
    approved = i % 7 == 0
    unreachable = status == CaseStatus.UNREACHABLE
    stage = STAGES[i % 6 if unreachable else (i % 2) * 4]
    return (
        (
            pk,
            member,
            org,
            (Outcome.LAPSED_REMOVE if unreachable else Outcome.RETAIN).value,
            status == CaseStatus.CONTACTED,
            "基准处置意见",
        )
        + (
            (DispositionStatus.APPROVED if approved else DispositionStatus.IN_REVIEW).value,
            "" if approved else stage,
            today - timedelta(days=i % 40),
        )
        + (recorder, today - timedelta(days=40), today - timedelta(days=5) if approved else None)
    )


def build(ctx):
    today, recorder = ctx.today, ctx.recorder_id
    cases = list(
        LostContactCase.objects.order_by("pk").values_list("pk", "member_id", "organization_id", "status")
    )
    chosen = [(i, c) for i, c in enumerate(cases) if c[3] != CaseStatus.OPEN and i % 2 == 1]
    counts = {
        "dispositions": copy_rows(Disposition, FIELDS, (_row(i, c, today, recorder) for i, c in chosen))
    }
    decided = today - timedelta(days=35)
    past_first = list(
        Disposition.objects.exclude(current_stage=StageKey.BRANCH_COMMITTEE).values_list(
            "pk", "organization_id"
        )
    )
    counts["steps"] = copy_rows(
        DispositionStep,
        STEP_FIELDS,
        (
            (d, StageKey.BRANCH_COMMITTEE, Decision.AGREE.value, "同意", recorder, o, decided, "")
            for d, o in past_first
        ),
    )
    return counts
