"""The contact-status rule at its boundaries (one month, day 150, six months, month ends)."""

from datetime import date

from members.models import ContactStatus
from members.status import add_months, compute_status, duration_text, is_lost, lost_threshold


def status(last, today, **kw):
    return compute_status(last_contact=last, today=today, **kw)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2026, 1, 15), -6) == date(2025, 7, 15)


def test_six_months_exactly_is_not_yet_lost_one_day_more_is():
    last = date(2026, 1, 15)
    assert status(last, date(2026, 7, 15)) == ContactStatus.WARNING
    assert status(last, date(2026, 7, 16)) == ContactStatus.LOST


def test_six_months_across_a_short_month():
    last = date(2025, 8, 31)
    assert not is_lost(last, date(2026, 2, 28))
    assert is_lost(last, date(2026, 3, 1))


def test_warning_from_day_150():
    last = date(2026, 1, 1)
    assert status(last, date(2026, 5, 30)) == ContactStatus.NORMAL  # day 149
    assert status(last, date(2026, 5, 31)) == ContactStatus.WARNING  # day 150


def test_away_over_one_month_unreported_is_out_of_control():
    today = date(2026, 11, 22)
    assert status(today, today, away_unreported_since=date(2026, 10, 22)) == ContactStatus.NORMAL
    assert status(today, today, away_unreported_since=date(2026, 10, 21)) == ContactStatus.OUT_OF_CONTROL


def test_unreachable_at_roll_call_until_reached_again():
    roll_call = date(2026, 11, 1)
    assert (
        status(date(2026, 10, 1), date(2026, 11, 22), unreachable_since=roll_call)
        == ContactStatus.OUT_OF_CONTROL
    )
    assert status(date(2026, 11, 5), date(2026, 11, 22), unreachable_since=roll_call) == ContactStatus.NORMAL


def test_lost_wins_over_out_of_control():
    assert (
        status(date(2025, 1, 1), date(2026, 11, 22), away_unreported_since=date(2026, 1, 1))
        == ContactStatus.LOST
    )


def test_lost_threshold_agrees_with_is_lost_every_day_of_two_years():
    today = date(2025, 1, 1)
    for offset in range(730):
        day = date.fromordinal(today.toordinal() + offset)
        threshold = lost_threshold(day)
        assert is_lost(date.fromordinal(threshold.toordinal() - 1), day)
        assert not is_lost(threshold, day)


def test_duration_in_years_and_months():
    # In a year without 29 February, the anniversary of 29 February is the 28th.
    assert duration_text(date(2024, 2, 29), date(2025, 2, 27)) == "11个月"
    assert duration_text(date(2024, 2, 29), date(2025, 2, 28)) == "1年"
    assert duration_text(date(2023, 5, 10), date(2026, 8, 10)) == "3年3个月"
    assert duration_text(date(2026, 5, 10), date(2026, 6, 9)) == "0个月"
