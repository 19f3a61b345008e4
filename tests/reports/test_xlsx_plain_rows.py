"""Past STYLED_ROWS the 名册 writes plain rows through its own fast path: the cells must read back
exactly as openpyxl's own writer would have written them."""

import io
from datetime import date

import openpyxl

from reports import builders, xlsx


def row(number, name, remark="", reason=1):
    return builders.RosterRow(
        number, name, "男", "汉族", "1985.03", "2008.07", "61058119850315111X", "13900000000",
        "第一党支部", 3, 3, "1年2个月", reason, remark,
    )  # fmt: skip


def write(rows):
    stream = io.BytesIO()
    count = xlsx.write_roster(
        stream, iter(rows), title="失联党员名册", unit="华阳县", filled_on=date(2026, 11, 23)
    )
    stream.seek(0)
    return count, openpyxl.load_workbook(stream).active


def test_plain_rows_read_back_like_styled_ones(monkeypatch):
    monkeypatch.setattr(xlsx, "STYLED_ROWS", 2)
    rows = [
        row(1, "张三"),
        row(2, "李四"),
        row(3, "王五", remark=" 前后有空格 "),
        row(4, "A&B <C>", remark="含控制字符\x07", reason=None),
        row(5, "赵六"),
    ]
    count, ws = write(rows)
    assert count == 5
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=8)]
    assert data[0][:3] == [1, "张三", "男"]  # styled
    assert data[2][1] == "王五" and data[2][13] == " 前后有空格 "  # plain, spaces kept
    assert data[3][1] == "A&B <C>" and data[3][12] is None and data[3][13] == "含控制字符"
    assert data[4][0] == 5 and data[4][9] == "③" and data[4][12] == "①"  # codes as the seed writes them
    # Plain rows take the styled rows' style (borders, font) by its index.
    assert ws.cell(6, 1).border.left.style == "thin" and ws.cell(6, 2).font.sz == ws.cell(4, 2).font.sz
    assert ws.cell(9, 1).value.startswith("填表人：")  # the signature line follows the last row
    assert ws.cell(10, 1).value == "《失联党员名册》填表要求和指标解释"


def test_a_second_workbook_gets_its_own_styles(monkeypatch):
    # The styled template cell belongs to its worksheet: a later workbook must not reuse it.
    for _ in range(3):
        _count, ws = write([row(1, "张三")])
        assert ws.cell(4, 1).border.left.style == "thin" and ws.cell(4, 1).alignment.horizontal == "center"
