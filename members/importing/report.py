"""The rejected rows as a downloadable xlsx: row, column, value and the reason."""

from openpyxl import Workbook

from lianxin import spreadsheet


def write_rejected(stream, errors):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("未通过校验的行")
    for column, width in zip("ABCD", (8, 16, 24, 60), strict=True):
        ws.column_dimensions[column].width = width
    ws.append(spreadsheet.row(ws, ["行号", "列", "值", "原因"]))
    for e in errors:
        ws.append(spreadsheet.row(ws, [e.row, e.column, e.value, e.reason]))
    wb.save(stream)
