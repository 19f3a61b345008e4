"""Readers: .xlsx (members/importing/sheet.py; title rows above the header allowed) and .csv (UTF-8 or
GBK), both within the limits of limits.py.

Rows come out as (row number in the file, {field: raw value}), streamed: memory does not grow with the file.
"""

import codecs
import csv

from members.importing import limits
from members.importing.columns import looks_like_header, map_headers
from members.importing.limits import FileError
from members.importing.sheet import read_xlsx

HEADER_SEARCH_ROWS = 10
ENCODINGS = ("utf-8-sig", "gb18030")


def _rows_from(cells_iter):
    mapping = None
    for number, cells in cells_iter:
        cells = list(cells)
        if mapping is None:
            if number > HEADER_SEARCH_ROWS:
                raise FileError("前10行中找不到表头（至少应有“姓名”和“身份证号”两列）。")
            if looks_like_header(cells):
                mapping = map_headers(cells)
            continue
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        yield number, {field: cells[i] if i < len(cells) else None for i, field in mapping.items()}
    if mapping is None:
        raise FileError("文件中找不到表头（至少应有“姓名”和“身份证号”两列）。")


def _encoding(path):
    """The first of ENCODINGS the whole file decodes in, read a chunk at a time (never whole)."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileError("无法识别文件编码（应为 UTF-8 或 GBK）。")


def _lines(f):
    """The file's lines; a line longer than any roster's is refused before the csv module splits it."""
    number = 0
    while line := f.readline(limits.MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > limits.MAX_LINE_CHARS:
            raise FileError(f"第 {number} 行过长（超过 {limits.MAX_LINE_CHARS} 个字符），不是正常的花名册。")
        yield line


def _csv_cells(path, encoding):
    """(row number, cells) within the row, column and cell limits."""
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(_lines(f))
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):  # noqa: B007 (number is used after the loop)
                if number > limits.MAX_ROWS:
                    raise limits.too_many_rows()
                if any(c.strip() for c in cells[limits.MAX_COLUMNS :]):
                    raise limits.too_many_columns(number)
                for column, cell in enumerate(cells, start=1):
                    if len(cell) > limits.MAX_CELL_CHARS:
                        raise limits.cell_too_long(number, column)
                yield number, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise limits.cell_too_long(number + 1) from None
            raise FileError(f"第 {number + 1} 行无法按 CSV 格式读取：{exc}") from None


def _csv(path):
    encoding = _encoding(path)
    for _row in _csv_cells(path, encoding):  # the whole file within the limits before any row is used
        pass
    yield from _rows_from(_csv_cells(path, encoding))


def read_rows(path, filename=None):
    name = (filename or str(path)).lower()
    if name.endswith(".xlsx"):
        return _rows_from(read_xlsx(path))
    if name.endswith(".csv"):
        return _csv(path)
    raise FileError("只支持 .xlsx 或 .csv 文件。")


__all__ = ["FileError", "read_rows"]
