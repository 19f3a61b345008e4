"""Demo 成员自报 (fixtures/demo/selfreports.json): two waiting on their branch's 工作台 and 待办, two
confirmed (one updating the member's record), one rejected and its code rotated.

Every step through the services, by the branch's secretary; the dates then set back with the
history saying so (lianxin.demo.backdate). Run at the end of members' seed; idempotent: a member
who already has a report is left alone.
"""

from datetime import datetime, time

from django.utils import timezone

from lianxin.demo import backdate, holder
from lianxin.fixtures import load
from members import codes, selfreports
from members.models import Member, SelfReport

REPORTS = load("demo/selfreports.json")["reports"]
FIELDS = ("residence", "workplace", "phone", "attending", "message")


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _decide(report, spec, secretary, ago, today):
    if spec["decision"] == "confirm":
        selfreports.selfreport_confirm(
            report=report, update_record=spec["update_record"], acting_user=secretary
        )
    else:
        selfreports.selfreport_reject(report=report, reason=spec["reason"], acting_user=secretary)
    return backdate(report, decided_at=_moment(ago(spec["decided"], today), 10))


def seed(ago, today, stdout=None):
    """`ago` reads the fixture's "5d" (members.demo.ago)."""
    made = 0
    for spec in REPORTS:
        member = Member.objects.filter(organization__code=spec["branch"], name=spec["name"]).first()
        if member is None or SelfReport.objects.filter(member=member).exists():
            continue
        codes.member_code(member)  # the code the member used: issued when the card was printed
        report = selfreports.selfreport_receive(
            member=member, via=spec["via"], **{field: spec[field] for field in FIELDS}
        )
        # Sent on its day: the 联系记录 of a confirmation is dated the day the report was sent.
        report = backdate(report, received_at=_moment(ago(spec["received"], today), spec["at"]))
        secretary = holder(member.organization, "书记")
        if "decision" in spec:
            _decide(report, spec, secretary, ago, today)
        if spec.get("rotate_code"):
            codes.member_code_rotate(member=member, acting_user=secretary)
        made += 1
    if stdout and made:
        stdout.write(f"  成员自报 {made} 件")
