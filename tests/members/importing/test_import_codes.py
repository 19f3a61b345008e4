"""The 职业 of an imported 花名册 may be written as the 名册 prints it (①–⑧) or as a plain number
(1–8), or by its name; anything else is refused with the row and the column named."""

from datetime import date

import pytest
from openpyxl import Workbook

from members.importing.service import import_file
from members.models import Member, Occupation
from tests.data.make_fixtures import BRANCH, HEADER, make_id

CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def roster(path, occupations):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for number, occupation in enumerate(occupations, start=1):
        birth = date(1980, 1, number)  # an odd sequence number: a man
        ws.append(
            [number, f"党员{number:02d}", "男", "汉族", f"{birth:%Y.%m}", "2005.07", make_id(birth, 2 * number + 1),
             f"139000000{number:02d}", BRANCH, "正式党员", occupation]
        )  # fmt: skip
    wb.save(path)
    return path


def run(world, path):
    return import_file(
        path=path, filename=path.name, org=world.orgs["610581001001"], acting_user=world.users["branch_a1"]
    )


def test_digits_circled_codes_and_names_all_import(world, tmp_path):
    values = [*range(1, 9), *CIRCLED[:8], *(str(n) for n in range(1, 9)), Occupation.GRADUATE.label]
    report = run(world, roster(tmp_path / "codes.xlsx", values))
    assert report.ok and report.created == len(values), report.errors
    imported = dict(Member.objects.values_list("name", "occupation"))
    expected = [*range(1, 9), *range(1, 9), *range(1, 9), Occupation.GRADUATE]
    assert [imported[f"党员{n:02d}"] for n in range(1, len(values) + 1)] == expected


@pytest.mark.parametrize("value", ["⑨", 9, "0", "甲"])
def test_a_code_outside_the_table_is_refused(world, tmp_path, value):
    report = run(world, roster(tmp_path / "bad.xlsx", [1, value]))
    assert not report.written and Member.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, "职业")]
    assert "①–⑧" in report.errors[0].reason
