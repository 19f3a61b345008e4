"""Demo snapshots: the last two years' monthly snapshots rebuilt from the demo's dated history,
so the trend pages have real lines. Runs last (reports seeds after every other app); months
already taken are kept, so running the demo seed again changes nothing but the current month."""

from django.utils import timezone

from members.status import add_months
from reports.snapshots import snapshots_backfill

DEMO_MONTHS = 24


def seed(world, rng, stdout):
    since = add_months(timezone.localdate().replace(day=1), -(DEMO_MONTHS - 1))
    months = snapshots_backfill(since)
    if stdout:
        stdout.write(f"月度快照：{len(months)} 个月（自 {since:%Y-%m}）")
