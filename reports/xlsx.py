"""Excel renderers (openpyxl write-only mode: memory stays flat for long lists)."""

from copy import copy

from lxml.etree import Element, SubElement
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from lianxin import spreadsheet
from reports import paper
from reports.builders import COLUMNS, FORM_RULES
from reports.layout import HEADER_CELLS, HEADER_ROWS, REMARKS, TITLE, header_grid

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
TITLE_SIZE, HEAD_SIZE, BODY_SIZE = 16, 10, 10
TITLE_FONT = Font(name="宋体", size=TITLE_SIZE, bold=True)
HEAD_FONT = Font(name="宋体", size=HEAD_SIZE, bold=True)
BODY_FONT = Font(name="宋体", size=BODY_SIZE)
STAT_HEAD_SIZE = 9
STAT_HEAD_FONT = Font(name="宋体", size=STAT_HEAD_SIZE, bold=True)

# Widths fit A4 landscape at about 94 %: the 10 pt body prints at 9.4 pt.
ROSTER_HEADER = [
    ("序号", 6),  # up to 100,000 rows
    ("姓名", 8),
    ("性别", 4),
    ("民族", 6),
    ("出生年月", 8),
    ("入党时间", 8),
    ("身份证号", 20),
    ("联系电话", 13),
    ("所在党组织", 24),
    ("党组织类别", 6),
    ("职业", 5),
    ("与党组织失去联系时间", 9),
    ("失去联系情形", 6),
    ("备注", 12),
]
ROSTER_WIDTHS = [w for _label, w in ROSTER_HEADER]
# 姓名, 民族, 所在党组织, 备注 may wrap: (index, width, the characters one line surely holds).
WRAPPING = [
    (
        index,
        ROSTER_WIDTHS[index],
        (paper.column_points(ROSTER_WIDTHS[index]) - paper.CELL_PADDING) // BODY_SIZE,
    )
    for index in (1, 3, 8, 13)
]
CODES = dict(enumerate("①②③④⑤⑥⑦⑧⑨", start=1))  # the codes as the seed writes them
# 统计时间, 统计单位, A–X: at about 91 % on A4 landscape; a column holds a four-digit number.
STAT_WIDTHS = [7, 13] + [4.6] * len(COLUMNS)


def signature_line(unit, filled_on):
    """The line a form sent upward is signed and sealed on (the 统计表's, for every form)."""
    gap = "　" * 6
    return f"填表人：{gap}联系电话：{gap}填报单位（盖章）：{unit}{'　' * 4}填报日期：{filled_on:%Y年%m月%d日}"


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
    """Values of a data row past STYLED_ROWS, written by `_write_plain_row`; `height` (pt) if the row
    wraps."""

    height = None


def _write_plain_row(xf, values, row_idx, style):
    """One row as openpyxl writes it (inline strings, numbers), built as one lxml element: openpyxl
    makes a cell object and three nested XML writes per value, which is most of the time of a
    100,000-row 名册. Every cell takes the body cells' style by its index `style` (borders, wrap,
    font) for nothing. A str is always an inline string (`spreadsheet.text`), never a formula."""
    row = Element("row", r=str(row_idx))
    if values.height:
        row.set("ht", str(values.height))
        row.set("customHeight", "1")
    for letter, value in zip(COLUMN_LETTERS, values, strict=False):
        if value is None or value == "":
            SubElement(row, "c", r=f"{letter}{row_idx}", s=style)
        elif isinstance(value, str):
            text = SubElement(
                SubElement(SubElement(row, "c", r=f"{letter}{row_idx}", s=style, t="inlineStr"), "is"), "t"
            )
            if value != value.strip():
                text.set(XML_SPACE, "preserve")
            text.text = spreadsheet.text(value)
        else:
            SubElement(SubElement(row, "c", r=f"{letter}{row_idx}", s=style, t="n"), "v").text = str(value)
    xf.write(row)


