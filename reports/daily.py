"""The reports app's daily job: this month's snapshot as of today (an upsert, so the month's last
run leaves its month-end numbers). It runs after the day's contact-status refresh, whose stored
statuses it counts."""

from lianxin.daily import register_daily
from reports.snapshots import snapshot_take


def month_snapshot(*, today):
    return {"organizations": snapshot_take(today, today=today)}


register_daily("month_snapshot", month_snapshot, after=("refresh_statuses",))
