"""Access-matrix entries of the tracing app (see tests/access_matrix.py)."""

from tests.access_matrix import BRANCH_A1, Entry
from tests.factories import CaseFactory, MemberFactory

SEARCHERS = ("branch_a1", "committee_a")  # log_search: the branch and its committee (not the county)
NOT_SEARCHER = {"county": 403}


def case(world, **kw):
    member = MemberFactory(organization=world.orgs[BRANCH_A1])
    return CaseFactory(member=member, opened_by=world.users["branch_a1"], **kw)


def _case(world):
    return {"pk": case(world).pk}


def _unreachable_case(world):
    return {"pk": case(world, status="unreachable", closed_on="2026-07-01").pk}


def _member(world):
    return {"member_pk": MemberFactory(organization=world.orgs[BRANCH_A1]).pk}


ATTEMPT = {
    "searched_at": "2026-11-01T10:00",
    "channel": "phone",
    "process": "拨打电话无人接听",
    "result": "no_trace",
}

ENTRIES = {
    "tracing:case_list": Entry(),
    "tracing:case_detail": Entry(build=_case),
    "tracing:case_edit": Entry(
        build=_case,
        post=lambda w, k: {"reason": "1", "findings": "x"},
        may_post=SEARCHERS,
        expect_get=NOT_SEARCHER,
    ),
    "tracing:attempt_add": Entry(
        build=_case, post=lambda w, k: ATTEMPT, may_post=SEARCHERS, expect_get=NOT_SEARCHER
    ),
    "tracing:case_close": Entry(
        build=_case,
        post=lambda w, k: {
            "outcome": "contacted",
            "closed_on": "2026-11-01",
            "evidence": "已联系",
            "confirm": "on",
        },
        may_post=SEARCHERS,
        expect_get=NOT_SEARCHER,
    ),
    "tracing:second_search_done": Entry(
        build=_unreachable_case,
        post=lambda w, k: {"findings": "再次查找无果", "confirm": "on"},
        may_post=("committee_a",),
        expect_get={"branch_a1": 403, "county": 403},
    ),
    "tracing:case_open": Entry(
        build=_member, post=lambda w, k: {"reason": "1"}, may_post=SEARCHERS, expect_get=NOT_SEARCHER
    ),
    "tracing:case_quick_open": Entry(build=_member, post=lambda w, k: {}, may_post=SEARCHERS, get_status=405),
}
