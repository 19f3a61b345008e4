"""Issue 17 in Chromium: a member opens their 归队码 on a phone (390 px, script off) and reports;
the secretary confirms on a phone; the member's timeline fits a phone and a desk.

Screenshots go to test-artifacts/e2e/; with LIANXIN_DOC_SCREENSHOTS=1 the ones the README shows
are also written to docs/screenshots/ (guidui-*.png, timeline-*.png).
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from members import codes
from members.models import ContactStatus, SelfReport, SelfReportStatus
from tests.members.test_guidui import lost_member
from tests.members.test_timeline import member_with_a_life  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def keep(session, name):
    """A screenshot in the test's artifacts, and in docs/screenshots/ when asked for (as a small
    palette PNG: the pages have few colours)."""
    path = session.shot(name)
    if os.environ.get("LIANXIN_DOC_SCREENSHOTS"):
        from PIL import Image

        DOCS.mkdir(parents=True, exist_ok=True)
        Image.open(path).convert("RGB").quantize(colors=48).save(DOCS / f"{name}.png", optimize=True)


class Phone:
    """An anonymous phone: no account, no script."""

    def __init__(self, browser, base_url, session):
        self.context = browser.new_context(java_script_enabled=False, **PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base_url, self.session = base_url, session

    def shot(self, name):
        original, self.session.page = self.session.page, self.page
        try:
            keep(self.session, name)
        finally:
            self.session.page = original


def test_a_member_reports_from_a_phone_and_the_secretary_confirms(world, org, browser, live_server, session):
    member = lost_member(org)
    secretary_phone = codes.card_posts(org("branch_a1"))[0].phone
    token = codes.member_code(member).token
    phone = Phone(browser, live_server.url, session)
    page = phone.page

    page.goto(live_server.url + f"/r/{token}/")
    assert page.locator("script").count() == 0 and page.locator("link[rel=stylesheet]").count() == 1
    assert "王建华" not in page.content() and fits(page)
    phone.shot("guidui-1-identify")
    page.fill("#id_name", "王建华")
    page.fill("#id_last4", "2110")
    page.click("button[type=submit]")
    page.wait_for_selector("text=姓名或身份证号后四位不正确")
    assert fits(page) and "王*华" not in page.content()
    page.fill("#id_last4", "2117")
    page.click("button[type=submit]")
    page.wait_for_selector("text=王*华 同志，您好")
    assert fits(page) and secretary_phone in page.content()
    page.fill("#id_residence", "广东省东莞市长安镇霄边社区")
    page.fill("#id_workplace", "东莞市长安镇某电子厂")
    page.fill("#id_phone", "139 8765 4321")
    page.fill("#id_message", "在外务工两年，手机号换了，以后按时交党费。")
    phone.shot("guidui-2-report")
    page.click("button[type=submit]")
    page.wait_for_selector("text=已报送党支部")
    assert fits(page) and "/r/" in page.url and "王建华" not in page.url
    phone.shot("guidui-3-sent")
    phone.context.close()
    report = SelfReport.objects.get(member=member)
    assert report.status == SelfReportStatus.PENDING

    # The secretary, on a phone too: the 工作台 shows the report first; confirming it moves the status.
    session.page.set_viewport_size({"width": 390, "height": 844})
    session.login("branch_a1")
    assert session.page.locator(".panel h2 span").first.inner_text() == "成员自报待确认"
    assert fits(session.page)
    session.go(reverse("members:selfreport_detail", args=[report.pk]))
    assert fits(session.page)
    session.page.click("text=核实无误，确认")
    session.page.wait_for_url("**/confirm/")
    assert fits(session.page)
    keep(session, "guidui-4-confirm")
    session.page.click("button[type=submit].primary")
    session.page.wait_for_selector("text=已确认成员自报")
    member.refresh_from_db()
    assert member.contact_status == ContactStatus.NORMAL
    for path in (
        reverse("members:member_detail", args=[member.pk]),
        reverse("members:member_code", args=[member.pk]),
        reverse("members:selfreport_list") + "?all=1",
        reverse("members:branch_code", args=[org("branch_a1").pk]),
    ):
        session.go(path)
        assert fits(session.page), path
    session.go(reverse("members:member_code", args=[member.pk]))
    assert session.page.evaluate("document.querySelector('img.qr').naturalWidth") > 0  # the QR shows
    keep(session, "guidui-5-member-code")


def test_the_timeline_on_a_phone_and_a_desk(member_with_a_life, session):  # noqa: F811
    url = reverse("members:member_timeline", args=[member_with_a_life.pk])
    session.login("branch_a1")
    session.go(url)
    assert session.page.locator(".tl").count() >= 20
    keep(session, "timeline-desk")
    session.page.set_viewport_size({"width": 390, "height": 844})
    session.go(url)
    assert fits(session.page)
    keep(session, "timeline-phone")
    session.page.emulate_media(media="print")
    assert session.page.locator(".topbar").is_hidden() and session.page.locator(".tl").first.is_visible()
