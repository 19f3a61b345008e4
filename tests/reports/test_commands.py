"""The administrators' batch commands write the same files as the pages."""

import subprocess
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.factories import CaseFactory, MemberFactory


def test_export_commands(world, org, tmp_path):
    # Dated from the tables' 2026-11-01, not from today: a case opened half a year before today
    # would, from mid-December 2026 on, open after the tables' date and be missing from them.
    day = date(2026, 11, 1)
    member = MemberFactory(
        organization=org("branch_a1"), name="冯命令", last_contact_on=date(2025, 1, 1), today=day
    )
    case = CaseFactory(member=member, opened_by=world.users["branch_a1"], today=day)
    call_command("export_roster", "--output", str(tmp_path / "r.xlsx"), "--as-of", "2026-11-01")
    assert any(
        r[1] == "冯命令"
        for r in openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True)
    )
    call_command("export_register", "--output", str(tmp_path / "g.xlsx"), "--org", "610581001")
    call_command(
        "export_statistics", "--output", str(tmp_path / "s.xlsx"), "--org", "610581", "--as-of", "2026-11-01"
    )
    total = next(
        r
        for r in openpyxl.load_workbook(tmp_path / "s.xlsx").active.iter_rows(values_only=True)
        if r[1] == "合计"  # column 1 is the 统计时间, column 2 the unit
    )
    assert total[2] == 1
    call_command("record_pdf", str(case.pk), "--output", str(tmp_path / "c.pdf"))
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "冯命令" in text
    with pytest.raises(CommandError, match="找不到代码"):
        call_command("export_roster", "--output", str(tmp_path / "x.xlsx"), "--org", "999")
