"""Excel renderers (openpyxl write-only mode: memory stays flat for long lists)."""

from copy import copy

from lxml.etree import Element, SubElement
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from lianxin import spreadsheet
from reports.builders import CATEGORY_LEGEND, COLUMNS, LOSS_LEGEND, OCCUPATION_LEGEND
from reports.layout import HEADER_CELLS, REMARKS, TITLE, header_grid

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEAD_FONT = Font(name="宋体", size=10, bold=True)
BODY_FONT = Font(name="宋体", size=10)

ROSTER_HEADER = [
    ("序号", 6),
    ("姓名", 10),
    ("性别", 6),
    ("民族", 8),
    ("出生年月", 10),
    ("入党时间", 10),
    ("身份证号", 21),
    ("联系电话", 14),
    ("所在党组织", 28),
    ("党组织类别", 8),
    ("职业", 6),
    ("与党组织失去联系时间", 12),
    ("失去联系情形", 8),
    ("备注", 20),
]


def _cell(ws, value, font=BODY_FONT, border=True, align=CENTER):
    cell = spreadsheet.cell(ws, value)
    cell.font, cell.alignment = font, align
    if border:
        cell.border = BORDER
    return cell


def _body_row(ws, values):
    """A bordered, centred data row. Styling each cell through openpyxl's descriptors costs three
    style lookups per cell; the rows of a 100,000-line 名册 copy one template cell's style instead."""
    template = getattr(ws, "_lianxin_body_template", None)
    if template is None:
        template = ws._lianxin_body_template = _cell(ws, None)
    row = []
    for value in values:
        cell = spreadsheet.cell(ws, value)
        cell._style = copy(template._style)
        row.append(cell)
    return row


STYLED_ROWS = 5000
COLUMN_LETTERS = [get_column_letter(i) for i in range(1, 64)]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class PlainRow(tuple):
    """Values of a data row past STYLED_ROWS, written by `_write_plain_row`."""


