"""The 统计表 (附件5) header as data: shared by the HTML page and the Excel file.

Cells are (text, first row, first column, last row, last column). The header is laid out as the seed
prints it (fixtures/statistics.json): four title rows, then the letter row (row 5). Column 1 is the
seed's 统计时间; column 2, 统计单位, is lianxin's, for the per-unit rows a committee needs; columns
3–26 are A–X. An empty text is a blank cell of the seed's grid.
"""

from lianxin.fixtures import load
from reports.builders import COLUMNS

_TABLE = load("statistics.json")  # the header's texts and merges are data there
TITLE = _TABLE["title"]
LEADING = tuple(column["key"] for column in _TABLE["header"]["leading"])  # ("time", "unit")
TITLE_ROWS = _TABLE["header"]["title_rows"]
HEADER_ROWS = TITLE_ROWS + 1  # and the letter row
WIDTH = len(LEADING) + len(COLUMNS)


def _c(letter):
    return LEADING.index(letter) + 1 if letter in LEADING else COLUMNS.index(letter) + len(LEADING) + 1


HEADER_CELLS = [
    (cell["text"], cell["row"], _c(cell["column"]), cell["last_row"], _c(cell["last_column"]))
    for cell in _TABLE["header"]["cells"]
] + [
    (letter if letter in COLUMNS else "", HEADER_ROWS, _c(letter), HEADER_ROWS, _c(letter))
    for letter in LEADING + tuple(COLUMNS)
]

REMARKS = list(_TABLE["remarks"])


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


def column_title(letter):
    """The Chinese name of a column, from the header cells above it: D → 经查找取得联系的党员 ·
    纳入组织管理人数 · 保留组织关系人数 (a 总数 or 小计 keeps the group it totals)."""
    col = _c(letter)
    texts = [
        text
        for text, r1, c1, _r2, c2 in sorted(HEADER_CELLS, key=lambda cell: cell[1])
        if text and r1 <= 4 and c1 <= col <= c2  # the title rows; blank cells only hold the grid
    ]
    return " · ".join(texts)
