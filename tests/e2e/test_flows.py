"""The daily flows in a real browser: a search logged, a 除名 approved up the chain, the forms downloaded."""

import io
import subprocess
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from disposition import services as disposition_services
from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from members.models import PartyStatus
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing.models import LostContactCase, SearchAttempt

pytestmark = pytest.mark.django_db(transaction=True)


def test_branch_secretary_opens_a_case_and_logs_two_attempts(world, org, session):
    member = MemberFactory(
        organization=org("branch_a1"),
        name="周远行",
        last_contact_on=timezone.localdate() - timedelta(days=260),
    )
    session.login("branch_a1")
    page = session.page
    assert "周远行" in page.content()
    session.shot("workbench-lost-member")
    page.locator("li", has_text="周远行").get_by_role("button", name="立案查找").click()
    page.wait_for_url("**/cases/*/")
    assert "已为周远行立案查找" in page.content()
    session.shot("case-opened")
    for channel, text in (
        ("电话", "拨打本人手机，提示已停机。"),
        ("亲友", "走访其母亲，称其在外地务工，无联系方式。"),
    ):
        page.select_option("#id_channel", label=channel)
        page.fill("#id_process", text)
        page.fill("#id_witness", "社区主任")
        page.get_by_role("button", name="登记").click()
        page.wait_for_url("**/cases/*/")
        assert text in page.content()
    session.shot("two-attempts")
    case = LostContactCase.objects.get(member=member)
    assert SearchAttempt.objects.filter(case=case).count() == 2
    assert "党组织查找情况记录（2 次）" in page.content()


def _decide(session, disposition, opinion):
    page = session.page
    session.go(f"/dispositions/{disposition.pk}/decide/")
    page.check("#id_decision_0")
    page.fill("#id_opinion", opinion)
    page.check("#id_confirm")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"**/dispositions/{disposition.pk}/")
    assert "已办理" in page.content()


def test_committee_and_county_approve_a_removal(world, org, browser, live_server, request):
    from tests.e2e.conftest import ARTIFACTS, Session

    member = MemberFactory(organization=org("branch_a1"), name="吴失联")
    MemberFactory.create_batch(3, organization=org("branch_a1"))
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status="unreachable",
        closed_on=timezone.localdate(),
    )
    d = disposition_services.disposition_propose(
        case=case,
        outcome=Outcome.LAPSED_REMOVE,
        proposal="拟作自行脱党除名处理",
        acting_user=world.users["branch_a1"],
    )
    disposition_services.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="支委会同意",
        acting_user=branch_officer(),  # the secretary proposed: another officer decides
        meeting={"meeting_date": timezone.localdate()},
    )

    def session_for(username, name):
        context = browser.new_context(
            locale="zh-CN", accept_downloads=True, viewport={"width": 1366, "height": 900}
        )
        s = Session(context.new_page(), live_server.url, ARTIFACTS / f"{request.node.name}-{name}")
        s.login(username)
        return s, context

    committee, c1 = session_for("committee_a", "committee")
    committee.go("/dispositions/")
    assert "吴失联" in committee.page.content()
    committee.shot("committee-inbox")
    _decide(committee, d, "党委预审同意")
    committee.shot("committee-decided")

    county, c2 = session_for("county", "county")
    county.go("/dispositions/")
    assert "吴失联" in county.page.content()
    _decide(county, d, "组织部预审同意")
    disposition_services.step_decide(
        disposition=d,
        stage="general_meeting",
        decision="agree",
        opinion="党员大会通过",
        acting_user=branch_officer(),
        meeting={"meeting_date": timezone.localdate(), "present": 3, "votes_for": 3},
    )
    _decide(committee, d, "党委审核同意")
    _decide(county, d, "组织部审批同意")
    county.shot("county-approved")
    d.refresh_from_db()
    member.refresh_from_db()
    assert d.status == DispositionStatus.APPROVED and member.party_status == PartyStatus.REMOVED
    assert "已批准" in county.page.content()
    c1.close()
    c2.close()


def test_county_downloads_the_roster_the_statistics_and_the_record(world, org, session, tmp_path):
    member = MemberFactory(
        organization=org("branch_b1"),
        name="郑未归",
        last_contact_on=timezone.localdate() - timedelta(days=400),
    )
    case = CaseFactory(member=member, opened_by=world.users["branch_b1"])
    session.login("county")
    page = session.page
    session.go("/reports/")
    session.shot("reports")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载失联党员名册（Excel）").click()
    ws = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert ws["A1"].value == "失联党员名册"
    assert any(
        row[1] == "郑未归" and row[6] == member.id_number for row in ws.iter_rows(min_row=4, values_only=True)
    )

    with page.expect_download() as download:
        page.get_by_role("button", name="下载统计表（Excel）").click()
    ws = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    total = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] == "合计")
    assert total[1] == 1 and total[23] == 1  # A: one member; W: still searching

    page.get_by_role("button", name="查看统计表").click()
    page.wait_for_url("**/reports/statistics/**")
    session.shot("statistics")

    session.go(f"/cases/{case.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="全程纪实表（PDF）").click()
    pdf = tmp_path / "record.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "郑未归" in text and "县委组织部存档" in text
    assert Disposition.objects.count() == 0
