"""The 统计表 (附件5) header as data: shared by the HTML page and the Excel file.

Cells are (text, first row, first column, last row, last column), rows 1–4 of the header,
column 1 = 统计单位, columns 2–25 = A–X. Row 4 is the letter row.
"""

from lianxin.fixtures import load
from reports.builders import COLUMNS

_TABLE = load("statistics.json")  # the header's texts and merges are data there
TITLE = _TABLE["title"]


def _c(letter):
    return 1 if letter == "unit" else COLUMNS.index(letter) + 2


HEADER_CELLS = [
    (cell["text"], cell["row"], _c(cell["column"]), cell["last_row"], _c(cell["last_column"]))
    for cell in _TABLE["header"]["cells"]
] + [(letter, 4, _c(letter), 4, _c(letter)) for letter in COLUMNS]

REMARKS = list(_TABLE["remarks"])


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
