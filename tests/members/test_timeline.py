"""Issue 17 item 4: one timeline per member — every kind of record, in time order, each line
linking to its record, read in one query per kind whatever the number of records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disposition import services as chain
from disposition.models import Decision
from disposition.outcomes import Outcome
from lianxin import request_state
from members import selfreports, services
from members.models import Absence, AttendanceStatus, Transfer
from members.timeline import timeline
from tests.factories import MemberFactory, branch_officer
from tracing import services as tracing
from tracing.models import AttemptResult, CaseStatus, Channel

TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def member_with_a_life(world, org):
    """Two years of one member: roll calls, dues, a transfer out and back, an absence, contacts,
    a self-report, a search that failed, and a disposition on its way."""
    secretary = world.users["branch_a1"]
    branch = org("branch_a1")
    MemberFactory.create_batch(3, organization=branch)  # voters for the branch's meetings
    member = MemberFactory(organization=branch, name="赵志刚", last_contact_on=days_ago(700))
    services.activity_record(
        organization=branch,
        kind="sanhui",
        title="学习党章",
        held_on=days_ago(690),
        attendance={member: AttendanceStatus.PRESENT},
        acting_user=secretary,
    )
    services.dues_record(
        member=member,
        month=days_ago(680),
        amount=Decimal("20.00"),
        paid_on=days_ago(680),
        acting_user=secretary,
    )
    out = Transfer(
        member=member,
        nature=Transfer.Nature.TEMPORARY,
        phone="13900000001",
        destination="深圳",
        backup_contact="其父",
        other_organization="深圳某党支部",
        talk_on=days_ago(660),
        talk_record="转出前谈话，嘱其按时报到",
        letter_number="华组转〔2024〕12号",
        letter_issued_on=days_ago(660),
    )
    services.transfer_out(transfer=out, acting_user=secretary)
    services.follow_up_add(transfer=out, on=days_ago(600), note="电话催问回执", acting_user=secretary)
    services.receipt_record(transfer=out, received_on=days_ago(590), acting_user=secretary)
    services.transfer_in(
        transfer=Transfer(
            member=member, other_organization="深圳某党支部", talk_on=days_ago(500), talk_record="返回谈话"
        ),
        acting_user=secretary,
    )
    absence = services.absence_record(
        absence=Absence(member=member, left_on=days_ago(450), destination="东莞", reported=True),
        acting_user=secretary,
    )
    services.talk_record(
        absence=absence,
        kind="departure",
        on=days_ago(452),
        talker="刘桂兰",
        record="行前谈话",
        acting_user=secretary,
    )
    services.absence_close(absence=absence, returned_on=days_ago(440), acting_user=secretary)
    services.talk_record(
        absence=absence,
        kind="return",
        on=days_ago(438),
        talker="刘桂兰",
        record="回归谈话",
        acting_user=secretary,
    )
    services.contact_record(
        member=member, on=days_ago(400), kind="phone", note="电话联系上本人", acting_user=secretary
    )
    case = tracing.case_open(member=member, reason=1, acting_user=secretary)
    for channel in (Channel.PHONE, Channel.WECHAT, Channel.POLICE):
        tracing.attempt_log(
            case=case,
            channel=channel,
            process=f"{channel.label}查找",
            result=AttemptResult.NO_TRACE,
            acting_user=secretary,
        )
    tracing.case_update(
        case=case, reason=1, reason_remark="", findings="外出务工，去向不明", acting_user=secretary
    )
    tracing.case_close(case=case, outcome=CaseStatus.UNREACHABLE, acting_user=secretary)
    disposition = chain.disposition_propose(
        case=case, outcome=Outcome.SUSPEND_UNREACHABLE, proposal="拟停止党籍", acting_user=branch_officer()
    )
    chain.step_decide(
        disposition=disposition,
        stage="branch_committee",
        decision=Decision.AGREE,
        opinion="同意",
        meeting={"meeting_date": TODAY},
        acting_user=secretary,
    )
    report = selfreports.selfreport_receive(
        member=member, via="member_code", residence="东莞长安", phone="13900000002"
    )
    selfreports.selfreport_reject(report=report, reason="电话核实不是本人", acting_user=secretary)
    return member


def test_every_kind_of_record_in_time_order_with_links(world, member_with_a_life, client_for):
    entries = timeline(member_with_a_life, world.users["branch_a1"])
    kinds = {e.kind for e in entries}
    assert kinds >= {
        "组织生活",
        "党费",
        "谈心谈话",
        "组织关系转接",
        "外出",
        "联系记录",
        "成员自报",
        "失联查找",
        "查找记录",
        "组织处置",
        "状态变化",
    }
    assert [e.sort_key for e in entries] == sorted(e.sort_key for e in entries)
    titles = [e.title for e in entries]
    for expected in (
        "转出前谈心谈话",
        "转入谈心谈话",
        "介绍信回执收回",
        "回执跟踪",
        "外出返回",
        "立案查找",
        "查找结束：经多方努力确实无法取得联系",
        "支委会初步处置意见：同意",
        "驳回成员自报",
        "外出前谈话（东莞）",
        "返回后谈话（东莞）",
    ):
        assert any(expected in t for t in titles), expected
    assert any(e.title.startswith("联系状态：") for e in entries)  # from the member's history
    assert titles.index("转出前谈心谈话") < titles.index("介绍信回执收回") < titles.index("转入谈心谈话")
    talks = [i for i, t in enumerate(titles) if "谈话（东莞）" in t]
    assert talks[0] < titles.index("外出返回") < talks[1]  # the 三必谈 around the absence
    # A closing known by its day comes after that day's attempts, the disposition after the closing.
    closing = next(i for i, t in enumerate(titles) if t.startswith("查找结束"))
    assert all(i < closing for i, e in enumerate(entries) if e.kind == "查找记录")
    assert all(i > closing for i, e in enumerate(entries) if e.kind == "组织处置")
    client = client_for("branch_a1")
    for url in {e.url.partition("#")[0] for e in entries}:
        assert url and client.get(url).status_code == 200, url


def test_the_page_prints_and_fits_its_viewer(world, member_with_a_life, client_for):
    url = reverse("members:member_timeline", args=[member_with_a_life.pk])
    page = client_for("committee_a").get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "赵志刚 · 时间线" in text and "css/guidui.css" in text
    assert "华组转〔2024〕12号" in text and "电话核实不是本人" in text
    assert member_with_a_life.id_number not in text  # masked on the handover page too
    assert client_for("committee_b").get(url).status_code == 404
    detail = client_for("branch_a1").get(reverse("members:member_detail", args=[member_with_a_life.pk]))
    assert url in detail.content.decode()


def test_queries_do_not_grow_with_the_records(world, member_with_a_life):
    user = world.users["branch_a1"]

    def count():
        with request_state.scope(), CaptureQueriesContext(connection) as ctx:
            list(timeline(member_with_a_life, user))
        return len(ctx.captured_queries)

    count()  # the user's rights are read once and kept for the request
    before = count()
    case = member_with_a_life.cases.get()
    disposition = case.dispositions.get()
    for n in range(6):  # more of every kind: attempts, steps, dues, contacts, status changes
        services.dues_record(
            member=member_with_a_life,
            month=days_ago(300 - 31 * n),
            amount=Decimal("20.00"),
            paid_on=days_ago(300 - 31 * n),
            acting_user=user,
        )
        services.contact_record(
            member=member_with_a_life, on=days_ago(100 - n), kind="visit", note="走访", acting_user=user
        )
    chain.step_decide(
        disposition=disposition,
        stage="committee_pre",
        decision=Decision.AGREE,
        opinion="同意",
        acting_user=world.users["committee_a"],
    )
    assert count() == before
    # One query per kind: attendance, dues, transfers (+ their follow-ups), talks, absences,
    # contacts, self-reports, the member's history; cases, attempts; dispositions, steps; and the
    # user's rights, read once per request (each count() is a request of its own).
    assert before <= 14
