"""Issue 17: 归队码. A member scans the code and reports without an account; the branch confirms
or rejects; a confirmed report moves the member's status and any open case exactly as a contact
the branch records. The public page shows nothing personal before identification, never says
which half of a wrong identification was wrong, is rate limited, and a rotated code is dead."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianxin.dashboard import panels_for
from lianxin.models import Role
from lianxin.posts import post_assign
from members import codes, selfreports
from members.models import (
    ContactKind,
    ContactRecord,
    ContactStatus,
    MemberCode,
    PartyStatus,
    SelfReport,
    SelfReportStatus,
)
from members.public_views import EXPIRED, WRONG
from tests.factories import CaseFactory, MemberFactory
from tracing.models import AttemptResult, CaseStatus, Channel, LostContactCase

ID_NUMBER = "610581198503152117"  # valid (GB 11643); the last four are 2117


def lost_member(org, **kw):
    """王建华 of branch_a1, last heard of nine months ago (失联)."""
    member = MemberFactory(
        organization=org("branch_a1"),
        name="王建华",
        id_number=ID_NUMBER,
        phone="13912345678",
        residence="城关镇东街12号",
        last_contact_on=timezone.localdate() - timedelta(days=270),
        contact_status=ContactStatus.LOST,
        **kw,
    )
    return member


def url_of(member):
    return reverse("guidui:member", args=[codes.member_code(member).token])


def identified(client, url, name="王建华", last4="2117"):
    response = client.post(url, {"name": name, "last4": last4})
    assert response.status_code == 200
    return response


def report(client, url, response, **fields):
    data = {
        "ident": response.context["form"].initial["ident"],
        "residence": "广东省东莞市长安镇",
        "workplace": "东莞某电子厂",
        "phone": "139 8765 4321",
        "attending": "",
        "message": "在外务工，手机换了号",
        **fields,
    }
    return client.post(url, data)


@pytest.fixture
def secretary_post(world, org):
    """branch_a1's secretary with a phone on the 联心卡."""
    return post_assign(
        user=world.users["branch_a1"],
        organization=org("branch_a1"),
        title="书记",
        role=Role.BRANCH_SECRETARY,
        phone="0913-5551234",
    )


def test_a_member_reports_the_secretary_confirms_and_the_status_and_case_move(
    world, org, client_for, secretary_post
):
    member = lost_member(org)
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], opened_on=timezone.localdate())
    url = url_of(member)
    phone = Client()

    page = identified(phone, url)
    text = page.content.decode()
    assert "王*华" in text and "王建华" not in text  # the masked name only
    assert "城关镇东街社区党支部" in text and "0913-5551234" in text  # the branch's contacts
    sent = report(phone, url, page)
    assert sent.status_code == 200 and "已报送党支部" in sent.content.decode()

    received = SelfReport.objects.get(member=member)
    assert received.status == SelfReportStatus.PENDING and received.phone == "13987654321"
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.LOST  # a report alone clears nothing
    assert not case.attempts.exists()
    assert received.history.get().history_user is None  # written by the member: no account

    # At the top of the branch secretary's 工作台.
    panel = panels_for(world.users["branch_a1"])[0]
    assert panel.title == "成员自报待确认" and panel.count == 1
    assert panel.items[0][1] == reverse("members:selfreport_detail", args=[received.pk])

    secretary = client_for("branch_a1")
    confirm = reverse("members:selfreport_confirm", args=[received.pk])
    assert "同时结束查找" in secretary.get(confirm).content.decode()
    response = secretary.post(confirm, {"update_record": "on", "close_case": "on"})
    assert response.status_code == 302

    member.refresh_from_db()
    today = timezone.localdate()
    assert member.last_contact_on == today and member.contact_status == ContactStatus.NORMAL
    assert (member.residence, member.phone) == ("广东省东莞市长安镇", "13987654321")
    attempt = case.attempts.get()
    assert (attempt.channel, attempt.result) == (Channel.SELF_REPORT, AttemptResult.CONTACTED)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONTACTED and case.closed_on == today
    received.refresh_from_db()
    record = received.contact_record
    assert received.status == SelfReportStatus.CONFIRMED and received.decided_by == world.users["branch_a1"]
    assert record.kind == ContactKind.SELF_REPORT and record.on == today and "长安镇" in record.note
    assert "13987654321" not in record.note and "13987654321" not in attempt.process
    # Every step in history, with who did it.
    users = [h.history_user for h in received.history.order_by("history_date")]
    assert users == [None, world.users["branch_a1"]]
    assert member.history.filter(history_change_reason="按成员自报更新").exists()
    assert panels_for(world.users["branch_a1"])[0].count == 0


