"""The first worksheet of an .xlsx, read as a stream with the limits of limits.py checked before and
while reading.

openpyxl's read-only mode inflates whatever the zip holds and builds each row whole (a crafted row
can hold millions of cells). Here the zip is checked before a byte is inflated, and the XML is read
by a SAX target that keeps nothing but the current cell's text and the current row, so memory stays
flat whatever the file holds (it is also twice as fast). Values come out as openpyxl's read-only mode
gives them: shared and inline strings, numbers as int or float, date-formatted numbers as datetimes.
"""

import posixpath
import struct
import zipfile
import zlib

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from members.importing import limits
from members.importing.limits import FileError

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ROW, CELL, VALUE, INLINE, TEXT, PHONETIC, SI = (
    f"{MAIN}{tag}" for tag in ("row", "c", "v", "is", "t", "rPh", "si")
)
CORRUPT = "无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式。"
CHUNK = 64 * 1024
MAX_STYLES = 100_000  # Excel itself allows 64,000 cell formats


def _too_many_parts(count):
    return FileError(
        f"压缩包内文件数过多（{count} 个，最多 {limits.MAX_ZIP_ENTRIES} 个），不是正常的 Excel 文件。"
    )


def _directory_entries(path):
    """The entry count from the zip's end record, read before zipfile builds an object per entry
    (a million tiny entries would cost gigabytes before any other check)."""
    with open(path, "rb") as fp:
        fp.seek(0, 2)
        fp.seek(max(0, fp.tell() - 22 - 65535))
        tail = fp.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise FileError(CORRUPT)
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def open_checked(path):
    """The zip, once its entry count, inflated size and compression ratios passed the limits."""
    entries = _directory_entries(path)
    if entries > limits.MAX_ZIP_ENTRIES:
        raise _too_many_parts(entries)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(CORRUPT) from exc
    parts = zf.infolist()
    if len(parts) > limits.MAX_ZIP_ENTRIES:
        raise _too_many_parts(len(parts))
    total = sum(info.file_size for info in parts)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise FileError(
            f"文件解压后达 {total // limits.MB} MB，超过 {limits.MAX_UNCOMPRESSED_BYTES // limits.MB} MB 的上限，"
            "请分成多个文件导入。"
        )
    for info in parts:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > limits.RATIO_FLOOR and ratio > limits.MAX_RATIO:
            raise FileError(
                f"文件压缩比异常（{info.filename} 解压后是压缩前的 {ratio} 倍），不是正常的 Excel 文件，已拒绝读取。"
            )
    return zf


def _feed(zf, name, target):
    """Parse part `name` into the SAX `target`, a chunk at a time; yields after each chunk."""
    parser = etree.XMLParser(target=target, resolve_entities=False, no_network=True)
    with zf.open(name) as stream:
        while chunk := stream.read(CHUNK):
            parser.feed(chunk)
            yield
    parser.close()


