"""The arithmetic of a disposition, as pure functions of numbers and dates.

The services read the facts (voters, today) and call these; the tests in tests/rules check
each boundary on both sides, and `make mutate` checks that the tests would notice a change.

- 支部党员大会: it may decide only when MORE than half of the members entitled to vote are
  present; a motion passes only when MORE than half of those entitled to vote (not of those
  present) vote for it; nobody votes twice, so 赞成 + 反对 + 弃权 ≤ present ≤ entitled.
- 限期改正: the period is normally six months and at most one year, ending after today.
- 劝退 and the 除名 variants: the member may not join again within five years.
"""

from datetime import date

from django.core.exceptions import ValidationError

from members.status import add_months

CORRECTION_MONTHS = 6  # the usual period of 限期改正
CORRECTION_MAX_MONTHS = 12
REJOIN_BAR_MONTHS = 60


def is_quorate(present: int, expected: int) -> bool:
    """The meeting may decide: more than half of those entitled to vote are present."""
    return present * 2 > expected


def is_adopted(votes_for: int, expected: int) -> bool:
    """The motion passes: more than half of those entitled to vote voted for it."""
    return votes_for * 2 > expected


def check_meeting_date(meeting_date: date | None, today: date) -> date:
    if not meeting_date:
        raise ValidationError({"meeting_date": "请填写会议日期。"})
    if meeting_date > today:
        raise ValidationError({"meeting_date": "会议日期不能晚于今天。"})
    return meeting_date


def check_votes(
    *, expected: int, present: int | None, votes_for: int, votes_against: int, votes_abstain: int
):
    """The counts of a 支部党员大会 that votes; a ValidationError on the field at fault."""
    if present is None:
        raise ValidationError({"present": "请填写实到会有表决权党员人数。"})
    if present > expected:
        raise ValidationError({"present": f"实到人数不能超过应到会有表决权的正式党员人数（{expected}人）。"})
    if not is_quorate(present, expected):
        raise ValidationError(
            {"present": f"到会有表决权党员未超过应到会人数（{expected}人）的半数，会议无效。"}
        )
    if votes_for + votes_against + votes_abstain > present:
        raise ValidationError({"votes_for": "赞成、反对、弃权人数之和不能超过实到人数。"})


def correction_deadline(until: date | None, today: date) -> date:
    """The end of a 限期改正: six months from today unless given; after today, within a year."""
    until = until or add_months(today, CORRECTION_MONTHS)
    if until > add_months(today, CORRECTION_MAX_MONTHS) or until <= today:
        raise ValidationError({"correction_until": "限期改正的期限一般为六个月，最长不超过一年。"})
    return until


def rejoin_barred_until(approved_on: date) -> date:
    """Until when a member persuaded out or removed may not join again: five years after approval."""
    return add_months(approved_on, REJOIN_BAR_MONTHS)
