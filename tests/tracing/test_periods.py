"""The rule of 与党组织失去联系时间: from the last 组织生活 or 党费 to the end of the search."""

from datetime import date

from tracing.periods import LostPeriod, lost_period

START = date(2024, 5, 10)


def test_the_period_runs_to_the_end_of_the_search_as_known_on_the_forms_date():
    assert lost_period(lost_since=START, closed_on=date(2025, 8, 10), as_of=date(2026, 11, 1)) == LostPeriod(
        START, date(2025, 8, 10)
    )
    # Still searching on the form's date, or the search ended later: up to the form's date.
    assert lost_period(lost_since=START, closed_on=None, as_of=date(2025, 6, 9)).end == date(2025, 6, 9)
    assert lost_period(lost_since=START, closed_on=date(2026, 1, 1), as_of=date(2025, 6, 9)).end == date(
        2025, 6, 9
    )


def test_the_text_is_years_and_months_and_never_negative():
    assert (
        lost_period(lost_since=START, closed_on=date(2025, 8, 10), as_of=date(2026, 1, 1)).text == "1年3个月"
    )
    assert str(lost_period(lost_since=START, closed_on=None, as_of=date(2024, 5, 1))) == "0个月"
