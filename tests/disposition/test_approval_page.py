"""Approvers see what they approve: the case behind the decision, the chain so far, the
committee's second search still to do — in a number of queries that does not grow with them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disposition import services
from disposition.outcomes import Outcome
from tests.factories import MemberFactory, branch_officer
from tracing import services as tracing
from tracing.models import Channel

CHANNELS = [Channel.PHONE, Channel.RELATIVES, Channel.POLICE, Channel.SOCIAL_SECURITY, Channel.HOME_VISIT]


def _unreachable_case(world, org, *, attempts=3, name="韩无音"):
    user = world.users["branch_a1"]
    member = MemberFactory(
        organization=org("branch_a1"), name=name, last_contact_on=timezone.localdate() - timedelta(days=400)
    )
    case = tracing.case_open(member=member, acting_user=user, reason=1)
    for i in range(attempts):
        tracing.attempt_log(
            case=case,
            acting_user=user,
            channel=CHANNELS[i % len(CHANNELS)],
            process=f"第{i + 1}次查找",
            result="no_trace",
        )
    tracing.case_update(
        case=case, acting_user=user, reason=1, reason_remark="", findings="外出务工多年，从未交纳党费"
    )
    return tracing.case_close(case=case, acting_user=user, outcome="unreachable")


def _propose(world, case):
    return services.disposition_propose(
        case=case,
        outcome=Outcome.SUSPEND_UNREACHABLE,
        proposal="拟停止其党籍",
        acting_user=branch_officer(),  # the 组织委员 proposes, the 书记 decides (separation of duties)
    )


def _agree(world, disposition, persona, stage):
    services.step_decide(
        disposition=disposition,
        stage=stage,
        decision="agree",
        opinion=f"{stage}同意",
        acting_user=world.users[persona],
        meeting={"meeting_date": timezone.localdate()} if stage == "branch_committee" else None,
    )


@pytest.fixture
def waiting_for_committee(world, org):
    case = _unreachable_case(world, org)
    d = _propose(world, case)
    _agree(world, d, "branch_a1", "branch_committee")
    return case, d


def test_the_decision_page_shows_the_case_and_warns_of_the_second_search(
    world, client_for, waiting_for_committee
):
    case, d = waiting_for_committee
    for url in (
        reverse("disposition:step_decide", args=[d.pk]),
        reverse("disposition:disposition_detail", args=[d.pk]),
    ):
        page = client_for("committee_a").get(url).content.decode()
        assert "韩无音" in page and "查找记录</dt><dd>3 次" in page
        assert "3 种：电话、公安户籍、亲友" in page  # the channels, as the 3-channel rule counts them
        assert "外出务工多年，从未交纳党费" in page  # 调查核实情况
        assert "branch_committee同意" in page  # the chain so far
        assert "该案件尚待党委再次查找" in page
    user = world.users["committee_a"]
    tracing.attempt_log(
        case=case,
        acting_user=user,
        channel=Channel.POLICE,
        process="党委再次查找",
        result="no_trace",
        by_committee=True,
    )
    tracing.second_search_complete(case=case, acting_user=user, findings="再次查找无果")
    page = client_for("committee_a").get(reverse("disposition:step_decide", args=[d.pk])).content.decode()
    assert "该案件尚待党委再次查找" not in page and "再次查找无果" in page


def test_the_approval_pages_cost_the_same_for_a_long_case(world, org, client_for):
    short = _propose(world, _unreachable_case(world, org, attempts=3, name="甲"))
    _agree(world, short, "branch_a1", "branch_committee")
    long = _propose(world, _unreachable_case(world, org, attempts=12, name="乙"))
    _agree(world, long, "branch_a1", "branch_committee")
    _agree(world, long, "committee_a", "committee_pre")
    client = client_for("county")
    client.get("/")  # session and caches settled

    def count(name, d):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, args=[d.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count("disposition:disposition_detail", long) == count("disposition:disposition_detail", short)
    committee = client_for("committee_a")
    with CaptureQueriesContext(connection) as few:
        committee.get(reverse("disposition:step_decide", args=[short.pk]))
    extra = _propose(world, _unreachable_case(world, org, attempts=9, name="丙"))
    _agree(world, extra, "branch_a1", "branch_committee")
    with CaptureQueriesContext(connection) as many:
        committee.get(reverse("disposition:step_decide", args=[extra.pk]))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_case_page_chain_does_not_grow_with_steps(world, org, client_for):
    client = client_for("county")
    a = _propose(world, _unreachable_case(world, org, name="丁"))
    _agree(world, a, "branch_a1", "branch_committee")
    b = _propose(world, _unreachable_case(world, org, name="戊"))
    _agree(world, b, "branch_a1", "branch_committee")
    _agree(world, b, "committee_a", "committee_pre")

    def count(case_pk):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tracing:case_detail", args=[case_pk])).status_code == 200
        return len(ctx.captured_queries)

    client.get("/")
    assert count(a.case_id) == count(b.case_id)