def _accept_plain_rows(ws):
    """Let `ws.append(PlainRow(...))` take the fast path (after the first append made the writer)."""
    to_cells, write_row = ws._values_to_row, ws._writer.write_row
    style = []

    def values_to_row(values, row_idx):
        return values if isinstance(values, PlainRow) else to_cells(values, row_idx)

    def write(xf, row, row_idx):
        if isinstance(row, PlainRow):
            if not style:
                _body_row(ws, ())  # makes the template cell if no styled row came first
                style.append(str(ws._lianxin_body_template.style_id))
            _write_plain_row(xf, row, row_idx, style[0])
        else:
            write_row(xf, row, row_idx)

    ws._values_to_row, ws._writer.write_row = values_to_row, write


def _set_widths(ws, widths):
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _full_width_row(ws, row, text, font=BODY_FONT, size=BODY_SIZE, align=LEFT, widths=ROSTER_WIDTHS):
    """A line of text merged across the form, as tall as its wrapped text."""
    ws.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=len(widths), max_row=row))
    paper.set_height(ws, row, paper.text_height(text, sum(widths), size))
    ws.append([_cell(ws, text, font, False, align)])


def _body_height(values):
    """The height of a data row whose text wraps, or None for a one-line row (the common case)."""
    most = 1
    for index, width, holds in WRAPPING:
        value = values[index]
        if isinstance(value, str) and len(value) > holds:
            most = max(most, paper.lines(value, width, BODY_SIZE))
    return paper.height(most, BODY_SIZE) if most > 1 else None


def _list_sheet(wb, *, title, unit, filled_on, header):
    """A list's sheet as printed: title, unit and date, the header row held at its wrapped height;
    its data rows may then be plain."""
    paper.normal_font_arial(wb)
    ws = wb.create_sheet(title[:30])
    width = len(header)
    widths = [w for _label, w in header]
    _set_widths(ws, widths)
    paper.print_setup(ws, "3:3")
    ws.freeze_panes = "A4"
    last = get_column_letter(width)
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    paper.set_height(ws, 1, paper.height(1, TITLE_SIZE))
    ws.append([_cell(ws, title, TITLE_FONT, border=False)])
    ws.merged_cells.add(CellRange(f"A2:{get_column_letter(width // 2)}2"))
    ws.merged_cells.add(CellRange(f"{get_column_letter(width // 2 + 1)}2:{last}2"))
    ws.append(
        [_cell(ws, f"填报单位：{unit}", BODY_FONT, False, LEFT)]
        + [None] * (width // 2 - 1)
        + [_cell(ws, f"填报日期：{filled_on:%Y年%m月%d日}", BODY_FONT, False, RIGHT)]
    )
    paper.set_height(
        ws, 3, paper.height(max(paper.lines(label, w, HEAD_SIZE) for label, w in header), HEAD_SIZE)
    )
    ws.append([_cell(ws, label, HEAD_FONT) for label, _w in header])
    _accept_plain_rows(ws)
    return ws


def write_roster(stream, rows, *, title, unit, filled_on):
    """《失联党员名册》 or 《经查找仍然无法取得联系党员登记表》: title, unit/date, header, rows (codes
    ①–⑨), the signature line and the form's own 填表要求和指标解释 (the seed's six rules for `title`)."""
    rules = FORM_RULES[title]
    wb = Workbook(write_only=True)
    ws = _list_sheet(wb, title=title, unit=unit, filled_on=filled_on, header=ROSTER_HEADER)
    width = len(ROSTER_HEADER)
    last = get_column_letter(width)
    count = 0
    codes = CODES.get
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
            codes(r.category, r.category),
            codes(r.occupation, r.occupation),
            r.duration,
            codes(r.reason, r.reason or ""),
            r.remark,
        ]
        # Styled cells cost twice as much to write; past STYLED_ROWS a long list is written as plain
        # rows of the same style (no height of their own), so 100,000 rows stay within seconds.
        tall = _body_height(values)
        if count <= STYLED_ROWS:
            if tall:
                paper.set_height(ws, 3 + count, tall)
            ws.append(_body_row(ws, values))
        else:
            plain = PlainRow(values)
            if tall:
                plain.height = tall
            ws.append(plain)
    row = 4 + count
    for text in (signature_line(unit, filled_on), f"《{title}》填表要求和指标解释", *rules):
        _full_width_row(ws, row, text)
        row += 1
    ws.print_area = f"A1:{last}{row - 1}"  # text running past the last column is not printed
    wb.save(stream)
    return count


