"""The official outputs: 名册 / 登记表 xlsx, 统计表 A–X, 全程纪实表 PDF — opened and checked."""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from disposition.models import Disposition, DispositionStatus
from disposition.outcomes import Outcome
from lianxin.models import Disclosure
from reports import builders
from tests.factories import CaseFactory, MemberFactory, branch_officer
from tracing.models import CaseStatus

AS_OF = date(2026, 11, 1)

# column → (branch key, case status, approved outcome or None, active disposition?)
FIXTURE = {
    "X": ("branch_a1", CaseStatus.DECEASED, None, False),
    "D": ("branch_a1", CaseStatus.CONTACTED, Outcome.RETAIN, False),
    "E": ("branch_a1", CaseStatus.CONTACTED, Outcome.SUSPEND_ABROAD, False),
    "F": ("branch_a2", CaseStatus.CONTACTED, Outcome.CORRECTION, False),
    "C": ("branch_a2", CaseStatus.CONTACTED, None, False),
    "H": ("branch_a1", CaseStatus.CONTACTED, Outcome.PERSUADE, False),
    "I": ("branch_a1", CaseStatus.CONTACTED, Outcome.LAPSED_REMOVE, False),
    "J": ("branch_a2", CaseStatus.CONTACTED, Outcome.QUIT_REMOVE, False),
    "K": ("branch_a2", CaseStatus.CONTACTED, Outcome.NOT_RECOGNIZED, False),
    "L": ("branch_a1", CaseStatus.CONTACTED, Outcome.CANCEL_PROBATION, False),
    "M": ("branch_a1", CaseStatus.CONTACTED, Outcome.EXPEL, False),
    "N": ("branch_a2", CaseStatus.CONTACTED, None, True),
    "Q": ("branch_a1", CaseStatus.UNREACHABLE, Outcome.LAPSED_REMOVE, False),
    "R": ("branch_a1", CaseStatus.UNREACHABLE, Outcome.CANCEL_PROBATION, False),
    "T": ("branch_a2", CaseStatus.UNREACHABLE, Outcome.SUSPEND_UNREACHABLE, False),
    "U": ("branch_a2", CaseStatus.UNREACHABLE, Outcome.SUSPEND_ABROAD, False),
    "V": ("branch_a1", CaseStatus.UNREACHABLE, Outcome.EXPEL, False),
    "W": ("branch_a1", CaseStatus.OPEN, None, False),
}
EXPECTED_TOTAL = dict(
    A=18,
    B=11,
    C=4,
    D=1,
    E=1,
    F=1,
    G=5,
    H=1,
    I=1,
    J=1,
    K=1,
    L=1,
    M=1,
    N=1,
    O=6,
    P=2,
    Q=1,
    R=1,
    S=2,
    T=1,
    U=1,
    V=1,
    W=1,
    X=1,
)


@pytest.fixture
def every_column(world, org):
    user = world.users["branch_a1"]
    members = {}
    for column, (branch, status, outcome, active) in FIXTURE.items():
        member = MemberFactory(
            organization=org(branch), name=f"{column}列党员", last_contact_on=date(2025, 1, 1)
        )
        closed = None if status == CaseStatus.OPEN else date(2026, 9, 1)
        case = CaseFactory(
            member=member, opened_by=user, status=status, closed_on=closed, opened_on=date(2026, 6, 1)
        )
        common = dict(
            case=case,
            member=member,
            organization=case.organization,
            contacted=status == CaseStatus.CONTACTED,
            proposal="x",
            proposed_by=user,
            proposed_on=date(2026, 9, 10),
        )
        if outcome:
            Disposition.objects.create(
                outcome=outcome, status=DispositionStatus.APPROVED, approved_on=date(2026, 10, 1), **common
            )
        if active:
            Disposition.objects.create(
                outcome=Outcome.RETAIN,
                status=DispositionStatus.IN_REVIEW,
                current_stage="committee_pre",
                **common,
            )
        members[column] = member
    return members


def test_statistics_counts_every_column_and_the_relations_hold(world, org, every_column):
    from members.models import Member

    rows = builders.statistics_rows(org("committee_a"), AS_OF, Member.objects.all())
    total = rows[-1]
    assert {c: total.counts[c] for c in builders.COLUMNS} == EXPECTED_TOTAL
    by_label = {r.label: r for r in rows}
    a1 = by_label["城关镇东街社区党支部"].counts
    assert a1["A"] == 11 and a1["W"] == 1 and a1["X"] == 1
    assert sorted(total.members["H"]) == [every_column["H"].pk]


