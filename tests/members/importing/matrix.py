"""Access-matrix entries of the member import (see tests/access_matrix.py)."""

from pathlib import Path

from tests.access_matrix import BRANCH_A1, Entry

DATA = Path(__file__).resolve().parents[2] / "data"


def _batch(world):
    from members.importing.service import import_file

    report = import_file(
        path=DATA / "roster_clean.xlsx",
        filename="roster_clean.xlsx",
        org=world.orgs[BRANCH_A1],
        acting_user=world.users["branch_a1"],
    )
    return {"pk": report.batch.pk}


ONLY_SECRETARY = {"committee_a": 403, "county": 403, "committee_b": 403}

ENTRIES = {
    # The upload page names no object: other branches' secretaries may use it for their own branch.
    "member_import:upload": Entry(
        post=lambda w, k: {"organization": w.orgs[BRANCH_A1].pk},
        may_post=("branch_a1", "branch_a2"),
        expect_get=ONLY_SECRETARY,
    ),
    "member_import:confirm": Entry(post=lambda w, k: {"token": "not-a-token"}, get_status=405),
    "member_import:rejected": Entry(build=lambda w: {"token": "not-a-token"}, get_status=404),
    "member_import:rollback": Entry(
        build=_batch, post=lambda w, k: {"confirm": "on"}, may_post=("branch_a1",), get_status=405
    ),
}
