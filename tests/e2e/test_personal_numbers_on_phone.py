"""On a phone (390 px): the number search, the masked edit page, the password page and the
attachment link fit the screen, and a number typed into the search never reaches the address bar."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import CaseFactory, MemberFactory
from tracing import services

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_number_search_and_masked_edit_on_a_phone(world, org, session):
    member = MemberFactory(organization=org("branch_a1"), name="赵立新", phone="13912345678")
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"])
    services.attempt_log(
        case=case,
        acting_user=world.users["branch_a1"],
        channel="police",
        process="公安户籍查询",
        result="no_trace",
        attachment=SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png"),
    )
    page = session.page
    page.set_viewport_size({"width": 390, "height": 844})
    session.login("branch_a1")

    session.go("/members/")
    page.fill("input[name=number]", "139 1234 5678")
    page.click("text=按号码查找")
    page.wait_for_selector("text=本次查找已记录")
    assert "赵立新" in page.content() and "139****5678" in page.content()
    assert "1391234" not in page.url and "13912345678" not in page.content()
    assert fits(page)
    session.shot("number-search")

    session.go(f"/members/{member.pk}/edit/")
    assert page.input_value("#id_phone") == "139****5678" and "13912345678" not in page.content()
    assert fits(page)
    session.shot("edit-masked")
    page.click("#id_phone ~ button")  # 查看完整号码, recorded
    page.wait_for_selector(".revealed-value")
    assert page.inner_text(".revealed-value") == "13912345678"
    session.shot("revealed")

    for path in ("/accounts/password/", f"/cases/{case.pk}/"):
        session.go(path)
        assert fits(page), path
        session.shot(path.strip("/").replace("/", "-"))
    assert page.locator("text=下载附件").count() == 1


def test_the_todo_page_fits_a_phone(world, org, session):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    MemberFactory(
        organization=org("branch_a1"), name="欧阳长名字党员", last_contact_on=today - timedelta(days=200)
    )
    CaseFactory(member=MemberFactory(organization=org("branch_a1")), opened_by=world.users["branch_a1"])
    page = session.page
    page.set_viewport_size({"width": 390, "height": 844})
    session.login("committee_a")
    session.go("/todo/?tab=overdue")
    assert "下级组织超期情况" in page.content()
    assert fits(page)
    session.shot("todo")
    page.context.clear_cookies()
    session.login("branch_a1")
    page.wait_for_selector("h1:has-text('工作台')")
    session.go("/todo/?tab=overdue")
    page.click("text=欧阳长名字党员")  # one click from the line to its action
    assert "/cases/open/" in page.url
    assert fits(page)