def _write_plain_row(xf, values, row_idx):
    """One unstyled row as openpyxl writes it (inline strings, numbers), built as one lxml element:
    openpyxl makes a cell object and three nested XML writes per value, which is most of the time
    of a 100,000-row 名册. A str is always an inline string (`spreadsheet.text`), never a formula."""
    row = Element("row", r=str(row_idx))
    for letter, value in zip(COLUMN_LETTERS, values, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            text = SubElement(
                SubElement(SubElement(row, "c", r=f"{letter}{row_idx}", t="inlineStr"), "is"), "t"
            )
            if value != value.strip():
                text.set(XML_SPACE, "preserve")
            text.text = spreadsheet.text(value)
        else:
            SubElement(SubElement(row, "c", r=f"{letter}{row_idx}", t="n"), "v").text = str(value)
    xf.write(row)


def _accept_plain_rows(ws):
    """Let `ws.append(PlainRow(...))` take the fast path (after the first append made the writer)."""
    to_cells, write_row = ws._values_to_row, ws._writer.write_row

    def values_to_row(values, row_idx):
        return values if isinstance(values, PlainRow) else to_cells(values, row_idx)

    def write(xf, row, row_idx):
        if isinstance(row, PlainRow):
            _write_plain_row(xf, row, row_idx)
        else:
            write_row(xf, row, row_idx)

    ws._values_to_row, ws._writer.write_row = values_to_row, write


def _print_setup(ws, header_rows):
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.print_options.gridLines = True


def _list_sheet(wb, *, title, unit, filled_on, header):
    """A list's sheet: title, unit and date, the header row; its data rows may then be plain."""
    ws = wb.create_sheet(title[:30])
    width = len(header)
    for index, (_label, w) in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = w
    _print_setup(ws, "3:3")
    ws.freeze_panes = "A4"
    last = get_column_letter(width)
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.append([_cell(ws, title, TITLE_FONT, border=False)])
    ws.merged_cells.add(CellRange(f"A2:{get_column_letter(width // 2)}2"))
    ws.merged_cells.add(CellRange(f"{get_column_letter(width // 2 + 1)}2:{last}2"))
    left = Alignment(horizontal="left", vertical="center")
    right = Alignment(horizontal="right", vertical="center")
    ws.append(
        [_cell(ws, f"填报单位：{unit}", BODY_FONT, False, left)]
        + [None] * (width // 2 - 1)
        + [_cell(ws, f"填报日期：{filled_on:%Y年%m月%d日}", BODY_FONT, False, right)]
    )
    ws.append([_cell(ws, label, HEAD_FONT) for label, _w in header])
    _accept_plain_rows(ws)
    return ws


def write_roster(stream, rows, *, title, unit, filled_on):
    """《失联党员名册》 or 《经查找仍然无法取得联系党员登记表》: title, unit/date, header, rows, legends."""
    wb = Workbook(write_only=True)
    ws = _list_sheet(wb, title=title, unit=unit, filled_on=filled_on, header=ROSTER_HEADER)
    width = len(ROSTER_HEADER)
    last = get_column_letter(width)
    count = 0
    for r in rows:
        count += 1
        values = [
            r.number,
            r.name,
            r.gender,
            r.ethnicity,
            r.birth,
            r.joined,
            r.id_number,
            r.phone,
            r.organization,
            r.category,
            r.occupation,
            r.duration,
            r.reason or "",
            r.remark,
        ]
        # Styled cells cost twice as much to write; past STYLED_ROWS a long list is written plain and
        # its lines come from printed gridlines, so 100,000 rows stay within seconds.
        ws.append(_body_row(ws, values) if count <= STYLED_ROWS else PlainRow(values))
    legends = [
        "填表说明：",
        "1．与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间。",
        f"2．失去联系情形：按以下代码填写。{LOSS_LEGEND}",
        f"3．党组织类别：按以下代码填写。{CATEGORY_LEGEND}",
        f"4．职业：按以下代码填写。{OCCUPATION_LEGEND}",
    ]
    for offset, text in enumerate(legends):
        row = 4 + count + offset
        ws.merged_cells.add(CellRange(f"A{row}:{last}{row}"))
        ws.append(
            [
                _cell(
                    ws,
                    text,
                    BODY_FONT,
                    False,
                    Alignment(horizontal="left", vertical="center", wrap_text=True),
                )
            ]
        )
    wb.save(stream)
    return count


def write_statistics(stream, rows, *, unit, as_of, filled_on):
    """统计表 (附件5): title, 负责领导/统计时间, the four-row merged header, rows, remarks and footer."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("统计表")
    ws.column_dimensions["A"].width = 26
    for index in range(2, len(COLUMNS) + 2):
        ws.column_dimensions[get_column_letter(index)].width = 7
    _print_setup(ws, "3:6")
    ws.freeze_panes = "B7"
    last = get_column_letter(len(COLUMNS) + 1)
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.append([_cell(ws, TITLE, TITLE_FONT, border=False)])
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.merged_cells.add(CellRange("A2:L2"))
    ws.merged_cells.add(CellRange(f"M2:{last}2"))
    ws.append(
        [_cell(ws, "负责领导（签字）：", BODY_FONT, False, left)]
        + [None] * 11
        + [_cell(ws, f"统计时间：{as_of:%Y年%m月%d日}", BODY_FONT, False, left)]
    )
    for _text, r1, c1, r2, c2 in HEADER_CELLS:
        if (r1, c1) != (r2, c2):
            ws.merged_cells.add(CellRange(min_col=c1, min_row=r1 + 2, max_col=c2, max_row=r2 + 2))
    for grid_row in header_grid():
        ws.append([_cell(ws, text, HEAD_FONT) for text in grid_row])
    for row in rows:
        ws.append([_cell(ws, row.label, BODY_FONT, align=left)] + [_cell(ws, row.counts[c]) for c in COLUMNS])
    footer_start = 7 + len(rows)
    lines = [
        *REMARKS,
        f"填表人：{'　' * 6}联系电话：{'　' * 6}填报单位（盖章）：{unit}{'　' * 4}填报日期：{filled_on:%Y年%m月%d日}",
    ]
    for offset, text in enumerate(lines):
        ws.merged_cells.add(CellRange(f"A{footer_start + offset}:{last}{footer_start + offset}"))
        ws.append([_cell(ws, text, BODY_FONT, False, left)])
    wb.save(stream)


MEMBER_LIST_HEADER = [
    ("序号", 6),
    ("姓名", 10),
    ("性别", 6),
    ("出生年月", 10),
    ("身份证号", 21),
    ("联系电话", 14),
    ("所在党组织", 28),
    ("联系状态", 10),
    ("党籍状态", 10),
]


def write_member_list(stream, rows, *, title, unit, filled_on):
    """The members behind one number of the 统计表 (its drill-down), as a list."""
    wb = Workbook(write_only=True)
    ws = _list_sheet(wb, title=title, unit=unit, filled_on=filled_on, header=MEMBER_LIST_HEADER)
    count = 0
    for values in rows:
        count += 1
        ws.append(_body_row(ws, values) if count <= STYLED_ROWS else PlainRow(values))
    wb.save(stream)
    return count


def write_trends(stream, rows, *, headings, unit, filled_on):
    """月度趋势: title, unit and date, then one row per month (rows from reports.trends.table)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月度趋势")
    ws.column_dimensions["A"].width = 10
    for index in range(2, len(headings) + 3):
        ws.column_dimensions[get_column_letter(index)].width = 12
    _print_setup(ws, "3:3")
    ws.freeze_panes = "B4"
    last = get_column_letter(len(headings) + 2)
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.append([_cell(ws, f"月度趋势（{unit}）", TITLE_FONT, border=False)])
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    left = Alignment(horizontal="left", vertical="center")
    ws.append([_cell(ws, f"填报单位：{unit}　　生成日期：{filled_on:%Y年%m月%d日}", BODY_FONT, False, left)])
    ws.append([_cell(ws, text, HEAD_FONT) for text in ("月份", *headings, "统计日期")])
    for month, numbers, as_of, reconstructed in rows:
        note = f"{as_of:%Y-%m-%d}" + ("（推算）" if reconstructed else "")
        ws.append([_cell(ws, month), *(_cell(ws, n) for n in numbers), _cell(ws, note)])
    wb.save(stream)
