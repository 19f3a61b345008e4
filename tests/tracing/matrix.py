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


def _assistance(world):
    from tracing import services

    request = services.assistance_request(
        case=case(world),
        to_organization=world.orgs["610581003001"],
        text="请协助查找",
        acting_user=world.users["branch_a1"],
    )
    return {"pk": request.pk}


def _attempt_with_attachment(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracing import services

    evidence = SimpleUploadedFile("reply.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    attempt = services.attempt_log(
        case=case(world),
        acting_user=world.users["branch_a1"],
        channel="police",
        process="公安户籍查询",
        result="no_trace",
        attachment=evidence,
    )
    return {"pk": attempt.pk}


ALL = ("branch_a1", "branch_a2", "committee_a", "committee_b", "county")

ENTRIES = {
    # Each user opens a 排查 only for a unit of their own (others are not offered: the form refuses them).
    "tracing:census_list": Entry(
        post=lambda w, k: {
            "organization": w.orgs[BRANCH_A1].pk,
            "name": "2026年排查",
            "starts_on": "2026-10-01",
            "ends_on": "2026-10-31",
        },
        may_post=ALL,
    ),
    "tracing:assistance_request": Entry(
        build=_case,
        post=lambda w, k: {"to_organization": w.orgs["610581003001"].pk, "text": "请协助"},
        may_post=SEARCHERS,
        expect_get=NOT_SEARCHER,
    ),
    # The request belongs to the helping organization (610581003001, under committee_c): the requesting
    # branch and committee_a see the case, not the right to answer; outside personas get 404.
    "tracing:assistance_answer": Entry(
        build=_assistance,
        post=lambda w, k: {"text": "已协查"},
        may_post=(),
        expect_get={"branch_a1": 404, "committee_a": 404, "county": 403},
    ),
    "tracing:attempt_attachment": Entry(build=_attempt_with_attachment),
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
    "tracing:case_contact": Entry(
        build=_case,
        post=lambda w, k: {"on": "2026-10-01", "kind": "phone", "note": "电话联系上本人", "confirm": "on"},
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
