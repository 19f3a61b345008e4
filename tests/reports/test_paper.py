"""The 名册, the 登记表 and the 统计表 as the seed prints them, opened with openpyxl (and, where
LibreOffice is installed, printed to PDF): codes ①–⑨, each form's own 填表要求和指标解释, A4
landscape fitted to the width with the header repeated, readable fonts, rows tall enough for their
wrapped text, the signature line, and the 统计表's four title rows with the 统计时间."""

import io
import math
import re
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from reports import builders, xlsx

FILLED = date(2026, 11, 23)
UNIT = "中共华阳县城关镇委员会"
LONG_ORG = "中共华阳县城关镇东街社区居民委员会第二网格党支部（非公有制经济组织联合党支部）"

# The seed's 填表要求和指标解释, one list per form, verbatim except rule 6's doubled "按按" (a typo
# in the source), which the forms print once.
SHARED = [
    "3．与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间。",
    "4．失去联系情形：按以下代码填写。①外出务工经商；②单位改制或破产；③毕业后去向不明；④工作单位改变；⑤出国（境）；⑥居住地改变；⑦其他（具体原因在备注栏中注明）。",
    "5．党组织类别：按以下代码填写。①国有企业；②非公有制企业；③农村；④党政机关；⑤学校；⑥其他事业单位；⑦街道社区；⑧社会组织；⑨其他。",
    "6．职业：按以下代码填写。①国有企业解除劳动关系人员；②非公有制企业离职人员；③农村外出务工经商人员；④党机关事业单位离退休人员；⑤高校毕业生；⑥街道社区人户分离人员；⑦组织关系在人才中心人员；⑧其他。",
]
SEED_RULES = {
    "失联党员名册": [
        "1．本表由党支部填写，逐级报各县（市、区）委组织部、市直各党（工）委、中省驻渭单位党委。",
        "2．失联党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上的党员。",
        *SHARED,
    ],
    "经查找仍然无法取得联系党员登记表": [
        "1．本表由各党（工）委在协调有关部门再次深入查找的基础上填写，报县委组织部。",
        "2．失联党员中尚未取得联系的党员是指党员组织关系排查工作结束时，与党组织失去联系6个月以上，经多方努力确实无法取得联系的党员。",
        *SHARED,
    ],
}
FORMS = sorted(SEED_RULES)

# The seed's 统计表 title rows 3 and 4 and its letter row, cell by cell (25 columns: 统计时间, A–X);
# "" continues a cell from above, "　" is a blank cell. lianxin adds 统计单位 after the first column.
SEED_TITLE_ROW_3 = ["", "", "", "纳入组织管理人数", "　", "　", "　", "给予组织处置出党人数", "　", "　", "　", "　", "　", "开除党籍人数", "目前尚在调查核实人数", "", "给予组织处置出党人数", "　", "　", "停止党籍人数", "　", "　", "开除党籍人数", "尚在查找联系人数", ""]  # fmt: skip
SEED_TITLE_ROW_4 = ["", "", "", "", "保留组织关系人数", "停止党籍人数", "限期改正人数", "", "劝退或劝而不退除名人数", "自行脱党除名人数", "退党除名人数", "不予承认党员资格人数", "取消预备党员资格人数", "", "", "", "", "自行脱党除名人数", "取消预备党员资格人数", "", "确定无法取得联系而停止党籍人数", "因出国（境）定居而停止党籍人数", "", "", ""]  # fmt: skip
SEED_LETTER_ROW = ["", *"ABCDEFGHIJKLMNOPQRSTUVWX"]


def roster_row(number, *, category=7, occupation=3, reason=1, organization="城关镇东街社区党支部", remark=""):
    return builders.RosterRow(
        number, "王失联", "男", "汉族", "1985.03", "2008.07", "61058119850315111X", "13900000000",
        organization, category, occupation, "1年7个月", reason, remark,
    )  # fmt: skip


def roster(title, rows):
    stream = io.BytesIO()
    xlsx.write_roster(stream, iter(rows), title=title, unit=UNIT, filled_on=FILLED)
    return stream.getvalue()


def statistics(rows):
    stream = io.BytesIO()
    xlsx.write_statistics(stream, rows, unit=UNIT, as_of=date(2026, 11, 1), filled_on=FILLED)
    return stream.getvalue()