def _header_heights(cells, widths, size, first_row):
    """Row heights (pt) of a header of merged cells: each row holds its one-row cells, and the last row
    a cell spans grows by what the cell's text lacks over the rows above."""
    rows = 1 + max(r2 for _t, _r1, _c1, r2, _c2 in cells)
    heights = [paper.height(1, size)] * rows
    needed = []
    for text, r1, c1, r2, c2 in cells:
        points = paper.text_height(text, sum(widths[c1 - 1 : c2]), size)
        if r1 == r2:
            heights[r1] = max(heights[r1], points)
        else:
            needed.append((r1, r2, points))
    for r1, r2, points in sorted(needed, key=lambda n: n[1]):
        heights[r2] += max(0, points - sum(heights[r1 : r2 + 1]))
    return {first_row + index - 1: points for index, points in enumerate(heights) if index}


def write_statistics(stream, rows, *, unit, as_of, filled_on):
    """统计表 (附件5): title, 负责领导（签字）, the seed's four title rows and letter row, the rows (统计时间
    once for all, then one row per unit), remarks and the signature line."""
    wb = Workbook(write_only=True)
    paper.normal_font_arial(wb)
    ws = wb.create_sheet("统计表")
    _set_widths(ws, STAT_WIDTHS)
    top = 3  # the header's first row
    first_data, last_data = top + HEADER_ROWS, top + HEADER_ROWS + len(rows) - 1
    paper.print_setup(ws, f"{top}:{first_data - 1}")
    ws.freeze_panes = f"C{first_data}"
    _full_width_row(ws, 1, TITLE, TITLE_FONT, TITLE_SIZE, CENTER, STAT_WIDTHS)
    _full_width_row(ws, 2, "负责领导（签字）：", widths=STAT_WIDTHS)
    for _text, r1, c1, r2, c2 in HEADER_CELLS:
        if (r1, c1) != (r2, c2):
            ws.merged_cells.add(CellRange(min_col=c1, min_row=r1 + top - 1, max_col=c2, max_row=r2 + top - 1))
    for row, points in _header_heights(HEADER_CELLS, STAT_WIDTHS, STAT_HEAD_SIZE, top).items():
        paper.set_height(ws, row, points)
    for grid_row in header_grid():
        ws.append([_cell(ws, text, STAT_HEAD_FONT) for text in grid_row])
    when = f"{as_of:%Y年%m月%d日}"
    data_cells = [(when, 1, 1, len(rows), 1)] + [
        (row.label, i, 2, i, 2) for i, row in enumerate(rows, start=1)
    ]
    heights = _header_heights(data_cells, STAT_WIDTHS, BODY_SIZE, first_data)
    if last_data > first_data:
        ws.merged_cells.add(CellRange(min_col=1, min_row=first_data, max_col=1, max_row=last_data))
    for index, row in enumerate(rows):
        paper.set_height(ws, first_data + index, heights[first_data + index])
        ws.append(
            [_cell(ws, when if index == 0 else None), _cell(ws, row.label, align=LEFT)]
            + [_cell(ws, row.counts[c]) for c in COLUMNS]
        )
    for offset, text in enumerate([*REMARKS, signature_line(unit, filled_on)]):
        _full_width_row(ws, last_data + 1 + offset, text, widths=STAT_WIDTHS)
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
    paper.print_setup(ws, "3:3")
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
