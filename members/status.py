"""The contact-status rule, as a pure function of the facts and today's date.

Precedence 失联 > 失控 > 预警 > 正常:
- 失联: more than six calendar months since the last contact (attendance, dues, a contact);
- 失控: away more than one month without reporting to the branch (Shaanxi 2), or marked
  "not reachable" at a roll-call and not reached since (Fuzhou 3);
- 预警: 150 days or more without contact — a month before it becomes 失联.
"""

from datetime import date

from django.conf import settings

from lianxin.clock import add_months, earliest_anchor
from members.models import ContactStatus

# The defaults of LIANXIN["OVERDUE"] (lianxin/settings.py), which is what the clocks read.
WARNING_DAYS = 150


def limit(name):
    """A threshold of the clocks, from LIANXIN["OVERDUE"] (the seeds' values by default)."""
    return settings.LIANXIN["OVERDUE"][name]


def is_lost(last_contact: date | None, today: date) -> bool:
    return last_contact is not None and today > add_months(last_contact, limit("LOST_MONTHS"))


def lost_threshold(today: date) -> date:
    """Members whose last contact is before this date are 失联 today (for list queries)."""
    # is_lost ⇔ last < the earliest day d with add_months(d, 6) >= today
    return earliest_anchor(today, months=limit("LOST_MONTHS"))


def compute_status(
    *,
    last_contact: date | None,
    today: date,
    away_unreported_since: date | None = None,
    unreachable_since: date | None = None,
) -> str:
    if is_lost(last_contact, today):
        return ContactStatus.LOST
    if away_unreported_since is not None and today > add_months(
        away_unreported_since, limit("AWAY_UNREPORTED_MONTHS")
    ):
        return ContactStatus.OUT_OF_CONTROL
    if unreachable_since is not None and (last_contact is None or last_contact < unreachable_since):
        return ContactStatus.OUT_OF_CONTROL
    if last_contact is not None and (today - last_contact).days >= limit("WARNING_DAYS"):
        return ContactStatus.WARNING
    return ContactStatus.NORMAL


def duration_text(start: date, end: date) -> str:
    """与党组织失去联系时间 as "X年Y个月" (whole months from start to end)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    months = max(months, 0)
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"