def stat_rows():
    first, second, total = (
        builders.StatisticsRow(None, label) for label in ("东街社区党支部", "西街社区党支部", "合计")
    )
    first.counts.update({"A": 3, "B": 2, "C": 2, "O": 1, "W": 1})
    second.counts.update({"A": 1, "X": 1})
    total.counts.update({"A": 4, "B": 2, "C": 2, "O": 1, "W": 1, "X": 1})
    return [first, second, total]


def sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def texts(ws):
    return [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def column_points(ws, column):
    """A column's printed width in points, by Excel's rule (7 px a unit of the default font, 5 px of
    padding) — deliberately not lianxin's own estimate, which is wider."""
    return (ws.column_dimensions[get_column_letter(column)].width * 7 + 5) * 0.75


def merged_width(ws, cell):
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(column_points(ws, c) for c in range(merged.min_col, merged.max_col + 1)), merged
    return column_points(ws, cell.column), None


def assert_rows_hold_their_text(ws, rows):
    """Every text of these rows fits its cell's height: at least as many lines as its characters need
    (a CJK character as wide as the font size, others half), each line at least the font size tall."""
    for row in rows:
        for cell in ws[row]:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            width, merged = merged_width(ws, cell)
            size = cell.font.sz
            wide = sum(1 if ord(char) >= 0x2000 else 0.5 for char in cell.value)
            needed = math.ceil(wide * size / width) * size
            rows_spanned = range(merged.min_row, merged.max_row + 1) if merged else [row]
            height = sum(ws.row_dimensions[r].height or 15 for r in rows_spanned)
            assert height >= needed, (cell.coordinate, cell.value, height, needed)


def assert_printed_on_a4_landscape(ws, title_rows):
    setup = ws.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.print_title_rows == title_rows


def assert_fonts_at_least_9pt(ws):
    sizes = {cell.font.sz for row in ws.iter_rows() for cell in row if cell.value not in (None, "")}
    assert sizes and min(sizes) >= 9


def signature_line(ws):
    line = next(t for t in texts(ws) if t.startswith("填表人："))
    assert re.fullmatch(
        rf"填表人：　+联系电话：　+填报单位（盖章）：{UNIT}　+填报日期：2026年11月23日", line
    ), line
    return line


@pytest.mark.parametrize("title", FORMS)
def test_codes_are_written_as_the_seed_writes_them(title):
    ws = sheet(roster(title, [roster_row(1), roster_row(2, category=9, occupation=8, reason=None)]))
    header = [c.value for c in ws[3]]
    first, second = ([c.value for c in ws[r]] for r in (4, 5))
    assert [first[header.index(h)] for h in ("党组织类别", "职业", "失去联系情形")] == ["⑦", "③", "①"]
    assert [second[header.index(h)] for h in ("党组织类别", "职业", "失去联系情形")] == ["⑨", "⑧", None]


@pytest.mark.parametrize("title", FORMS)
def test_each_form_prints_its_own_six_rules(title):
    ws = sheet(roster(title, [roster_row(1)]))
    column_a = [row[0] for row in ws.iter_rows(values_only=True)]
    heading = column_a.index(f"《{title}》填表要求和指标解释")
    assert column_a[heading + 1 : heading + 7] == SEED_RULES[title]
    assert column_a[heading + 7 :] == []  # nothing after the sixth rule
    other = next(t for t in FORMS if t != title)
    assert SEED_RULES[other][0] not in column_a and SEED_RULES[other][1] not in column_a
    assert ws["A1"].value == title


@pytest.mark.parametrize("title", FORMS)
def test_the_forms_are_ready_to_print(title):
    rows = [roster_row(1), roster_row(2, organization=LONG_ORG, remark="其他：" + "随子女迁居外省，" * 4)]
    ws = sheet(roster(title, rows))
    assert_printed_on_a4_landscape(ws, "$3:$3")
    assert_fonts_at_least_9pt(ws)
    assert ws.freeze_panes == "A4"
    last = ws.max_row
    assert ws.print_area == f"'{ws.title}'!$A$1:$N${last}"
    # The header's wrapped labels, the long organization and remark, the rules: all held.
    assert_rows_hold_their_text(ws, range(1, last + 1))
    assert ws.row_dimensions[5].height > (ws.row_dimensions[4].height or 15)  # the long row grew
    signature = signature_line(ws)
    assert [row[0] for row in ws.iter_rows(min_row=6, max_row=6, values_only=True)] == [signature]


def test_statistics_has_the_seeds_four_title_rows_and_its_time():
    ws = sheet(statistics(stat_rows()))
    assert ws["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    assert ws["A2"].value == "负责领导（签字）："
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Title row 1: 统计时间 (and lianxin's 统计单位), A and X down all four rows; B–N and O–W.
    assert [ws.cell(3, c).value for c in (1, 2, 3, 4, 17, 26)] == [
        "统计时间", "统计单位", "超过六个月未与党组织联系的党员总数", "经查找取得联系的党员",
        "目前仍未取得联系的党员", "确认已死亡的人数",
    ]  # fmt: skip
    assert {"A3:A6", "B3:B6", "C3:C6", "D3:P3", "Q3:Y3", "Z3:Z6"} <= merged
    # Title row 2: the two 总数 down to row 4, blanks above the breakdowns.
    assert (ws["D4"].value, ws["Q4"].value) == ("总数", "总数") and {
        "D4:D6",
        "Q4:Q6",
        "E4:P4",
        "R4:Y4",
    } <= merged
    # Title rows 3 and 4 and the letter row, cell by cell against the seed.
    for sheet_row, seed in ((5, SEED_TITLE_ROW_3), (6, SEED_TITLE_ROW_4), (7, SEED_LETTER_ROW)):
        for seed_column, text in enumerate(seed):
            column = 1 if seed_column == 0 else seed_column + 2
            cell = ws.cell(sheet_row, column)
            if text.strip():
                assert cell.value == text, (cell.coordinate, text)
            elif text == "":  # the seed continues the cell above: a merge reaching this row
                assert any(
                    cell.coordinate in r and r.min_row < sheet_row for r in ws.merged_cells.ranges
                ) or (sheet_row == 7 and cell.value in (None, "")), cell.coordinate
            else:
                assert cell.value in (None, ""), cell.coordinate
    assert ws["B7"].value in (None, "")  # no letter above the unit column
    # The rows: the 统计时间 once, down all the units, as the seed's first column; then each unit.
    assert ws["A8"].value == "2026年11月01日" and "A8:A10" in merged
    assert [ws.cell(r, 2).value for r in (8, 9, 10)] == ["东街社区党支部", "西街社区党支部", "合计"]
    assert [ws.cell(10, c).value for c in range(3, 27)] == [
        stat_rows()[-1].counts[c] for c in builders.COLUMNS
    ]
    assert_printed_on_a4_landscape(ws, "$3:$7")
    assert ws.freeze_panes == "C8"
    assert_fonts_at_least_9pt(ws)
    assert_rows_hold_their_text(ws, range(1, ws.max_row + 1))
    column_a = [row[0] for row in ws.iter_rows(min_row=11, values_only=True)]
    assert column_a[0].startswith("备注：1.表内关系：A＝B+O+X") and column_a[3] == signature_line(ws)


def test_a_statistics_of_one_unit_needs_no_merge():
    ws = sheet(statistics(stat_rows()[-1:]))
    assert ws["A8"].value == "2026年11月01日" and ws["B8"].value == "合计"
    assert not any(r.min_row == 8 for r in ws.merged_cells.ranges)


def pdf_pages(tmp_path, name, content):
    """The workbook printed by LibreOffice: (page size line of pdfinfo, the pages' text)."""
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / f"{name}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.search(r"^Page size:.*$", info, re.M).group(0), text.stdout.split("\f")


def landscape(size):
    width, height = map(float, re.search(r"([\d.]+) x ([\d.]+)", size).groups())
    return width > height


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice not installed"
)
def test_printed_through_libreoffice_each_page_is_a4_landscape_with_the_header(tmp_path):
    rows = [
        roster_row(n, organization=LONG_ORG if n % 7 == 0 else "城关镇东街社区党支部") for n in range(1, 61)
    ]
    size, pages = pdf_pages(tmp_path, "roster", roster("失联党员名册", rows))
    pages = [page for page in pages if page.strip()]
    assert size.endswith("(A4)") and landscape(size) and len(pages) >= 2  # a list longer than a page
    for page in pages:  # the header row repeats; every column fits the width
        assert "身份证号" in page and "备注" in page
    squeezed = re.sub(r"\s+", "", "".join(pages))
    assert "6．职业：按以下代码填写。①国有企业解除劳动关系人员" in squeezed and "填报单位（盖章）" in squeezed
    size, pages = pdf_pages(tmp_path, "statistics", statistics(stat_rows()))
    squeezed = re.sub(r"\s+", "", pages[0])
    assert (
        size.endswith("(A4)")
        and landscape(size)
        and "统计时间统计单位" in squeezed
        and "填报单位（盖章）：中共华阳县城关镇委员会" in squeezed
    )
