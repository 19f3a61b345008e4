"""The shared factories date everything from an injected today (tests/factories.py), so no
test data ages: a member stays 41, a case stays half a year old, whatever day the suite runs."""

from datetime import date

from members import idcard
from tests.factories import CaseFactory, MemberFactory


def test_dates_follow_the_injected_today():
    for today in (date(2026, 11, 30), date(2031, 2, 28)):
        member = MemberFactory.build(today=today)
        case = CaseFactory.build(today=today, member=member, organization=None)
        assert today.year - member.birth_date.year in (41, 42)
        assert member.birth_date < member.joined_on < case.lost_since < case.opened_on < today
        assert (today - case.opened_on).days == 182
        assert (
            idcard.parse(member.id_number, today=today).birth_date == member.birth_date
        )  # the number follows