def test_outcomes_count_from_their_approval_date(world, org, every_column):
    from members.models import Member

    before = builders.statistics_rows(org("committee_a"), date(2026, 9, 20), Member.objects.all())[-1].counts
    # Before the approvals every contacted member is still 纳入组织管理 (C), the uncontacted ones 尚在查找 (W).
    assert before["D"] == 0 and before["G"] == 0 and before["C"] == 10 and before["N"] == 1
    assert before["W"] == 6 and before["P"] == 0 and before["A"] == 18


def test_a_broken_relation_names_the_members(world, org, every_column):
    row = builders.StatisticsRow(None, "测试")
    row.counts.update({"A": 1, "B": 1, "C": 1, "D": 2})
    row.members["D"] = [every_column["D"].pk, every_column["E"].pk]
    with pytest.raises(builders.StatisticsError, match="D\\+E\\+F>C（涉及：D列党员、E列党员）"):
        builders.check_relations([row])


def test_statistics_page_links_every_number_to_its_members(world, org, every_column, client_for):
    client = client_for("committee_a")
    page = client.get(
        reverse("reports:statistics"), {"org": org("committee_a").pk, "as_of": AS_OF}
    ).content.decode()
    assert "与党组织失去联系党员规范管理和组织处置有关情况统计表" in page
    assert 'rowspan="4" colspan="1">统计单位' in page and 'colspan="13">经查找取得联系的党员' in page
    link = f"{reverse('reports:statistics_members')}?org={org('committee_a').pk}&as_of={AS_OF}&col=H"
    assert link.replace("&", "&amp;") in page
    drill = client.get(
        reverse("reports:statistics_members"), {"org": org("committee_a").pk, "as_of": AS_OF, "col": "H"}
    ).content.decode()
    assert "H列党员" in drill and "I列党员" not in drill


def test_statistics_xlsx_has_the_merged_header_and_footer(world, org, every_column, client_for):
    response = client_for("county").get(
        reverse("reports:statistics_xlsx"), {"org": org("committee_a").pk, "as_of": AS_OF}
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A6", "B3:B5", "C3:O3", "P3:X3", "D4:G4", "Y3:Y5"} <= merged
    assert [ws.cell(6, c).value for c in range(2, 26)] == list(builders.COLUMNS)
    total_row = next(r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] == "合计")
    assert list(total_row[1:25]) == [EXPECTED_TOTAL[c] for c in builders.COLUMNS]
    texts = [r[0] for r in ws.iter_rows(values_only=True) if r[0]]
    assert any(t.startswith("填表人：") and "填报单位（盖章）" in t for t in texts)


def test_roster_xlsx_lists_lost_members_with_codes_and_legends(world, org, client_for):
    lost = MemberFactory(
        organization=org("branch_a1"), name="王失联", last_contact_on=date(2025, 3, 10), occupation=3
    )
    CaseFactory(member=lost, opened_by=world.users["branch_a1"], reason=1, lost_since=date(2025, 3, 10))
    MemberFactory(organization=org("branch_a1"), name="李在联", last_contact_on=date(2026, 10, 1))
    response = client_for("branch_a1").get(
        reverse("reports:roster_xlsx"), {"org": org("branch_a1").pk, "as_of": AS_OF}
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "失联党员名册" and "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[3]][:4] == ["序号", "姓名", "性别", "民族"]
    row = [c.value for c in ws[4]]
    assert row[1] == "王失联" and row[6] == lost.id_number and row[9] == 7 and row[10] == 3
    assert row[11] == "1年7个月" and row[12] == 1
    assert all(r[1] != "李在联" for r in ws.iter_rows(values_only=True))
    legends = " ".join(str(r[0]) for r in ws.iter_rows(min_row=5, values_only=True) if r[0])
    assert "①外出务工经商" in legends and "⑨其他" in legends and "⑧其他" in legends
    assert ws.freeze_panes == "A4" and ws.page_setup.orientation == "landscape"
    log = Disclosure.objects.get(kind=Disclosure.Kind.EXPORT)
    assert log.user == world.users["branch_a1"] and log.count == 1


def test_register_lists_cases_after_the_second_search(world, org, client_for):
    member = MemberFactory(organization=org("branch_a1"), name="赵仍未联", last_contact_on=date(2025, 1, 1))
    CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=date(2026, 8, 1),
        second_search_done_on=date(2026, 9, 1),
    )
    other = MemberFactory(organization=org("branch_a1"), name="钱待再查", last_contact_on=date(2025, 1, 1))
    CaseFactory(
        member=other,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=date(2026, 8, 1),
    )
    response = client_for("committee_a").get(
        reverse("reports:register_xlsx"), {"org": org("committee_a").pk, "as_of": AS_OF}
    )
    names = [
        r[1]
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=4, values_only=True
        )
    ]
    assert "赵仍未联" in names and "钱待再查" not in names


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_record_pdf_has_every_section_four_copies_and_an_embedded_cjk_font(world, org, client_for, tmp_path):
    member = MemberFactory(organization=org("branch_a1"), name="孙纪实")
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], findings="外出务工，多年未归。")
    response = client_for("county").get(reverse("reports:record_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", "", text)  # narrow form cells wrap their labels over several lines
    for needle in [
        "失联党员查找处置全程纪实表",
        "孙纪实",
        member.id_number,
        "党组织查找情况记录",
        "失联党员表现调查核实情况",
        "支委会初步处置意见",
        "支部党员大会决议",
        "一式四份",
        "外出务工，多年未归。",
    ]:
        assert needle in text, needle
    for label in ["党支部存档", "基层党委存档", "县委组织部存档", "失联党员查找处置档案"]:
        assert text.count(label) >= 1, label
    assert text.count("失联党员查找处置全程纪实表") >= 4
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines())


