"""Access-matrix entries of the disposition app (see tests/access_matrix.py)."""

from disposition import services
from disposition.outcomes import Outcome
from tests.access_matrix import Entry
from tests.factories import branch_officer
from tests.tracing.matrix import case


def _disposition(world):
    c = case(world, status="unreachable", closed_on="2026-07-01")
    d = services.disposition_propose(
        case=c,
        outcome=Outcome.LAPSED_REMOVE,
        proposal="拟作自行脱党除名",
        acting_user=branch_officer(),  # so branch_a1 may decide its first stage (separation of duties)
    )
    return {"pk": d.pk}


def _closed_case(world):
    return {"case_pk": case(world, status="unreachable", closed_on="2026-07-01").pk}


BRANCH_ONLY = {"committee_a": 403, "county": 403}
DECIDE = {"decision": "agree", "opinion": "同意", "meeting_date": "2026-11-01", "confirm": "on"}

ENTRIES = {
    "disposition:inbox": Entry(),
    # Batch approval names no object in its URL; what is outside a user's inbox is skipped, never decided.
    "disposition:batch_decide": Entry(
        post=lambda w, k: {"ids": ["999999"], "opinion": "同意", "confirm": "on"},
        may_post=("branch_a1", "branch_a2", "committee_a", "committee_b", "county"),
        get_status=405,
    ),
    "disposition:disposition_detail": Entry(build=_disposition),
    "disposition:step_decide": Entry(
        build=_disposition, post=lambda w, k: DECIDE, may_post=("branch_a1",), expect_get=BRANCH_ONLY
    ),
    "disposition:disposition_resubmit": Entry(
        build=_disposition,
        post=lambda w, k: {"proposal": "修改"},
        may_post=("branch_a1",),
        expect_get=BRANCH_ONLY,
    ),
    "disposition:disposition_withdraw": Entry(
        build=_disposition,
        post=lambda w, k: {"reason": "撤回", "confirm": "on"},
        may_post=("branch_a1",),
        expect_get=BRANCH_ONLY,
    ),
    "disposition:disposition_revoke": Entry(
        build=_disposition,
        post=lambda w, k: {"reason": "撤销", "confirm": "on"},
        may_post=("county",),
        expect_get={"branch_a1": 403, "committee_a": 403},
    ),
    "disposition:disposition_propose": Entry(
        build=_closed_case,
        post=lambda w, k: {"outcome": "lapsed_remove", "proposal": "拟除名"},
        may_post=("branch_a1",),
        expect_get=BRANCH_ONLY,
    ),
    "disposition:expulsion_record": Entry(
        build=_closed_case,
        post=lambda w, k: {"decision": "县纪委〔2026〕1号", "decided_on": "2026-11-01", "confirm": "on"},
        may_post=("committee_a", "county"),
        expect_get={"branch_a1": 403},
    ),
}
