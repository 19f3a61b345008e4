"""Readers: .xlsx (openpyxl read-only, title rows above the header allowed) and .csv (UTF-8 or GBK).

Rows come out as (row number in the file, {field: raw value}), streamed: memory does not grow with the file.
"""

import csv
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from members.importing.columns import looks_like_header, map_headers

HEADER_SEARCH_ROWS = 10


class FileError(ValueError):
    """The file cannot be read at all (a Chinese message)."""


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


def _xlsx(path):
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式。") from exc
    try:
        ws = wb.worksheets[0]
        yield from _rows_from(enumerate(ws.iter_rows(values_only=True), start=1))
    finally:
        wb.close()


def _decode(raw):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError("无法识别文件编码（应为 UTF-8 或 GBK）。")


def _csv(path):
    text = _decode(Path(path).read_bytes())
    yield from _rows_from(enumerate(csv.reader(io.StringIO(text)), start=1))


def read_rows(path, filename=None):
    name = (filename or str(path)).lower()
    if name.endswith(".xlsx"):
        return _xlsx(path)
    if name.endswith(".csv"):
        return _csv(path)
    raise FileError("只支持 .xlsx 或 .csv 文件。")