def test_confirmed_without_closing_the_case_can_be_closed_from_the_case(world, org, client_for):
    from tracing import services

    member = lost_member(org)
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], opened_on=timezone.localdate())
    received = selfreports.selfreport_receive(
        member=member, via="member_code", residence="西安市雁塔区", phone="13900001111"
    )
    selfreports.selfreport_confirm(report=received, acting_user=world.users["branch_a1"])
    case.refresh_from_db()
    assert case.is_open and case.attempts.get().channel == Channel.SELF_REPORT
    page = client_for("branch_a1").get(reverse("tracing:case_detail", args=[case.pk])).content.decode()
    assert "本人自报" in page
    services.case_close(
        case=case,
        acting_user=world.users["branch_a1"],
        outcome=CaseStatus.CONTACTED,
        evidence="本人自报，已电话核实",
    )
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.NORMAL and member.residence == "城关镇东街12号"


def test_a_member_without_a_case_gets_a_contact_record(world, org):
    member = lost_member(org)
    received = selfreports.selfreport_receive(
        member=member, via="member_code", residence="西安", phone="13900001111"
    )
    selfreports.selfreport_confirm(report=received, acting_user=world.users["branch_a1"], close_case=True)
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.NORMAL
    assert ContactRecord.objects.get(member=member).kind == ContactKind.SELF_REPORT
    assert not LostContactCase.objects.filter(member=member).exists()


def test_the_secretary_rejects_with_a_reason_and_nothing_else_changes(world, org, client_for):
    member = lost_member(org)
    received = selfreports.selfreport_receive(
        member=member, via="member_code", residence="西安", phone="13900001111"
    )
    secretary = client_for("branch_a1")
    reject = reverse("members:selfreport_reject", args=[received.pk])
    page = secretary.post(reject, {"reason": "  "})
    assert page.status_code == 200 and page.context["form"].errors
    assert secretary.post(reject, {"reason": "电话核实，不是本人填写"}).status_code == 302
    received.refresh_from_db()
    member.refresh_from_db()
    assert received.status == SelfReportStatus.REJECTED and received.reject_reason == "电话核实，不是本人填写"
    assert member.contact_status == ContactStatus.LOST and not ContactRecord.objects.exists()
    assert received.history.count() == 2
    # Decided once: a second decision is refused.
    again = secretary.post(reverse("members:selfreport_confirm", args=[received.pk]), {})
    assert again.status_code == 302
    received.refresh_from_db()
    assert received.status == SelfReportStatus.REJECTED


def test_committee_sees_the_report_but_may_not_decide(world, org, client_for):
    member = lost_member(org)
    received = selfreports.selfreport_receive(
        member=member, via="member_code", residence="西安", phone="13900001111"
    )
    committee = client_for("committee_a")
    page = committee.get(reverse("members:selfreport_detail", args=[received.pk])).content.decode()
    assert "西安" in page and "核实无误，确认" not in page
    assert committee.post(reverse("members:selfreport_confirm", args=[received.pk]), {}).status_code == 403
    assert panels_for(world.users["committee_a"])[0].title != "成员自报待确认"


def _strip_volatile(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'value="[^"]*"', "", html)


def test_wrong_name_or_digits_are_refused_alike(world, org):
    member = lost_member(org)
    url = url_of(member)
    wrong_name = identified(Client(), url, name="王建国", last4="2117").content.decode()
    wrong_digits = identified(Client(), url, name="王建华", last4="2110").content.decode()
    assert WRONG in wrong_name and WRONG in wrong_digits
    assert _strip_volatile(wrong_name) == _strip_volatile(wrong_digits)
    assert not SelfReport.objects.exists()
    # Spaces and full-width characters, as phones type them, still match.
    assert "王*华" in identified(Client(), url, name=" 王 建华", last4="２１１７").content.decode()


def test_nothing_personal_before_identification(world, org, secretary_post):
    member = lost_member(org)
    url = url_of(member)
    for response in (Client().get(url), identified(Client(), url, name="王建国")):
        text = response.content.decode()
        for secret in ("王建华", "王*华", "2117", "13912345678", "东街社区", "0913-5551234", "城关镇"):
            assert secret not in text, secret
        assert "确认身份" in text
    assert "王建华" not in url and ID_NUMBER not in url


def test_public_pages_need_no_login_keep_no_copy_and_check_csrf(world, org):
    member = lost_member(org)
    url = url_of(member)
    response = Client().get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(url, {"name": "王建华", "last4": "2117"})
    assert refused.status_code == 403 and "页面已过期" in refused.content.decode()
    page = strict.get(url)
    token = page.cookies["csrftoken"].value
    assert (
        strict.post(url, {"name": "王建华", "last4": "2117", "csrfmiddlewaretoken": token}).status_code == 200
    )


