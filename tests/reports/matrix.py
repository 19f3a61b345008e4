"""Access-matrix entries of the reports app (see tests/access_matrix.py)."""

from tests.access_matrix import BRANCH_A1, Entry
from tests.members.matrix import _member
from tests.tracing.matrix import case

# Downloads are driven by ?org=: an organization outside the user's scope answers 404.
OUTSIDE_404 = {"branch_a2": 404, "committee_b": 404}


def _for_branch_a1(world):
    return f"?org={world.orgs[BRANCH_A1].pk}&as_of=2026-11-01"


def report(**kw):
    return Entry(query=_for_branch_a1, expect_get=OUTSIDE_404, **kw)


def _submission(world):
    from reports.submissions import submission_submit

    return {
        "pk": submission_submit(
            organization=world.orgs[BRANCH_A1],
            as_of=__import__("datetime").date(2026, 11, 1),
            acting_user=world.users["branch_a1"],
        ).pk
    }


ENTRIES = {
    "reports:submission_status": report(),
    # Submitting names its unit in ?org= of the POST URL; without it the user's own unit is meant.
    "reports:submission_submit": Entry(
        post=lambda w, k: {},
        may_post=("branch_a1", "branch_a2", "committee_a", "committee_b", "county"),
        get_status=405,
    ),
    "reports:submission_return": Entry(
        build=_submission,
        post=lambda w, k: {"reason": "有误"},
        may_post=("committee_a", "county"),
        get_status=405,
    ),
    "reports:submission_file": Entry(build=_submission),
    "reports:index": Entry(),
    "reports:roster_xlsx": report(),
    "reports:register_xlsx": report(),
    "reports:statistics": report(),
    "reports:statistics_xlsx": report(),
    "reports:statistics_members": report(),
    "reports:statistics_members_xlsx": report(),
    "reports:record_pdf": Entry(build=lambda w: {"case_pk": case(w).pk}),
    "reports:card_pdf": Entry(build=lambda w: {"org_pk": w.orgs[BRANCH_A1].pk}),
    # A member's own 联心卡 carries their 归队码: printed by the branch that manages them.
    "reports:member_card_pdf": Entry(build=_member, expect_get={"committee_a": 403, "county": 403}),
    # Names no object: everyone who may export somewhere may ask for their own units' records.
    "reports:records_batch": Entry(
        post=lambda w, k: {
            "organization": w.orgs[BRANCH_A1].pk,
            "closed_from": "2026-01-01",
            "closed_to": "2026-11-01",
        },
        may_post=("branch_a1", "branch_a2", "committee_a", "committee_b", "county"),
    ),
    # The trend page and its xlsx: counts of the ?org= subtree; outside the scope, 404.
    "reports:trends": Entry(query=lambda w: f"?org={w.orgs[BRANCH_A1].pk}", expect_get=OUTSIDE_404),
    "reports:trends_xlsx": Entry(query=lambda w: f"?org={w.orgs[BRANCH_A1].pk}", expect_get=OUTSIDE_404),
}