def test_card_pdf_for_a_branch(world, org, client_for):
    response = client_for("branch_a1").get(reverse("reports:card_pdf", args=[org("branch_a1").pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_date_in_future_is_clamped_to_today(world, org, client_for):
    future = timezone.localdate() + timedelta(days=30)
    page = (
        client_for("branch_a1")
        .get(reverse("reports:statistics"), {"org": org("branch_a1").pk, "as_of": future})
        .content.decode()
    )
    assert f"{timezone.localdate():%Y年%-m月%-d日}" in page


def test_record_shows_names_in_force_at_each_step(world, org, client_for, tmp_path):
    import datetime as dt

    from disposition import services as chain
    from lianxin.models import Organization

    committee = org("committee_a")
    MemberFactory.create_batch(3, organization=org("branch_a1"))
    member = MemberFactory(organization=org("branch_a1"), name="钱更名")
    case = CaseFactory(
        member=member,
        opened_by=world.users["branch_a1"],
        status=CaseStatus.UNREACHABLE,
        closed_on=date(2026, 8, 1),
    )
    d = chain.disposition_propose(
        case=case, outcome=Outcome.SUSPEND_UNREACHABLE, proposal="x", acting_user=world.users["branch_a1"]
    )
    chain.step_decide(
        disposition=d,
        stage="branch_committee",
        decision="agree",
        opinion="同意",
        acting_user=branch_officer(),  # not the proposer (separation of duties)
        meeting={"meeting_date": date(2026, 9, 1)},
        decided_on=date(2026, 9, 1),
    )
    chain.step_decide(
        disposition=d,
        stage="committee_pre",
        decision="agree",
        opinion="预审同意",
        acting_user=world.users["committee_a"],
        decided_on=date(2026, 9, 2),
    )
    Organization.history.filter(id=committee.pk).update(history_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    committee.name = "中共华阳县城关街道工作委员会"  # renamed after the step
    committee.save()
    response = client_for("county").get(reverse("reports:record_pdf", args=[case.pk]))
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    assert "中共华阳县城关镇委员会" in text and "城关街道工作委员会" not in text


def test_roster_and_statistics_use_the_names_of_their_date(world, org, client_for):
    import datetime as dt

    from lianxin.models import Organization

    branch = org("branch_a1")
    MemberFactory(organization=branch, name="历史名", last_contact_on=date(2025, 1, 1))
    CaseFactory(
        member=MemberFactory(organization=branch, last_contact_on=date(2025, 1, 1)),
        opened_by=world.users["branch_a1"],
    )
    Organization.history.filter(id=branch.pk).update(history_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    branch.name = "东街社区党支部（新名）"
    branch.save()  # renamed today; a table as of 2026-11-01 shows the old name
    response = client_for("committee_a").get(
        reverse("reports:roster_xlsx"), {"org": org("committee_a").pk, "as_of": AS_OF}
    )
    units = {
        r[8]
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            min_row=4, values_only=True
        )
        if r[1] == "历史名"
    }
    assert units == {"城关镇东街社区党支部"}
    from members.models import Member

    labels = [r.label for r in builders.statistics_rows(org("committee_a"), AS_OF, Member.objects.all())]
    assert "城关镇东街社区党支部" in labels and "东街社区党支部（新名）" not in labels