def test_rate_limit_per_code_and_per_address(world, org, settings):
    settings.LIANXIN = {**settings.LIANXIN, "PUBLIC_FAILURES_PER_CODE": 3, "PUBLIC_FAILURES_PER_ADDRESS": 5}
    first, second = lost_member(org), MemberFactory(organization=org("branch_a1"), name="李红")
    url = url_of(first)
    guesser = Client(REMOTE_ADDR="10.0.0.1")
    for digits in ("0001", "0002", "0003"):
        assert WRONG in identified(guesser, url, last4=digits).content.decode()
    limited = Client(REMOTE_ADDR="10.0.0.2").post(url, {"name": "王建华", "last4": "2117"})
    assert limited.status_code == 429 and "尝试次数过多" in limited.content.decode()
    assert limited["Retry-After"] == "3600"
    # The same address is held back on every code once it has failed too often.
    other = url_of(second)
    for digits in ("0004", "0005"):
        guesser.post(other, {"name": "李红", "last4": digits})
    assert guesser.get(other).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.3").get(other).status_code == 200


def test_reports_per_member_and_day(world, org, settings):
    settings.LIANXIN = {**settings.LIANXIN, "PUBLIC_REPORTS_PER_DAY": 2}
    member = lost_member(org)
    url = url_of(member)
    phone = Client()
    page = identified(phone, url)
    for n in range(2):
        assert report(phone, url, page, message=f"第{n}次").status_code == 200
    too_many = report(phone, url, page, message="第三次")
    assert too_many.status_code == 429 and "今天已报送多次" in too_many.content.decode()
    assert SelfReport.objects.count() == 2


def test_the_same_report_sent_twice_is_kept_once(world, org):
    member = lost_member(org)
    url = url_of(member)
    phone = Client()
    page = identified(phone, url)
    report(phone, url, page)
    report(phone, url, page)
    assert SelfReport.objects.count() == 1


def test_rotated_revoked_and_unknown_codes_answer_404(world, org, client_for):
    member = lost_member(org)
    old = url_of(member)
    page = identified(Client(), old)
    secretary = client_for("branch_a1")
    rotate = reverse("members:member_code_rotate", args=[member.pk])
    secretary.post(rotate, {})  # not confirmed: nothing happens
    assert Client().get(old).status_code == 200
    secretary.post(rotate, {"confirm": "on"})
    assert Client().get(old).status_code == 404
    assert report(Client(), old, page).status_code == 404  # nor can a page opened before send
    new = url_of(member)
    assert new != old and Client().get(new).status_code == 200
    assert MemberCode.objects.filter(member=member).count() == 2
    for gone in ("/r/short/", "/r/" + "A" * 22 + "/", "/r/b/" + "B" * 22 + "/"):
        assert Client().get(gone).status_code == 404
    # A member who has left the branch cannot be reached through an old code.
    member.party_status = PartyStatus.TRANSFERRED_OUT
    member.save()
    assert Client().get(new).status_code == 404


def test_a_transfer_out_gives_the_card_a_fresh_code(world, org):
    from members.models import Transfer
    from members.services import transfer_out

    member = lost_member(org)
    old = codes.member_code(member)
    MemberCode.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))

    def leave(talk_on):
        transfer_out(
            transfer=Transfer(
                member=member,
                nature=Transfer.Nature.TEMPORARY,
                phone="13912345678",
                destination="东莞",
                backup_contact="其妻",
                other_organization="东莞某党支部",
                talk_on=talk_on,
                talk_record="转出前谈心谈话",
            ),
            acting_user=world.users["branch_a1"],
        )

    leave(timezone.localdate())
    fresh = codes.member_code(member)
    assert fresh.pk != old.pk and codes.find_member_code(old.token) is None
    leave(timezone.localdate())  # the card printed today for this handover keeps its code
    assert codes.member_code(member).pk == fresh.pk


def test_an_identification_expires_and_cannot_be_moved_to_another_code(world, org, settings):
    member, other = lost_member(org), MemberFactory(organization=org("branch_a1"), name="李红")
    url = url_of(member)
    page = identified(Client(), url)
    moved = report(Client(), url_of(other), page)
    assert EXPIRED in moved.content.decode() and not SelfReport.objects.exists()
    forged = report(Client(), url, page, ident="e30:1:forged")
    assert EXPIRED in forged.content.decode()
    from members import public_views

    settings_backup, public_views.SIGNED_FOR = public_views.SIGNED_FOR, -1
    try:
        assert EXPIRED in report(Client(), url, page).content.decode()
    finally:
        public_views.SIGNED_FOR = settings_backup
    assert not SelfReport.objects.exists()


