"""How big an imported file may be. A real 花名册 is far below every limit (100,000 members in ten
columns: a 5.6 MB .xlsx whose sheet inflates to 82 MB, ratio 15); a crafted file is refused with a
Chinese message before it is parsed (zip checks) or as soon as it crosses a limit while being read,
so it costs seconds and little memory."""

MB = 1024 * 1024

MAX_ZIP_ENTRIES = 500  # a workbook has a dozen parts
MAX_UNCOMPRESSED_BYTES = 256 * MB  # all parts together, inflated
MAX_RATIO = 100  # inflated / compressed size of a part (real sheets: 5–20; a zip bomb: ~1000)
RATIO_FLOOR = MB  # parts smaller than this are not worth a ratio check
MAX_PART_BYTES = 8 * MB  # workbook, relationships, styles: read whole, so kept small
MAX_SHARED_STRINGS = 1_000_000  # distinct texts of a workbook (each costs memory while reading)
MAX_SHARED_STRINGS_BYTES = 48 * MB

MAX_ROWS = 200_000  # rows of the sheet, title and header rows included
MAX_COLUMNS = 200  # columns holding a value
MAX_CELL_CHARS = 32767  # what an Excel cell can hold
MAX_LINE_CHARS = 1_000_000  # one line of a .csv


class FileError(ValueError):
    """The file cannot be read at all, or is refused (a Chinese message)."""


def too_many_rows():
    return FileError(f"表格超过 {MAX_ROWS} 行，请分成多个文件导入。")


def too_many_columns(row):
    return FileError(f"第 {row} 行超过 {MAX_COLUMNS} 列，请删去多余的列后再导入。")


def cell_too_long(row, column=None):
    where = f"第 {row} 行第 {column} 列" if column else f"第 {row} 行有单元格"
    return FileError(f"{where}的内容超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限），请检查文件。")
