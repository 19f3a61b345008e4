"""The roll call in a real browser, on a phone (390 px) and a desk (1280 px): compact, no sideways
scroll, nothing pre-checked, and a lost member with an open case is confirmed, never silently reset."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Attendance, ContactStatus
from tests.factories import CaseFactory, MemberFactory
from tracing.models import AttemptResult, CaseStatus, SearchAttempt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_roll_call_on_a_phone_and_a_desk(world, org, browser, live_server, width):
    from tests.e2e.conftest import ARTIFACTS, Session

    today = timezone.localdate()
    branch = org("branch_a1")
    for i in range(20):
        MemberFactory(organization=branch, name=f"党员{i:02d}", last_contact_on=today - timedelta(days=10))
    lost = MemberFactory(
        organization=branch,
        name="林失联",
        last_contact_on=today - timedelta(days=300),
        contact_status=ContactStatus.LOST,
    )
    case = CaseFactory(member=lost, opened_by=world.users["branch_a1"], opened_on=today)
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": 844},
        is_mobile=width == 390,
        has_touch=width == 390,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    session = Session(page, live_server.url, ARTIFACTS / f"roll-call-{width}")
    session.login("branch_a1")
    session.go(f"/members/branch/{branch.pk}/activity/")

    def fits():
        return page.evaluate("document.documentElement.scrollWidth") <= width

    assert fits() and page.locator("input[type=radio]:checked").count() == 0
    segment = page.locator(".segmented label").first.bounding_box()
    assert segment["height"] >= 44 and segment["width"] >= 44
    # One line per member on a desk; two short lines on a phone — far from 4,000 px.
    height = page.evaluate("document.querySelector('.roll').getBoundingClientRect().height")
    assert height <= 21 * (90 if width == 390 else 30) + 100
    session.shot("unset")

    page.get_by_role("button", name="未选择的设为“参加”").click()
    page.wait_for_load_state()
    assert page.locator("input[type=radio]:checked").count() == 20  # not the lost member
    page.fill("#id_title", "学习党章")
    page.fill("#id_held_on", today.isoformat())
    page.locator(f"label[for=id_m{lost.pk}_0]").click()  # tap 参加 for the lost member
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert "以下党员有正在查找的失联案件" in page.content() and fits()
    assert not Attendance.objects.exists()
    session.shot("confirm")

    page.check("#id_confirm_open")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url("**/members/?org=*")
    assert "已在其案件中记录取得联系" in page.content()
    assert Attendance.objects.count() == 21
    attempt = SearchAttempt.objects.get(case=case)
    case.refresh_from_db()
    assert attempt.result == AttemptResult.CONTACTED and case.status == CaseStatus.OPEN
    session.shot("saved")
    context.close()
