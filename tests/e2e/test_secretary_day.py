"""The branch secretary's day in a real browser, at a desk's 1280 px and a phone's 390 px (issue 15):
open the 工作台, follow the most urgent card, record a contact, open a case for a 联系不上 member,
log three attempts by three channels, take a roll call without touching a lost member's status;
then the committee and the county approve a 除名 on the same device.

Every step checks that the page is no wider than the screen — document.documentElement.scrollWidth,
never innerWidth (Chromium zooms a too-wide page out on a phone and innerWidth grows with it) — and
saves a screenshot under test-artifacts/e2e/. With LIANXIN_SCREENSHOTS=1 the 工作台, the member
list, the case page and the approval page are also written to docs/screenshots/ for the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from disposition import services as chain
from disposition.models import DispositionStatus
from members.models import Attendance, ContactStatus
from tests.e2e.conftest import ARTIFACTS, Session
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing.models import CaseStatus, LostContactCase, SearchAttempt

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = 390
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Rows of whatever list a card opens: a table's rows, or the 待办 page's entries.
LIST_ROWS = "document.querySelectorAll('main table tbody tr, main .todo-list li').length"


def shrink(path):
    """A screenshot for the repository: 64 colours (flat UI colours survive), optimised."""
    from PIL import Image  # WeasyPrint's dependency

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64)
    small.save(path, optimize=True)


class Day:
    """One user's browser at one width: every page checked for width, and photographed."""

    def __init__(self, browser, live_server, width, username):
        phone = width == PHONE
        self.context = browser.new_context(
            locale="zh-CN",
            viewport={"width": width, "height": 844 if phone else 900},
            is_mobile=phone,
            has_touch=phone,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(60000)  # a shared CI machine can be slow; nothing here is timed
        self.width = width
        self.session = Session(self.page, live_server.url, ARTIFACTS / f"secretary-day-{width}-{username}")
        self.session.login(username)

    def check(self, name, docs=""):
        """The page fits the screen; a screenshot for the record (and for the README)."""
        self.page.wait_for_load_state()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.width, f"{name}: {width}px wide on a {self.width}px screen"
        self.session.shot(name)
        if docs and os.environ.get("LIANXIN_SCREENSHOTS"):
            DOCS.mkdir(parents=True, exist_ok=True)
            self.page.evaluate("window.scrollTo(0, 0)")  # the top of the page: what one sees first
            path = DOCS / f"{docs}-{self.width}.png"
            self.page.screenshot(path=str(path))
            shrink(path)

    def go(self, path):
        assert self.session.go(path).status == 200, path

    def tap(self, locator, navigates=False):
        """A finger on a phone, a mouse on a desk; a tap that opens a page waits for it."""
        press = locator.tap if self.width == PHONE else locator.click
        if not navigates:
            return press()
        with self.page.expect_navigation():
            press()

    def submit(self, label="保存"):
        self.tap(self.page.locator("main").get_by_role("button", name=label, exact=True), navigates=True)

    def close(self):
        self.context.close()


@pytest.fixture
def day_data(world, org):
    """A branch as a secretary finds it in the morning: most members fine, one nearly six months
    without contact, one 联系不上 at the last roll call, one 失联 whose search is under way, and a
    除名 proposed earlier, its 支委会 decided, now with the committee."""
    today = timezone.localdate()
    branch = org("branch_a1")
    secretary = world.users["branch_a1"]
    for i in range(6):
        MemberFactory(organization=branch, name=f"党员{i:02d}", last_contact_on=today - timedelta(days=12))
    approaching = MemberFactory(
        organization=branch,
        name="钱将满",
        last_contact_on=today - timedelta(days=170),
        contact_status=ContactStatus.WARNING,
    )
    unreachable = MemberFactory(
        organization=branch,
        name="孙联系不上",
        last_contact_on=today - timedelta(days=75),
        unreachable_since=today - timedelta(days=20),
    )
    lost = MemberFactory(
        organization=branch,
        name="林失联",
        last_contact_on=today - timedelta(days=300),
        contact_status=ContactStatus.LOST,
    )
    searching = CaseFactory(member=lost, opened_by=secretary, opened_on=today - timedelta(days=10))
    removed = MemberFactory(organization=branch, name="吴失联", contact_status=ContactStatus.LOST)
    case = CaseFactory(
        member=removed,
        opened_by=secretary,
        status=CaseStatus.UNREACHABLE,
        closed_on=today - timedelta(days=5),
    )
    proposal = chain.disposition_propose(
        case=case, outcome="lapsed_remove", proposal="拟作自行脱党除名处理", acting_user=secretary
    )
    expected = chain.voters(proposal.organization, excluding=proposal.member)
    chain.step_decide(
        disposition=proposal,
        stage="branch_committee",
        decision="agree",
        opinion="支委会同意",
        acting_user=branch_officer(),  # the secretary proposed: another officer decides
        meeting={"meeting_date": today, "present": expected, "votes_for": expected},
    )
    return {
        "branch": branch,
        "approaching": approaching,
        "unreachable": unreachable,
        "lost": lost,
        "searching": searching,
        "proposal": proposal,
    }


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_branch_secretarys_day(day_data, browser, live_server, width):
    today = timezone.localdate()
    day = Day(browser, live_server, width, "branch_a1")
    page = day.page

    # 1. The 工作台: urgent cards first; the first one opens a list of exactly its count.
    day.check("workbench", docs="workbench")
    card = page.locator(".panels article").first
    count = int(card.locator(".count").first.inner_text())
    assert count > 0
    day.tap(card.locator("h2 a"), navigates=True)
    assert page.evaluate(LIST_ROWS) == count
    day.check("most-urgent-list")
    day.go(reverse("members:member_list"))
    day.check("member-list", docs="members")

    # 2. 记录联系 with the member nearly six months out of touch: the status follows.
    approaching = day_data["approaching"]
    day.go(reverse("members:member_detail", args=[approaching.pk]))
    day.check("member-approaching")
    day.tap(page.locator('main a[data-action="members:contact_record"]'), navigates=True)
    page.fill("#id_on", today.isoformat())
    page.select_option("#id_kind", index=1)
    page.fill("#id_note", "电话联系本人，在西安务工，近况良好")
    day.check("contact-form")
    day.submit()
    page.wait_for_url(f"**/members/{approaching.pk}/")
    approaching.refresh_from_db()
    assert approaching.last_contact_on == today and approaching.contact_status == ContactStatus.NORMAL
    day.check("contact-recorded")

    # 3. 立案查找 for the member 联系不上 at the last roll call, the reason code asked.
    unreachable = day_data["unreachable"]
    day.go(reverse("members:member_detail", args=[unreachable.pk]))
    day.tap(page.locator('main a[data-action="tracing:case_open"]'), navigates=True)
    page.select_option("#id_reason", index=1)
    day.check("case-open-form")
    day.submit(page.locator("main form button[type=submit]").first.inner_text().strip())
    page.wait_for_url("**/cases/*/")
    case = LostContactCase.objects.get(member=unreachable, status=CaseStatus.OPEN)

    # 4. Three attempts by three channels, each on the case's timeline.
    for channel, text in (
        ("电话", "拨打本人手机，提示已停机"),
        ("上门走访", "走访居住地，房东称其半年前搬走"),
        ("亲友", "联系其母亲，称在外地务工，无联系方式"),
    ):
        page.select_option("#id_channel", label=channel)
        page.fill("#id_process", text)
        page.fill("#id_witness", "社区主任")
        day.submit("登记")
        page.wait_for_url(f"**/cases/{case.pk}/")
        assert text in page.content()
    assert set(SearchAttempt.objects.filter(case=case).values_list("channel", flat=True)) == {
        "phone",
        "home_visit",
        "relatives",
    }
    day.check("case-three-attempts", docs="case")

    # 5. The roll call: 其余均参加 leaves the members under search unset; the secretary marks
    #    them absent, and the lost member's status and search stay as they were.
    lost, searching = day_data["lost"], day_data["searching"]
    day.go(reverse("members:activity_add", args=[day_data["branch"].pk]))
    assert page.locator("input[type=radio]:checked").count() == 0
    day.check("roll-call")
    day.submit("未选择的设为“参加”")
    page.fill("#id_title", "学习党章")
    page.fill("#id_held_on", today.isoformat())
    unset = page.locator(".roll-row:not(:has(input:checked))")
    names = unset.locator(".roll-name").all_inner_texts()
    assert any("林失联" in n for n in names) and any("孙联系不上" in n for n in names)  # not filled in
    for name in unset.evaluate_all("rows => rows.map(r => r.querySelector('input').name)"):
        day.tap(page.locator(f"label[for=id_{name}_2]"))  # 缺席
    day.check("roll-call-filled")
    day.submit()
    page.wait_for_url("**/members/?org=*")
    day.check("roll-call-saved")
    assert Attendance.objects.filter(status="present").count() == 6 + 1  # the six, and 钱将满
    lost.refresh_from_db()
    searching.refresh_from_db()
    assert lost.contact_status == ContactStatus.LOST and searching.status == CaseStatus.OPEN
    assert not SearchAttempt.objects.filter(case=searching).exists()
    day.close()


@pytest.mark.parametrize("width", [1280, PHONE])
def test_the_committee_and_the_county_approve_on_the_same_device(day_data, browser, live_server, width):
    proposal = day_data["proposal"]
    for username, opinion, shot in (
        ("committee_a", "党委预审同意", "approval"),
        ("county", "组织部预审同意", ""),
    ):
        day = Day(browser, live_server, width, username)
        page = day.page
        day.go(reverse("disposition:inbox"))
        assert "吴失联" in page.content()
        day.check("inbox")
        day.go(reverse("disposition:step_decide", args=[proposal.pk]))
        assert page.locator(".case-summary").is_visible()  # the approver sees the case
        page.check("#id_decision_0")
        page.fill("#id_opinion", opinion)
        page.check("#id_confirm")
        day.check("decide", docs=shot)
        day.submit("提交")
        page.wait_for_url(f"**/dispositions/{proposal.pk}/")
        assert "已办理" in page.content()
        day.check("decided")
        day.close()
    proposal.refresh_from_db()
    assert [s.stage for s in proposal.steps.order_by("pk")] == [
        "branch_committee",
        "committee_pre",
        "department_pre",
    ]
    assert proposal.status == DispositionStatus.IN_REVIEW
