"""Importing a 花名册: all or nothing, idempotent, changes reported, rollback, per tier."""

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from members.importing.dates import DateError, parse_date
from members.importing.models import ImportBatch
from members.importing.service import import_file, rollback
from members.models import Member, MembershipType

DATA = Path(__file__).resolve().parents[2] / "data"


def run(world, name, org="610581001", user="branch_a1", **kw):
    return import_file(
        path=DATA / name,
        filename=name,
        org=world.orgs[org if org != "610581001" else "610581001001"],
        acting_user=world.users[user],
        **kw,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985.03", date(1985, 3, 1)),
        ("1985-03-15", date(1985, 3, 15)),
        ("1985年3月", date(1985, 3, 1)),
        ("1985/3/15", date(1985, 3, 15)),
        ("198503", date(1985, 3, 1)),
        (31121, date(1985, 3, 15)),
        ("1985.3.15", date(1985, 3, 15)),
    ],
)
def test_date_forms(value, expected):
    assert parse_date(value) == expected


def test_bad_dates_are_explained():
    with pytest.raises(DateError, match="无法识别"):
        parse_date("明年")
    with pytest.raises(DateError, match="不是有效日期"):
        parse_date("1985.13")


def test_clean_file_with_title_rows_imports_with_history(world):
    report = run(world, "roster_clean.xlsx")
    assert report.ok and report.created == 3 and report.written
    member = Member.objects.get(name="钱二")
    assert member.membership_type == MembershipType.PROBATIONARY and member.occupation == 5
    assert member.organization.code == "610581001001"
    history = member.history.first()
    assert (
        history.history_user == world.users["branch_a1"]
        and history.history_change_reason == "导入：roster_clean.xlsx"
    )


def test_the_file_is_parsed_once(world, monkeypatch):
    from members.importing import parsing

    opened = []
    real = parsing.read_xlsx
    monkeypatch.setattr(parsing, "read_xlsx", lambda *a, **kw: opened.append(a) or real(*a, **kw))
    report = run(world, "roster_clean.xlsx")
    assert report.created == 3 and len(opened) == 1  # pass 2 reads the rows spooled by pass 1


def test_same_file_twice_changes_nothing(world):
    run(world, "roster_clean.xlsx")
    before = Member.history.count()
    report = run(world, "roster_clean.xlsx")
    assert report.created == 0 and report.updated == [] and report.unchanged == 3
    assert Member.history.count() == before


def test_changed_file_reports_the_changed_fields(world):
    run(world, "roster_clean.xlsx")
    report = run(world, "roster_changed.xlsx")
    changed = {name: fields for name, _masked, fields in report.updated}
    assert changed == {"赵一": ["联系电话"], "钱二": ["党员类型"]}
    assert Member.objects.get(name="赵一").phone == "13911112222"


def test_any_error_writes_nothing_and_every_error_is_listed(world):
    report = run(world, "roster_errors.xlsx")
    assert not report.written and Member.objects.count() == 0 and not ImportBatch.objects.exists()
    reasons = {(e.row, e.column): e.reason for e in report.errors}
    assert "校验位不正确" in reasons[(7, "身份证号")]
    assert "不一致" in reasons[(8, "出生年月")]
    assert "无法识别" in reasons[(9, "入党时间")]
    assert "不在所选党组织范围内" in reasons[(10, "所在党支部")]
    assert "与第4行的身份证号重复" in reasons[(11, "身份证号")]


def test_gbk_csv(world):
    report = run(world, "roster_gbk.csv")
    assert report.created == 3 and Member.objects.filter(name="孙三").exists()


def test_truncated_file_is_a_clear_error(world, client_for, org):
    client = client_for("branch_a1")
    with open(DATA / "roster_truncated.xlsx", "rb") as f:
        page = client.post(
            reverse("member_import:upload"), {"organization": org("branch_a1").pk, "file": f}
        ).content.decode()
    assert "文件可能已损坏" in page and Member.objects.count() == 0


def test_command_exit_codes(world):
    with pytest.raises(CommandError, match="校验未通过"):
        call_command(
            "import_members", str(DATA / "roster_errors.xlsx"), "--org", "610581001001", "--user", "branch_a1"
        )
    call_command(
        "import_members",
        str(DATA / "roster_clean.xlsx"),
        "--org",
        "610581001001",
        "--user",
        "branch_a1",
        "--dry-run",
    )
    assert Member.objects.count() == 0
    out = io.StringIO()
    call_command(
        "import_members",
        str(DATA / "roster_clean.xlsx"),
        "--org",
        "610581001001",
        "--user",
        "branch_a1",
        stdout=out,
    )
    assert "新增 3" in out.getvalue() and Member.objects.count() == 3


def test_upload_preview_confirm_and_rollback(world, client_for, org):
    client = client_for("branch_a1")
    with open(DATA / "roster_clean.xlsx", "rb") as f:
        page = client.post(
            reverse("member_import:upload"), {"organization": org("branch_a1").pk, "file": f}
        ).content.decode()
    assert "将新增 <strong>3</strong> 名" in page and Member.objects.count() == 0
    token = client.session["member_import"]["token"]
    client.post(reverse("member_import:confirm"), {"token": token})
    assert Member.objects.count() == 3
    batch = ImportBatch.objects.get()
    client.post(reverse("member_import:rollback", args=[batch.pk]), {"confirm": "on"})
    assert Member.objects.count() == 0
    assert Member.history.filter(history_type="-").count() == 3


def test_rollback_refused_when_a_record_was_touched_since(world):
    report = run(world, "roster_clean.xlsx")
    member = Member.objects.get(name="赵一")
    member.phone = "13800000000"
    member.save()
    with pytest.raises(Exception, match="已被修改"):
        rollback(batch=report.batch, acting_user=world.users["branch_a1"])
    assert Member.objects.count() == 3


def test_rejected_rows_download(world, client_for, org):
    client = client_for("branch_a1")
    with open(DATA / "roster_errors.xlsx", "rb") as f:
        client.post(reverse("member_import:upload"), {"organization": org("branch_a1").pk, "file": f})
    token = client.session["member_import"]["token"]
    response = client.get(reverse("member_import:rejected", args=[token]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["行号", "列", "值", "原因"] and ws.max_row == 6


def test_other_branch_is_not_offered_and_committee_cannot_import(world, client_for, org):
    page = client_for("branch_a1").get(reverse("member_import:upload")).content.decode()
    assert "城关镇西关村党支部" not in page
    assert client_for("committee_a").get(reverse("member_import:upload")).status_code == 403
