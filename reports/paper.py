"""The printed page of a spreadsheet form: A4 landscape, fitted to the width, and row heights.

Neither Excel nor LibreOffice grows a row for the wrapped text of a merged cell, and Excel does not
grow one for a file written by a program, so every row that wraps gets its height here. The
estimate is deliberately generous (a CJK character is as wide as the font is tall, lines are 1.45
font sizes apart as in Noto CJK, the usual 宋体 substitute): a row a little too tall prints fine, a
row too short hides text.
"""

from functools import lru_cache

from openpyxl.styles import Font
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins

CELL_PADDING = 6  # pt taken by the cell's inner margins, both sides together, with room to round
LINE_SPACING = 1.45
ROW_PADDING = 4  # pt above and below the text lines together
UNIT_PX = 8  # a column width unit: the digit "0" of the workbook's normal font, Arial 11
A4_LANDSCAPE_WIDTH = 842  # pt
MARGIN_SIDE, MARGIN_TOP = 0.25, 0.45  # inches: narrow, so the font stays large after fitting
PRINTABLE_WIDTH = A4_LANDSCAPE_WIDTH - 2 * 72 * MARGIN_SIDE


def normal_font_arial(wb):
    """Make Arial 11 the workbook's normal font. Column widths are counted in digits of the normal
    font: openpyxl's Calibri is 7 px a digit in Excel but 9 px in LibreOffice without Calibri (it
    falls back to DejaVu Sans), so the same file printed a quarter smaller there. Arial is on every
    Windows and Mac, and LibreOffice substitutes the metric-compatible Liberation Sans: 8 px
    everywhere. (openpyxl has no public setting for this: font 0 is the normal style's font.)"""
    normal = Font(name="Arial", size=11, family=2)
    wb._fonts = IndexedList([normal])
    wb._named_styles["Normal"].font = normal


def column_points(width):
    """The printed width of a column of `width` units, in points: a unit is UNIT_PX, plus 5 px of
    padding; 96 px to the inch."""
    return (width * UNIT_PX + 5) * 0.75


def fit_scale(widths):
    """The scale at which columns of these widths fit the printable width of A4 landscape (≤ 1)."""
    return min(1.0, PRINTABLE_WIDTH / sum(column_points(w) for w in widths))


def _char_width(char, size):
    return size if ord(char) >= 0x2000 else size * 0.64  # CJK, ①, full-width marks; DejaVu digits


@lru_cache(maxsize=4096)  # a long 名册 repeats its organizations' names row after row
def lines(text, width, size):
    """How many lines `text` takes in a cell `width` units wide at `size` pt (breaking anywhere, as CJK
    text breaks; explicit newlines respected)."""
    usable = max(column_points(width) - CELL_PADDING, size)
    count = 0
    for paragraph in str(text).split("\n"):
        count += 1
        used = 0.0
        for char in paragraph:
            step = _char_width(char, size)
            if used + step > usable:
                count, used = count + 1, step
            else:
                used += step
    return count


def height(line_count, size):
    """The row height (pt) holding `line_count` lines at `size` pt."""
    return round(line_count * size * LINE_SPACING + ROW_PADDING, 1)


def text_height(text, width, size):
    return height(lines(text, width, size), size)


def set_height(ws, row, points):
    """Set a row's height before the row is written (write-only sheets read it when writing)."""
    ws.row_dimensions[row].height = points


def print_setup(ws, header_rows):
    """A4 landscape, fitted to one page wide, `header_rows` ("3:7") repeated on every page, centred,
    with page numbers at the foot."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_TOP, header=0.2, footer=0.2
    )
    ws.HeaderFooter.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.HeaderFooter.oddFooter.center.size = 9
