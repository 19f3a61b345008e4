"""The case page: what closing needs (结案条件), corrections kept and struck through, contacts on the case."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import ContactRecord, ContactStatus
from tests.factories import MemberFactory
from tracing import services
from tracing.closing import close_conditions
from tracing.models import AttemptResult, CaseStatus, Channel, SearchAttempt


@pytest.fixture
def case(world, org):
    member = MemberFactory(
        organization=org("branch_a1"), last_contact_on=timezone.localdate() - timedelta(days=300)
    )
    return services.case_open(member=member, acting_user=world.users["branch_a1"], reason=1)


def _attempt(case, user, channel, **kw):
    return services.attempt_log(
        case=case, acting_user=user, channel=channel, process=f"经{channel}查找", result="no_trace", **kw
    )


def _page(client, case):
    return client.get(reverse("tracing:case_detail", args=[case.pk])).content.decode()


def test_conditions_list_what_is_missing_with_links(world, case, client_for):
    user = world.users["branch_a1"]
    _attempt(case, user, Channel.PHONE)
    page = _page(client_for("branch_a1"), case)
    assert "结案条件" in page and "已用 1 种：电话" in page
    assert page.count("未满足") == 2  # channels and 调查核实情况; the log has one attempt
    assert reverse("tracing:case_edit", args=[case.pk]) + '">填写调查核实情况' in page
    assert reverse("tracing:attempt_add", args=[case.pk]) + '">用其他渠道查找并登记' in page
    # The county sees the conditions but no link to fill them (it does not search).
    county = _page(client_for("county"), case)
    assert "结案条件" in county and "填写调查核实情况" not in county

    _attempt(case, user, Channel.RELATIVES)
    _attempt(case, user, Channel.POLICE)
    services.case_update(
        case=case, acting_user=user, reason=1, reason_remark="", findings="在外务工，表现一般"
    )
    case.refresh_from_db()
    conditions = close_conditions(case, list(case.attempts.all()), can_fill=True)
    assert all(c.met for c in conditions)
    assert "未满足" not in _page(client_for("branch_a1"), case)
    close_page = client_for("branch_a1").get(reverse("tracing:case_close", args=[case.pk])).content.decode()
    assert "结案条件" in close_page and "已用 3 种" in close_page


def test_a_correction_keeps_the_original_struck_through(world, case, client_for):
    original = _attempt(case, world.users["branch_a1"], Channel.PHONE)
    client = client_for("branch_a1")
    url = reverse("tracing:attempt_add", args=[case.pk]) + f"?supersedes={original.pk}"
    assert url in _page(client, case)  # the 更正 link
    form = client.get(url).content.decode()
    assert "更正查找记录" in form and "经phone查找" in form  # prefilled from the original
    data = {
        "searched_at": "2026-11-01T10:00",
        "channel": "wechat",
        "process": "微信联系无回复",
        "result": "no_trace",
        "supersedes": original.pk,
    }
    response = client.post(url, data)
    assert "更正理由" in response.content.decode() and SearchAttempt.objects.count() == 1
    client.post(url, {**data, "correction_reason": "渠道记错"})
    fix = SearchAttempt.objects.get(supersedes=original)
    assert fix.channel == Channel.WECHAT and SearchAttempt.objects.filter(pk=original.pk).exists()
    page = _page(client, case)
    item = re.search(rf'<li id="attempt-{original.pk}" class="superseded">(.*?)</li>', page, re.S).group(1)
    assert 'class="struck"' in item and f'href="#attempt-{fix.pk}"' in item and "?supersedes=" not in item
    assert f"?supersedes={fix.pk}" in page  # the correction can itself be corrected
    assert services.channels_tried(case) == {Channel.WECHAT}


def test_a_correction_names_an_attempt_of_this_case(world, org, case, client_for):
    other_member = MemberFactory(organization=org("branch_a1"))
    other = services.case_open(member=other_member, acting_user=world.users["branch_a1"], reason=1)
    foreign = _attempt(other, world.users["branch_a1"], Channel.PHONE)
    url = reverse("tracing:attempt_add", args=[case.pk]) + f"?supersedes={foreign.pk}"
    assert client_for("branch_a1").get(url).status_code == 404
    assert client_for("branch_a1").get(url.replace(str(foreign.pk), "x1")).status_code == 404


def test_a_contact_on_an_open_case_is_an_attempt_and_moves_the_status(world, case, client_for):
    client = client_for("branch_a1")
    url = reverse("tracing:case_contact", args=[case.pk])
    data = {"on": timezone.localdate().isoformat(), "kind": "phone", "note": "本人接听，在西安务工"}
    response = client.post(url, data)
    assert "确认" in response.content.decode() and not SearchAttempt.objects.exists()  # confirmation required
    assert client.post(url, {**data, "confirm": "on"}).status_code == 302
    attempt = SearchAttempt.objects.get(case=case)
    assert attempt.result == AttemptResult.CONTACTED and attempt.channel == Channel.PHONE
    assert ContactRecord.objects.filter(member=case.member).count() == 1
    case.refresh_from_db()
    case.member.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.member.contact_status == ContactStatus.NORMAL
    page = _page(client, case)
    assert "结束查找（已取得联系）" in page and "?outcome=contacted" in page


def test_a_contact_can_close_the_case(world, case, client_for):
    url = reverse("tracing:case_contact", args=[case.pk])
    day = timezone.localdate()
    data = {"on": day.isoformat(), "kind": "reply", "note": "本人来电", "close": "1", "confirm": "on"}
    assert client_for("branch_a1").post(url, data).status_code == 302
    case.refresh_from_db()
    assert (
        case.status == CaseStatus.CONTACTED and case.closed_on == day and case.closing_evidence == "本人来电"
    )


def test_a_contact_before_the_case_cannot_close_it(world, case, client_for):
    url = reverse("tracing:case_contact", args=[case.pk])
    day = case.opened_on - timedelta(days=3)
    data = {"on": day.isoformat(), "kind": "phone", "note": "x", "close": "1", "confirm": "on"}
    response = client_for("branch_a1").post(url, data)
    assert "早于立案日期" in response.content.decode()
    assert not SearchAttempt.objects.exists() and not ContactRecord.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
