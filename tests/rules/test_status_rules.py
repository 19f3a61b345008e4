"""members/status.py at every boundary: month arithmetic, the 150-day 预警, the one-month 失控
for an unreported absence, 联系不上 at a roll-call, the six-month 失联, and 与党组织失去联系时间.

Each clock is checked exactly at its edge, one day before and one day after."""

from datetime import date, timedelta

import pytest

from members.models import ContactStatus
from members.status import WARNING_DAYS, add_months, compute_status, duration_text, is_lost, lost_threshold

DAY = timedelta(days=1)


def status(last, today, **facts):
    return compute_status(last_contact=last, today=today, **facts)


# ---- add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 15), 11, date(2026, 12, 15)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),  # December → January of the next year
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), 60, date(2031, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), -6, date(2025, 7, 15)),
        (date(2026, 1, 15), -12, date(2025, 1, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # clamped to the month's end
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# ---- 失联: over six calendar months since the last contact ----------------------------------


def test_exactly_six_months_is_not_lost_one_day_more_is():
    last = date(2026, 1, 15)
    assert not is_lost(last, date(2026, 7, 14))
    assert not is_lost(last, date(2026, 7, 15))
    assert is_lost(last, date(2026, 7, 16))


def test_six_months_from_a_month_end():
    last = date(2025, 8, 31)  # six months later is 28 February
    assert not is_lost(last, date(2026, 2, 28))
    assert is_lost(last, date(2026, 3, 1))


def test_no_contact_on_record_is_not_lost_by_the_clock():
    assert not is_lost(None, date(2026, 7, 16))
    assert status(None, date(2026, 7, 16)) == ContactStatus.NORMAL


def test_lost_status_at_the_six_month_edge():
    last = date(2026, 1, 15)
    assert status(last, date(2026, 7, 15)) == ContactStatus.WARNING
    assert status(last, date(2026, 7, 16)) == ContactStatus.LOST


def test_lost_threshold_is_the_first_day_that_is_not_lost():
    # today 2026-07-16: a last contact on 2026-01-15 is lost, on 2026-01-16 it is not
    assert lost_threshold(date(2026, 7, 16)) == date(2026, 1, 16)
    # 2026-03-01: add_months(d, 6) >= 2026-03-01 first for d = 2025-09-01 (2025-08-31 → 2026-02-28)
    assert lost_threshold(date(2026, 3, 1)) == date(2025, 9, 1)
    assert lost_threshold(date(2026, 2, 28)) == date(2025, 8, 28)


def test_lost_threshold_agrees_with_is_lost_on_every_day_of_four_years():
    start = date(2024, 1, 1)  # includes a leap year
    for offset in range(4 * 366):
        today = start + offset * DAY
        threshold = lost_threshold(today)
        assert is_lost(threshold - DAY, today), today
        assert not is_lost(threshold, today), today


# ---- 预警: 150 days without contact --------------------------------------------------------


def test_warning_starts_on_day_150():
    assert WARNING_DAYS == 150
    last = date(2026, 1, 1)
    assert status(last, last + 149 * DAY) == ContactStatus.NORMAL
    assert status(last, last + 150 * DAY) == ContactStatus.WARNING
    assert status(last, last + 151 * DAY) == ContactStatus.WARNING


def test_contact_today_is_normal():
    today = date(2026, 11, 22)
    assert status(today, today) == ContactStatus.NORMAL


# ---- 失控: away over one month without reporting (Shaanxi measure 2) ------------------------


def test_away_unreported_exactly_one_month_is_not_yet_out_of_control():
    today = date(2026, 11, 22)
    assert status(today, today, away_unreported_since=date(2026, 10, 23)) == ContactStatus.NORMAL
    assert status(today, today, away_unreported_since=date(2026, 10, 22)) == ContactStatus.NORMAL
    assert status(today, today, away_unreported_since=date(2026, 10, 21)) == ContactStatus.OUT_OF_CONTROL


def test_away_one_month_from_a_month_end():
    since = date(2026, 1, 31)  # one month later is 28 February
    last = date(2026, 3, 1)
    assert status(last, date(2026, 2, 28), away_unreported_since=since) == ContactStatus.NORMAL
    assert status(last, date(2026, 3, 1), away_unreported_since=since) == ContactStatus.OUT_OF_CONTROL


def test_away_counts_even_without_any_contact_on_record():
    today = date(2026, 11, 22)
    assert status(None, today, away_unreported_since=date(2026, 10, 21)) == ContactStatus.OUT_OF_CONTROL
    assert status(None, today, away_unreported_since=date(2026, 10, 22)) == ContactStatus.NORMAL


# ---- 失控: 联系不上 at a roll-call until reached again (Fuzhou measure 3) ---------------------


def test_unreachable_until_a_contact_on_or_after_the_roll_call():
    roll_call = date(2026, 11, 1)
    today = date(2026, 11, 22)
    assert status(roll_call - DAY, today, unreachable_since=roll_call) == ContactStatus.OUT_OF_CONTROL
    assert status(roll_call, today, unreachable_since=roll_call) == ContactStatus.NORMAL
    assert status(roll_call + DAY, today, unreachable_since=roll_call) == ContactStatus.NORMAL
    assert status(None, today, unreachable_since=roll_call) == ContactStatus.OUT_OF_CONTROL


# ---- precedence 失联 > 失控 > 预警 > 正常 ------------------------------------------------------


def test_lost_wins_over_out_of_control():
    today = date(2026, 11, 22)
    last = add_months(today, -6) - DAY
    assert status(last, today, away_unreported_since=date(2026, 1, 1)) == ContactStatus.LOST
    assert status(last, today, unreachable_since=last + DAY) == ContactStatus.LOST


def test_out_of_control_wins_over_warning():
    today = date(2026, 11, 22)
    last = today - 150 * DAY
    assert status(last, today) == ContactStatus.WARNING
    assert status(last, today, away_unreported_since=last) == ContactStatus.OUT_OF_CONTROL
    assert status(last, today, unreachable_since=last + DAY) == ContactStatus.OUT_OF_CONTROL


# ---- 与党组织失去联系时间: whole months, as "X年Y个月" ----------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 5, 10), date(2026, 5, 10), "0个月"),
        (date(2026, 5, 10), date(2026, 6, 9), "0个月"),  # one day short of a month
        (date(2026, 5, 10), date(2026, 6, 10), "1个月"),
        (date(2026, 5, 10), date(2026, 6, 11), "1个月"),
        (date(2025, 5, 10), date(2026, 5, 9), "11个月"),
        (date(2025, 5, 10), date(2026, 5, 10), "1年"),
        (date(2025, 5, 10), date(2026, 6, 10), "1年1个月"),
        (date(2024, 5, 10), date(2026, 5, 10), "2年"),
        (date(2023, 5, 10), date(2026, 8, 10), "3年3个月"),
        (date(2023, 5, 10), date(2026, 8, 9), "3年2个月"),
        (date(2024, 2, 29), date(2025, 2, 27), "11个月"),
        (date(2024, 2, 29), date(2025, 2, 28), "1年"),  # the anniversary of 29 February
        (date(2026, 1, 31), date(2026, 2, 28), "1个月"),  # a month from a month's end
        (date(2026, 1, 31), date(2026, 2, 27), "0个月"),
        (date(2026, 6, 10), date(2026, 5, 10), "0个月"),  # an end before the start never goes negative
    ],
)
def test_duration_text(start, end, text):
    assert duration_text(start, end) == text
