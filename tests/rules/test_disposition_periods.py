"""disposition/rules.py: the 限期改正 period (six months unless given, after today, at most one
year) and the five-year bar on rejoining, as arithmetic and through the proposal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disposition import rules, services
from disposition.models import Disposition
from disposition.outcomes import Outcome
from members.status import add_months
from tests.factories import CaseFactory, MemberFactory

DAY = timedelta(days=1)


def field_errors(err):
    return {field: [str(m) for m in messages] for field, messages in err.value.message_dict.items()}


# ---- 限期改正: six months unless given; after today; at most one year -----------------------------

PERIOD_MESSAGE = {"correction_until": ["限期改正的期限一般为六个月，最长不超过一年。"]}


@pytest.mark.parametrize(
    ("today", "until", "expected"),
    [
        (date(2026, 11, 22), None, date(2027, 5, 22)),  # six months by default
        (date(2026, 8, 31), None, date(2027, 2, 28)),  # … clamped to the month's end
        (date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 23)),  # one day
        (date(2026, 11, 22), date(2027, 11, 21), date(2027, 11, 21)),
        (date(2026, 11, 22), date(2027, 11, 22), date(2027, 11, 22)),  # exactly one year
        (date(2024, 2, 29), date(2025, 2, 28), date(2025, 2, 28)),  # one year from 29 February
    ],
)
def test_correction_periods_accepted(today, until, expected):
    assert rules.correction_deadline(until, today) == expected


@pytest.mark.parametrize(
    ("today", "until"),
    [
        (date(2026, 11, 22), date(2026, 11, 22)),  # ends today
        (date(2026, 11, 22), date(2026, 11, 21)),  # ends before today
        (date(2026, 11, 22), date(2027, 11, 23)),  # one year and a day
        (date(2026, 11, 22), date(2027, 12, 22)),  # thirteen months
        (date(2024, 2, 29), date(2025, 3, 1)),
    ],
)
def test_correction_periods_refused(today, until):
    with pytest.raises(ValidationError) as err:
        rules.correction_deadline(until, today)
    assert field_errors(err) == PERIOD_MESSAGE


def test_the_usual_and_longest_periods():
    assert (rules.CORRECTION_MONTHS, rules.CORRECTION_MAX_MONTHS) == (6, 12)


# ---- five years before rejoining ------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved_on", "barred_until"),
    [
        (date(2026, 11, 22), date(2031, 11, 22)),
        (date(2024, 2, 29), date(2029, 2, 28)),
        (date(2026, 12, 31), date(2031, 12, 31)),
    ],
)
def test_rejoin_barred_for_sixty_months(approved_on, barred_until):
    assert rules.rejoin_barred_until(approved_on) == barred_until


# ---- through the proposal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "days", "accepted"),
    [(12, 0, True), (12, 1, False), (13, 0, False), (0, 0, False), (0, 1, True)],
)
def test_correction_period_through_the_proposal(world, org, months, days, accepted):
    branch = org("branch_a1")
    today = timezone.localdate()
    m = MemberFactory(organization=branch)
    case = CaseFactory(
        member=m,
        opened_by=world.users["branch_a1"],
        opened_on=today - 30 * DAY,
        lost_since=today - 400 * DAY,
        status="contacted",
        closed_on=today,
    )
    until = add_months(today, months) + days * DAY

    def propose():
        return services.disposition_propose(
            case=case,
            outcome=Outcome.CORRECTION,
            proposal="限期改正",
            acting_user=world.users["branch_a1"],
            correction_until=until,
        )

    if accepted:
        assert propose().correction_until == until
    else:
        with pytest.raises(ValidationError) as err:
            propose()
        assert field_errors(err) == PERIOD_MESSAGE
        assert not Disposition.objects.exists()


def test_correction_defaults_to_six_months(world, org):
    branch = org("branch_a1")
    today = timezone.localdate()
    case = CaseFactory(
        member=MemberFactory(organization=branch),
        opened_by=world.users["branch_a1"],
        opened_on=today - 30 * DAY,
        lost_since=today - 400 * DAY,
        status="contacted",
        closed_on=today,
    )
    d = services.disposition_propose(
        case=case, outcome=Outcome.CORRECTION, proposal="限期改正", acting_user=world.users["branch_a1"]
    )
    assert d.correction_until == add_months(today, 6)
