"""The 统计表 (附件5) header as data: shared by the HTML page and the Excel file.

Cells are (text, first row, first column, last row, last column). The header is laid out as the seed
prints it: four title rows, then the letter row (row 5). Column 1 is the seed's 统计时间; column 2,
统计单位, is lianxin's, for the per-unit rows a committee needs; columns 3–26 are A–X. An empty text
is a blank cell of the seed's grid (the seed leaves a row of blank cells above a breakdown).
"""

from reports.builders import COLUMNS

TITLE = "与党组织失去联系党员规范管理和组织处置有关情况统计表"
LEADING = ("统计时间", "统计单位")
TITLE_ROWS = 4
HEADER_ROWS = TITLE_ROWS + 1  # and the letter row


def _c(letter):
    return COLUMNS.index(letter) + len(LEADING) + 1


def _cell(text, row, letter, last_row=None, last_letter=None):
    return (text, row, _c(letter), last_row or row, _c(last_letter or letter))


def _blanks(row, letters):
    return [_cell("", row, letter) for letter in letters]


HEADER_CELLS = [
    *((text, 1, index, TITLE_ROWS, index) for index, text in enumerate(LEADING, start=1)),
    *(("", HEADER_ROWS, index, HEADER_ROWS, index) for index in range(1, len(LEADING) + 1)),
    _cell("超过六个月未与党组织联系的党员总数", 1, "A", 4),
    _cell("经查找取得联系的党员", 1, "B", 1, "N"),
    _cell("目前仍未取得联系的党员", 1, "O", 1, "W"),
    _cell("确认已死亡的人数", 1, "X", 4),
    _cell("总数", 2, "B", 4),
    _cell("", 2, "C", 2, "N"),
    _cell("总数", 2, "O", 4),
    _cell("", 2, "P", 2, "W"),
    _cell("纳入组织管理人数", 3, "C", 4),
    *_blanks(3, "DEF"),
    _cell("给予组织处置出党人数", 3, "G", 4),
    *_blanks(3, "HIJKL"),
    _cell("开除党籍人数", 3, "M", 4),
    _cell("目前尚在调查核实人数", 3, "N", 4),
    _cell("给予组织处置出党人数", 3, "P", 4),
    *_blanks(3, "QR"),
    _cell("停止党籍人数", 3, "S", 4),
    *_blanks(3, "TU"),
    _cell("开除党籍人数", 3, "V", 4),
    _cell("尚在查找联系人数", 3, "W", 4),
    _cell("保留组织关系人数", 4, "D"),
    _cell("停止党籍人数", 4, "E"),
    _cell("限期改正人数", 4, "F"),
    _cell("劝退或劝而不退除名人数", 4, "H"),
    _cell("自行脱党除名人数", 4, "I"),
    _cell("退党除名人数", 4, "J"),
    _cell("不予承认党员资格人数", 4, "K"),
    _cell("取消预备党员资格人数", 4, "L"),
    _cell("自行脱党除名人数", 4, "Q"),
    _cell("取消预备党员资格人数", 4, "R"),
    _cell("确定无法取得联系而停止党籍人数", 4, "T"),
    _cell("因出国（境）定居而停止党籍人数", 4, "U"),
    *(_cell(letter, HEADER_ROWS, letter) for letter in COLUMNS),
]

REMARKS = [
    "备注：1.表内关系：A＝B+O+X；B＝C+G+M+N；G＝H+I+J+K+L；O＝P+S+V+W；P＝Q+R；S=T+U；",
    "2.在经查找取得联系的党员中，给予开除党籍以外的其他党纪处分的数量，统计在“纳入组织管理人数”（C）项中；",
    "3.目前仍未取得联系的党员中“开除党籍人数”（V）项，应为依据《中国共产党员纪律处分条例》第三十六条规定，党组织作出开除党籍决定的。",
]


WIDTH = len(LEADING) + len(COLUMNS)


def header_grid():
    """5 × 26 texts: each merged cell's text at its top-left, None elsewhere (for Excel)."""
    grid = [[None] * WIDTH for _ in range(HEADER_ROWS)]
    for text, r1, c1, _r2, _c2 in HEADER_CELLS:
        grid[r1 - 1][c1 - 1] = text
    return grid


def header_html_rows():
    """Rows of (text, rowspan, colspan) for an HTML table with the same merges."""
    rows = [[] for _ in range(HEADER_ROWS)]
    for text, r1, c1, r2, c2 in sorted(HEADER_CELLS, key=lambda cell: (cell[1], cell[2])):
        rows[r1 - 1].append((text, r2 - r1 + 1, c2 - c1 + 1))
    return rows
