"""The reports app's daily job: this month's snapshot as of today (an upsert, so the month's last
run leaves its month-end numbers). It runs after the contact-status refresh of the day.

Registered with the core's daily registry (lianxin/daily.py, issue 18 item 4) when that exists;
until it does, `manage.py take_snapshots` run daily does the same."""

from reports.snapshots import snapshot_take_current

try:
    from lianxin.daily import register_daily
except ImportError:  # the registry has not landed yet: nothing to register with
    register_daily = None

if register_daily is not None:
    register_daily("reports.month_snapshot", snapshot_take_current)
