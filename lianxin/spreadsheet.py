"""Every cell lianxin writes into a spreadsheet goes through `cell()` (or, on the 名册's fast path,
through `text()`): text is stored as text.

A value beginning with =, +, -, @, a tab or a CR is a formula to Excel and LibreOffice (OWASP "CSV
injection"), and openpyxl itself writes a str beginning with "=" as a live formula (and "#N/A" as an
error). A cell typed as an inline string prints exactly as typed and is never evaluated.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_CHARS = 32767  # what one Excel cell holds


def text(value) -> str:
    """A str as a spreadsheet can hold it: without the control characters XML cannot carry, at most
    32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:EXCEL_MAX_CHARS]


def cell(ws, value):
    """A write-only cell; a str is an inline string whatever it starts with, numbers stay numbers."""
    if not isinstance(value, str):
        return WriteOnlyCell(ws, value=value)
    result = WriteOnlyCell(ws, value=None)
    result._value, result.data_type = text(value), "s"
    return result


def row(ws, values):
    """A row of cells for `ws.append()`."""
    return [cell(ws, value) for value in values]
