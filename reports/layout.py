"""The 统计表 (附件5) header as data: shared by the HTML page and the Excel file.

Cells are (text, first row, first column, last row, last column), rows 1–4 of the header,
column 1 = 统计单位, columns 2–25 = A–X. Row 4 is the letter row.
"""

from reports.builders import COLUMNS

TITLE = "与党组织失去联系党员规范管理和组织处置有关情况统计表"


def _c(letter):
    return COLUMNS.index(letter) + 2


def _cell(text, row, letter, last_row=None, last_letter=None):
    return (text, row, _c(letter), last_row or row, _c(last_letter or letter))


HEADER_CELLS = [
    ("统计单位", 1, 1, 4, 1),
    _cell("超过六个月未与党组织联系的党员总数", 1, "A", 3),
    _cell("经查找取得联系的党员", 1, "B", 1, "N"),
    _cell("目前仍未取得联系的党员", 1, "O", 1, "W"),
    _cell("确认已死亡的人数", 1, "X", 3),
    _cell("总数", 2, "B", 3),
    _cell("纳入组织管理人数", 2, "C", 2, "F"),
    _cell("给予组织处置出党人数", 2, "G", 2, "L"),
    _cell("开除党籍人数", 2, "M", 3),
    _cell("目前尚在调查核实人数", 2, "N", 3),
    _cell("总数", 2, "O", 3),
    _cell("给予组织处置出党人数", 2, "P", 2, "R"),
    _cell("停止党籍人数", 2, "S", 2, "U"),
    _cell("开除党籍人数", 2, "V", 3),
    _cell("尚在查找联系人数", 2, "W", 3),
    _cell("小计", 3, "C"),
    _cell("保留组织关系人数", 3, "D"),
    _cell("停止党籍人数", 3, "E"),
    _cell("限期改正人数", 3, "F"),
    _cell("小计", 3, "G"),
    _cell("劝退或劝而不退除名人数", 3, "H"),
    _cell("自行脱党除名人数", 3, "I"),
    _cell("退党除名人数", 3, "J"),
    _cell("不予承认党员资格人数", 3, "K"),
    _cell("取消预备党员资格人数", 3, "L"),
    _cell("小计", 3, "P"),
    _cell("自行脱党除名人数", 3, "Q"),
    _cell("取消预备党员资格人数", 3, "R"),
    _cell("小计", 3, "S"),
    _cell("确定无法取得联系而停止党籍人数", 3, "T"),
    _cell("因出国（境）定居而停止党籍人数", 3, "U"),
] + [(letter, 4, _c(letter), 4, _c(letter)) for letter in COLUMNS]

REMARKS = [
    "备注：1.表内关系：A＝B+O+X；B＝C+G+M+N；G＝H+I+J+K+L；O＝P+S+V+W；P＝Q+R；S=T+U；",
    "2.在经查找取得联系的党员中，给予开除党籍以外的其他党纪处分的数量，统计在“纳入组织管理人数”（C）项中；",
    "3.目前仍未取得联系的党员中“开除党籍人数”（V）项，应为依据《中国共产党员纪律处分条例》第三十六条规定，党组织作出开除党籍决定的。",
]


def header_grid():
    """4 × 25 texts: each merged cell's text at its top-left, None elsewhere (for Excel)."""
    grid = [[None] * (len(COLUMNS) + 1) for _ in range(4)]
    for text, r1, c1, _r2, _c2 in HEADER_CELLS:
        grid[r1 - 1][c1 - 1] = text
    return grid


def header_html_rows():
    """Rows of (text, rowspan, colspan) for an HTML table with the same merges."""
    rows = [[] for _ in range(4)]
    for text, r1, c1, r2, c2 in sorted(HEADER_CELLS, key=lambda cell: (cell[1], cell[2])):
        rows[r1 - 1].append((text, r2 - r1 + 1, c2 - c1 + 1))
    return rows


def column_title(letter):
    """The Chinese name of a column, from the header cells above it: D → 经查找取得联系的党员 ·
    纳入组织管理人数 · 保留组织关系人数 (a 总数 or 小计 keeps the group it totals)."""
    col = _c(letter)
    texts = [
        text
        for text, r1, c1, _r2, c2 in sorted(HEADER_CELLS, key=lambda cell: cell[1])
        if r1 <= 3 and c1 <= col <= c2
    ]
    return " · ".join(texts)