def _small_part(zf, name):
    """A part read whole: the workbook and relationship parts, a few kB in any real file."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limits.MAX_PART_BYTES:
        raise FileError(f"文件中的 {name} 过大，不是正常的 Excel 文件。")
    return etree.fromstring(zf.read(info), etree.XMLParser(resolve_entities=False, no_network=True))


def _relations(zf, source):
    """{relationship id: (type, part name)} of part `source` ('' for the package itself)."""
    folder, name = posixpath.split(source)
    tree = _small_part(zf, posixpath.join(folder, "_rels", f"{name}.rels"))
    found = {}
    for rel in tree if tree is not None else ():
        target = rel.get("Target", "")
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return found


def _first_sheet(zf):
    """(part of the first worksheet, of the shared strings, of the styles, the date epoch)."""
    package = _relations(zf, "")
    book = next((path for kind, path in package.values() if kind == "officeDocument"), "xl/workbook.xml")
    tree = _small_part(zf, book)
    if tree is None:
        raise FileError(CORRUPT)
    relations = _relations(zf, book)
    sheets = [relations.get(s.get(f"{REL}id"), ("", "")) for s in tree.iter(f"{MAIN}sheet")]
    sheet = next((path for kind, path in sheets if kind == "worksheet"), None)
    if sheet is None:
        raise FileError("该 Excel 文件中没有工作表。")
    by_kind = {kind: path for kind, path in relations.values()}
    properties = tree.find(f"{MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    return (
        sheet,
        by_kind.get("sharedStrings"),
        by_kind.get("styles"),
        (CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900),
    )


class _Text:
    """Collects the text of <v>, or of the <t>s of an <si>/<is> (phonetic runs left out), bounded."""

    def __init__(self):
        self.parts, self.size, self.capture, self.phonetic = None, 0, False, 0

    def begin(self):
        self.parts, self.size = [], 0

    def start_text(self, tag):
        if tag == PHONETIC:
            self.phonetic += 1
        elif self.parts is not None and not self.phonetic and tag in (VALUE, TEXT):
            self.capture = True

    def end_text(self, tag):
        if tag == PHONETIC:
            self.phonetic -= 1
        elif tag in (VALUE, TEXT):
            self.capture = False

    def data(self, text):
        if self.capture:
            self.size += len(text)
            if self.size > limits.MAX_CELL_CHARS:
                raise self.too_long()
            self.parts.append(text)

    def take(self):
        text, self.parts = "".join(self.parts), None
        return text


class _SharedStrings(_Text):
    def __init__(self):
        super().__init__()
        self.strings = []

    def too_long(self):
        return FileError(
            f"文件中有超过 {limits.MAX_CELL_CHARS} 个字符的文字（Excel 单元格的上限），请检查文件。"
        )

    def start(self, tag, attrib):
        if tag == SI:
            self.begin()
        else:
            self.start_text(tag)

    def end(self, tag):
        if tag == SI and self.parts is not None:
            self.strings.append(self.take().replace("x005F_", ""))
            if len(self.strings) > limits.MAX_SHARED_STRINGS:
                raise FileError("文件中的文字条目过多，请分成多个文件导入。")
        else:
            self.end_text(tag)

    def close(self):
        return self.strings


class _Styles:
    """Which cell styles format a number as a date (or a duration)."""

    def __init__(self):
        self.formats, self.codes, self.in_cell_formats = dict(BUILTIN_FORMATS), [], False

    def start(self, tag, attrib):
        if tag == f"{MAIN}numFmt":
            self.formats[int(attrib.get("numFmtId", "0"))] = attrib.get("formatCode", "")
        elif tag == f"{MAIN}cellXfs":
            self.in_cell_formats = True
        elif tag == f"{MAIN}xf" and self.in_cell_formats:
            self.codes.append(int(attrib.get("numFmtId", "0")))
        if len(self.codes) + len(self.formats) > MAX_STYLES:
            raise FileError("文件中的单元格样式过多，不是正常的 Excel 文件。")

    def end(self, tag):
        if tag == f"{MAIN}cellXfs":
            self.in_cell_formats = False

    def data(self, text):
        pass

    def close(self):
        codes = [self.formats.get(number, "") for number in self.codes]
        return (
            {i for i, code in enumerate(codes) if is_date_format(code)},
            {i for i, code in enumerate(codes) if is_timedelta_format(code)},
        )


class _Sheet(_Text):
    """Rows of a worksheet: `rows` holds those finished since the caller last took them."""

    def __init__(self, shared, dates, durations, epoch):
        super().__init__()
        self.shared, self.dates, self.durations, self.epoch = shared, dates, durations, epoch
        self.rows, self.cells, self.number, self.count, self.column = [], {}, 0, 0, 0
        self.kind, self.style = "n", 0

    def too_long(self):
        return limits.cell_too_long(self.number, self.column)

    def start(self, tag, attrib):
        if tag == CELL:
            ref = attrib.get("r")
            self.column = column_index_from_string(ref.rstrip("0123456789")) if ref else self.column + 1
            self.kind, self.style = attrib.get("t", "n"), int(attrib.get("s") or 0)
            self.begin()
        elif tag == ROW:
            self.count += 1
            if self.count > limits.MAX_ROWS:
                raise limits.too_many_rows()
            self.number = int(attrib.get("r") or self.number + 1)
            self.cells, self.column = {}, 0
        elif tag == f"{MAIN}dimension":
            last = attrib.get("ref", "").rpartition(":")[2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if last.isdigit() and int(last) > limits.MAX_ROWS:
                raise limits.too_many_rows()
        else:
            self.start_text(tag)

    def end(self, tag):
        if tag == CELL:
            value = self.value(self.take())
            if value is not None and value != "":
                if self.column > limits.MAX_COLUMNS:
                    raise limits.too_many_columns(self.number)
                self.cells[self.column] = value
        elif tag == ROW:
            self.rows.append(
                (self.number, [self.cells.get(i) for i in range(1, max(self.cells, default=0) + 1)])
            )
        else:
            self.end_text(tag)

    def value(self, text):
        if not text:
            return None
        if self.kind in ("inlineStr", "str", "e"):
            return text  # str: a formula's cached text; e: an error such as #N/A
        if self.kind == "s":
            return self.shared[int(text)]
        if self.kind == "b":
            return bool(int(text))
        if self.kind == "d":
            return from_ISO8601(text)
        number = float(text) if "." in text or "E" in text or "e" in text else int(text)
        if self.style not in self.dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=self.style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"

    def close(self):
        return None


def read_xlsx(path):
    """(row number, [cell values]) of the first worksheet, streamed."""
    zf = open_checked(path)
    try:
        sheet_part, strings_part, styles_part, epoch = _first_sheet(zf)
        shared = _SharedStrings()
        if strings_part in zf.namelist():
            if zf.getinfo(strings_part).file_size > limits.MAX_SHARED_STRINGS_BYTES:
                raise FileError("文件中的文字条目过多，请分成多个文件导入。")
            for _chunk in _feed(zf, strings_part, shared):
                pass
        styles = _Styles()
        if styles_part in zf.namelist():
            for _chunk in _feed(zf, styles_part, styles):
                pass
        sheet = _Sheet(shared.strings, *styles.close(), epoch)
        for _chunk in _feed(zf, sheet_part, sheet):
            yield from sheet.rows
            sheet.rows = []
        yield from sheet.rows
    except FileError:
        raise
    except (
        etree.XMLSyntaxError,
        zipfile.BadZipFile,
        zlib.error,
        LookupError,
        ValueError,
        OSError,
        EOFError,
        RuntimeError,
    ) as exc:
        raise FileError(CORRUPT) from exc
    finally:
        zf.close()
