"""Demo 逐级报: the 名册 of the closed 排查 periods, submitted level by level.

For the last closed period every branch under 城关镇 and the 教育工委 submits (its secretary),
城关镇党委 returns 西关村's with a reason and 西关村 submits again, the 党委 (for itself and
for the 南街党总支, which has no user of its own) and the 工委 submit; the 非公 committee has
not, so the county sees it missing. For the periods before, the two committees submitted.
Submission times are set to a few days after each period's end (`backdate`, history saying so).
Idempotent: nothing is added once any submission exists.

Then, last of the whole demo, the monthly snapshots of the last two years are rebuilt from the
demo's dated history, so the trend pages have real lines (months already taken are kept).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from lianxin.demo import backdate, holder
from lianxin.models import Organization
from members.demo import TEXTS
from members.status import add_months
from reports import submissions
from reports.models import Submission
from reports.snapshots import snapshots_backfill
from tracing.models import CensusPeriod

DEMO_MONTHS = 24
COMMITTEES = {"610581001": "committee_a", "610581002": "committee_b"}  # code → its reviewer's login
RETURNED = "610581001002"  # 西关村


def _submit(org, as_of, user, days):
    submission = submissions.submission_submit(organization=org, as_of=as_of, acting_user=user)
    when = timezone.make_aware(datetime.combine(as_of + timedelta(days=days), time(16)))
    return backdate(submission, submitted_at=min(when, timezone.now()))


def _last_period(world, as_of):
    orgs = world.orgs
    committee_users = {code: world.users[name] for code, name in COMMITTEES.items()}
    for branch in world.branches:
        if branch.code.startswith(tuple(COMMITTEES)):
            submission = _submit(branch, as_of, holder(branch, "书记"), 3)
            if branch.code == RETURNED:
                submissions.submission_return(
                    submission=submission,
                    reason=TEXTS["submission_return"],
                    acting_user=committee_users["610581001"],
                )
                _submit(branch, as_of, holder(branch, "书记"), 6)
    general = Organization.objects.get(code="610581001003")
    _submit(general, as_of, committee_users["610581001"], 7)
    for code, user in committee_users.items():
        _submit(orgs[code], as_of, user, 9)


def seed(world, rng, stdout=None):
    _submissions(world, stdout)
    since = add_months(timezone.localdate().replace(day=1), -(DEMO_MONTHS - 1))
    months = snapshots_backfill(since)
    if stdout:
        stdout.write(f"  月度快照：{len(months)} 个月（自 {since:%Y-%m}）")


def _submissions(world, stdout):
    if Submission.objects.exists():
        return
    today = timezone.localdate()
    closed = list(
        CensusPeriod.objects.filter(organization=world.root, ends_on__lt=today).order_by("-ends_on")
    )
    if not closed:
        return
    _last_period(world, closed[0].ends_on)
    for period in closed[1:]:
        for code, name in COMMITTEES.items():
            _submit(world.orgs[code], period.ends_on, world.users[name], 9)
    if stdout:
        stdout.write(f"  名册上报 {Submission.objects.count()} 份")