def test_the_branch_code_finds_the_member_by_name_and_digits(world, org, client_for):
    member = lost_member(org)
    elsewhere = MemberFactory(organization=org("branch_a2"), name="张丽")
    code = codes.branch_code(org("branch_a1"))
    url = reverse("guidui:branch", args=[code.token])
    page = Client().get(url).content.decode()
    assert "城关镇东街社区党支部" in page and "王建华" not in page  # the poster's branch, no one in it
    assert WRONG in identified(Client(), url, name="张丽", last4=elsewhere.id_number[-4:]).content.decode()
    found = identified(Client(), url)
    assert "王*华" in found.content.decode()
    report(Client(), url, found)
    assert SelfReport.objects.get().via == "branch_code"
    # A namesake with other digits does not stand in the way; a twin with the same last four
    # (born a week later) does: neither is chosen, and the page says only what it says to a stranger.
    MemberFactory(organization=org("branch_a1"), name="王建华", id_number="610581199001011118")
    assert selfreports.identify(name="王建华", last4="2117", branch=org("branch_a1")) == member
    MemberFactory(organization=org("branch_a1"), name="王建华", id_number="610581198503232117")
    assert selfreports.identify(name="王建华", last4="2117", branch=org("branch_a1")) is None
    assert WRONG in identified(Client(), url).content.decode()
    client = client_for("branch_a1")
    client.post(reverse("members:branch_code_rotate", args=[org("branch_a1").pk]), {"confirm": "on"})
    assert Client().get(url).status_code == 404


def test_code_pages_and_cards_for_the_branch(world, org, client_for):
    member = lost_member(org)
    secretary = client_for("branch_a1")
    page = secretary.get(reverse("members:member_code", args=[member.pk]))
    token = codes.member_code(member).token
    assert page.status_code == 200 and f"/r/{token}/" in page.content.decode()
    assert 'src="data:image/svg+xml' in page.content.decode()
    assert client_for("committee_a").get(reverse("members:member_code", args=[member.pk])).status_code == 403
    card = secretary.get(reverse("reports:member_card_pdf", args=[member.pk]))
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    assert client_for("county").get(reverse("reports:member_card_pdf", args=[member.pk])).status_code == 403
    branch_card = secretary.get(reverse("reports:card_pdf", args=[org("branch_a1").pk]))
    assert branch_card.status_code == 200
    assert codes.find_branch_code(codes.branch_code(org("branch_a1")).token) is not None


def test_public_base_url_setting(world, org, client_for, settings):
    settings.LIANXIN = {**settings.LIANXIN, "PUBLIC_BASE_URL": "https://lianxin.example.cn/"}
    member = lost_member(org)
    page = client_for("branch_a1").get(reverse("members:member_code", args=[member.pk])).content.decode()
    assert f"https://lianxin.example.cn/r/{codes.member_code(member).token}/" in page


def test_codes_in_logged_paths_are_masked():
    from lianxin.logfilters import redact

    assert redact("Not Found: /r/AbCdEfGhIjKlMnOpQrStUv/") == "Not Found: /r/***/"
    assert redact("Too Many Requests: /r/b/AbCdEfGhIjKlMnOpQrStUv/") == "Too Many Requests: /r/b/***/"


def test_a_token_is_128_bits_and_url_safe(world, org):
    token = codes.member_code(lost_member(org)).token
    assert len(token) >= 22 and codes.TOKEN_SHAPE.fullmatch(token)


def test_masked_name():
    assert [selfreports.masked_name(n) for n in ("李", "李红", "王建华", "欧阳春晓")] == [
        "李",
        "李*",
        "王*华",
        "欧**晓",
    ]


def test_the_public_page_is_light_for_a_slow_connection(world, org):
    """No script, one small stylesheet, a few kilobytes of page."""
    from django.contrib.staticfiles import finders

    member = lost_member(org)
    url = url_of(member)
    for response in (Client().get(url), identified(Client(), url)):
        html = response.content.decode()
        assert "<script" not in html and html.count('rel="stylesheet"') == 1 and "public.css" in html
        assert len(response.content) < 8 * 1024
    assert Path(finders.find("css/public.css")).stat().st_size < 3 * 1024


def test_a_final_x_is_matched_whatever_its_case(world, org):
    member = MemberFactory(
        organization=org("branch_a1"), name="刘芳", gender="女", id_number="61058119850315004X"
    )
    assert selfreports.identify(name="刘芳", last4="004x", member=member) == member
    assert selfreports.identify(name="刘芳", last4="0040", member=member) is None
