"""lianxin/clock.py: a deadline months and days after an anchor, and its inverse — the first
anchor whose deadline falls on or after a day — which every overdue rule turns into one indexed
comparison. Checked exhaustively over three years of days, month ends and leap days included."""

from datetime import date, timedelta

import pytest

from lianxin.clock import deadline, earliest_anchor

DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("months", "days"), [(0, 0), (0, 7), (1, 0), (1, 8), (6, 0), (6, 8), (24, -30), (0, -30)]
)
def test_earliest_anchor_is_the_exact_inverse_of_deadline(months, days):
    start = date(2023, 1, 1)
    for offset in range(0, 3 * 366):
        day = start + offset * DAY
        first = earliest_anchor(day, months=months, days=days)
        assert deadline(first, months=months, days=days) >= day
        assert deadline(first - DAY, months=months, days=days) < day


def test_deadline_clamps_to_the_month_end():
    assert deadline(date(2024, 8, 31), months=6) == date(2025, 2, 28)
    assert deadline(date(2024, 8, 31), months=6, days=1) == date(2025, 3, 1)
    assert earliest_anchor(date(2025, 3, 1), months=6) == date(2024, 9, 1)
    assert earliest_anchor(date(2025, 2, 28), months=6) == date(2024, 8, 28)
