"""On a phone (390 × 844, touch): every main page of every demo tier fits the screen, the menu
folds behind a button, lists are cards, tap targets are 44 px, the 统计表 scrolls in its own box.

Chromium zooms a page wider than the screen out, and window.innerWidth grows with it: the test
compares the document's scrollWidth with 390, never with innerWidth. Screenshots of every page
go to test-artifacts/e2e/<test>/.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition
from lianxin import access, perms
from lianxin.demo import DEMO_LOGINS
from members.models import Member
from tests.e2e.conftest import ARTIFACTS, Session
from tracing.queries import cases_visible_to

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 390
TIERS = sorted(DEMO_LOGINS)

# Visible controls smaller than a fingertip; a checkbox or radio button counts by its label.
SMALL_TARGETS = """() => {
  const small = [];
  const seen = (e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden";
  const controls = document.querySelectorAll(
    "main button, main a.button, main select, main textarea, main summary, " +
    "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), header .nav-button, header button");
  for (const e of controls) {
    if (!seen(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 44 - 0.5) small.push(`${e.tagName} ${e.textContent.trim().slice(0, 20)} ${Math.round(r.height)}px`);
  }
  for (const box of document.querySelectorAll("main input[type=checkbox], main input[type=radio]")) {
    if (!seen(box)) continue;
    const label = box.closest("label") || (box.id && document.querySelector(`label[for="${box.id}"]`));
    const r = (label || box).getBoundingClientRect();
    if (r.height < 44 - 0.5) small.push(`${box.name} ${Math.round(r.height)}px`);
  }
  return small;
}"""


def pages_for(user, world):
    """The main pages of a tier: the 工作台 and what its cards open, the lists, a member, a case,
    a disposition, a form, the reports."""
    from lianxin.dashboard import panels_for

    top = world.orgs[DEMO_LOGINS[user.username][0]]
    pages = [
        ("workbench", reverse("home")),
        ("members", reverse("members:member_list")),
        ("cases", reverse("tracing:case_list")),
        ("inbox", reverse("disposition:inbox")),
        ("reports", reverse("reports:index")),
        ("statistics", f"{reverse('reports:statistics')}?org={top.pk}"),
        ("submissions", f"{reverse('reports:submission_status')}?org={top.pk}"),
        ("census", reverse("tracing:census_list")),
        ("orgs", reverse("organization_list")),
        ("disclosures", reverse("disclosure_list")),
    ]
    pages += [(f"card-{i}", p.url) for i, p in enumerate(panels_for(user)) if p.count]
    member = access.scoped(user, access.VIEW, Member.objects.filter(cases__isnull=False)).first()
    case = cases_visible_to(user).order_by("status", "pk").first()
    disposition = access.scoped(user, access.VIEW, Disposition.objects.order_by("status", "pk")).first()
    if member:
        pages.append(("member", reverse("members:member_detail", args=[member.pk])))
        if access.can(user, perms.MANAGE_MEMBERS, member):
            pages.append(("member-edit", reverse("members:member_edit", args=[member.pk])))
    if case:
        pages.append(("case", reverse("tracing:case_detail", args=[case.pk])))
    if disposition:
        pages.append(("disposition", reverse("disposition:disposition_detail", args=[disposition.pk])))
        if disposition.stage and access.can(user, disposition.stage.perm, disposition):
            pages.append(("decide", reverse("disposition:step_decide", args=[disposition.pk])))
    return pages


@pytest.fixture
def demo(db):
    from lianxin.demo import seed

    return seed()


def phone_session(browser, live_server, name):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": WIDTH, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, Session(page, live_server.url, ARTIFACTS / name)


def test_every_main_page_fits_a_phone(demo, browser, live_server):
    too_wide, too_small = [], []
    for username in TIERS:
        context, session = phone_session(browser, live_server, f"phone-{username}")
        session.login(username)
        for name, path in pages_for(demo.users[username], demo):
            response = session.go(path)
            assert response.status == 200, f"{username} {path}: {response.status}"
            width = session.page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide.append(f"{username} {path}: {width}px")
            too_small += [f"{username} {path}: {t}" for t in session.page.evaluate(SMALL_TARGETS)]
            session.shot(name)
        context.close()
    assert not too_wide, "\n".join(too_wide)
    assert not too_small, "\n".join(too_small)


def test_the_menu_folds_and_lists_are_cards(demo, browser, live_server):
    context, session = phone_session(browser, live_server, "phone-menu-and-cards")
    session.login("branch_a1")
    page = session.page
    session.go(reverse("members:member_list"))
    assert not page.get_by_role("link", name="失联查找").is_visible()  # folded
    session.shot("menu-folded")
    page.locator(".nav-button").tap()
    assert page.get_by_role("link", name="失联查找").is_visible()
    session.shot("menu-open")
    # A member is a card: the head row of the table is gone, each card shows name, status and
    # the days since the last contact; the desk's extra columns are not on it.
    assert not page.locator("table.cards thead").is_visible()
    card = page.locator("table.cards tbody tr").first
    assert card.locator(".card-title a").is_visible() and card.locator(".card-status .badge").is_visible()
    contact = card.locator('td[data-label="最近联系"]')
    assert re.fullmatch(r"\d{4}-\d\d-\d\d （\d+ 天前）", contact.inner_text())
    assert contact.evaluate("e => getComputedStyle(e, '::before').content") == '"最近联系："'
    assert not card.locator("td.desk").first.is_visible()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    context.close()


def test_statistics_scroll_in_their_own_box_with_the_unit_column_fixed(demo, browser, live_server):
    context, session = phone_session(browser, live_server, "phone-statistics")
    session.login("county")
    page = session.page
    session.go(f"{reverse('reports:statistics')}?org={demo.root.pk}")
    box = page.locator(".scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider than the phone …
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # … the page is not
    unit = page.locator("table.stats tbody th.unit").first
    left = box.bounding_box()["x"]
    box.evaluate("e => { e.scrollLeft = 400; }")
    # The 统计时间 column scrolls away; the unit column stays pinned to the box's left edge …
    assert unit.bounding_box()["x"] == pytest.approx(left, abs=2)
    # … and the numbers slide under it.
    assert page.locator("table.stats tbody td").first.bounding_box()["x"] < unit.bounding_box()["x"]
    session.shot("statistics-scrolled")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_case_page_and_the_approval_page_on_a_phone_and_a_desk(world, org, browser, live_server, width):
    """The case page with a correction struck through and its 结案条件, the 协查 and 记录联系 forms,
    and the approval page with the case summary: no sideways scroll, 44 px taps on the phone."""
    from disposition import services as chain
    from tests.factories import CaseFactory, MemberFactory, branch_officer
    from tracing import services

    secretary = world.users["branch_a1"]
    case = CaseFactory(member=MemberFactory(organization=org("branch_a1")), opened_by=secretary)
    wrong = services.attempt_log(
        case=case,
        acting_user=secretary,
        channel="phone",
        process="电话联系本人，无人接听（记录写错了渠道和过程，须更正）",
        result="no_trace",
        searched_at=timezone.now() - timedelta(days=2),
    )
    services.attempt_log(
        case=case,
        acting_user=secretary,
        channel="wechat",
        process="微信联系本人，无回复",
        result="no_trace",
        searched_at=timezone.now() - timedelta(days=2),
        supersedes=wrong,
        correction_reason="渠道记错",
    )
    for _ in range(3):
        MemberFactory(organization=org("branch_a1"))
    unreachable = CaseFactory(
        member=MemberFactory(organization=org("branch_a1")),
        opened_by=secretary,
        status="unreachable",
        closed_on=timezone.localdate(),
    )
    d = chain.disposition_propose(
        case=unreachable, outcome="lapsed_remove", proposal="拟除名", acting_user=secretary
    )
    expected = chain.voters(d.organization, excluding=d.member)
    chain.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意",
        acting_user=branch_officer(),
        meeting={"meeting_date": timezone.localdate(), "present": expected, "votes_for": expected},
    )
    pages = {
        "branch_a1": [
            ("case", reverse("tracing:case_detail", args=[case.pk])),
            ("contact", reverse("tracing:case_contact", args=[case.pk])),
            ("assistance", reverse("tracing:assistance_request", args=[case.pk])),
            ("close", reverse("tracing:case_close", args=[case.pk])),
        ],
        "committee_a": [("decide", reverse("disposition:step_decide", args=[d.pk]))],
    }
    for username, visits in pages.items():
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": width, "height": 844},
            is_mobile=width == 390,
            has_touch=width == 390,
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        session = Session(page, live_server.url, ARTIFACTS / f"loop-pages-{width}-{username}")
        session.login(username)
        for name, path in visits:
            assert session.go(path).status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            if width == WIDTH:
                assert page.evaluate(SMALL_TARGETS) == [], path
            session.shot(name)
            if name == "case":
                struck = page.locator(f"#attempt-{wrong.pk} .struck").first
                assert "line-through" in struck.evaluate("e => getComputedStyle(e).textDecorationLine")
                assert page.locator(".checklist .unmet").count() >= 1
            if name == "decide":
                assert (
                    page.locator(".case-summary").is_visible() and page.locator(".warning-box").is_visible()
                )
        context.close()
