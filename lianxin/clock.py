"""Calendar arithmetic shared by every clock: months that clamp to the month's end, and the
inverse a list query needs ("whose deadline is before this day?" as a filter on the start date).
"""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (2024-08-31 + 6 → 2025-02-28)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(anchor: date, *, months: int = 0, days: int = 0) -> date:
    """A clock's deadline: `months` calendar months, then `days` days, after its anchor."""
    return add_months(anchor, months) + timedelta(days=days)


def earliest_anchor(day: date, *, months: int = 0, days: int = 0) -> date:
    """The first anchor whose deadline is on or after `day`.

    `deadline` never decreases as its anchor grows, so "deadline before `day`" is exactly
    "anchor before earliest_anchor(day)": one indexed comparison on the anchor column."""
    target = day - timedelta(days=days)
    anchor = add_months(target, -months)
    while add_months(anchor, months) < target:  # clamping can land a day or three early
        anchor += timedelta(days=1)
    return anchor
