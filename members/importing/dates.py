"""The date forms people type into a 花名册: 1985.03, 1985-03-15, 1985年3月, 1985/3/15, 198503, Excel cells."""

import re
from datetime import date, datetime, timedelta

EXCEL_EPOCH = date(1899, 12, 30)
PATTERNS = [
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?)?月?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
]


class DateError(ValueError):
    pass


def parse_date(value):
    """A date from a cell; the first of the month when only year and month are given."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel serial number
            return EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value))
    text = str(value).strip().replace(" ", "")
    for pattern in PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
            try:
                return date(year, month, day)
            except ValueError:
                raise DateError(f"“{value}”不是有效日期") from None
    raise DateError(f"无法识别的日期“{value}”（可写作 1985.03、1985-03-15、1985年3月）")
