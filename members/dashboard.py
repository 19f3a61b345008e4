"""工作台 panels of the members app: who is slipping away, before they are lost.

The thresholds are computed from today's date, so the lists are right even on a day the
status cron did not run. Panels over one table share a query while they are short. Past a
committee's size the three member panels take their numbers from the counters (lianxin/dashboard.py
`counted`): 即将失联 is then the members the daily refresh marked 预警.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lianxin import access
from lianxin.dashboard import Panel, count_and_first, count_and_first_each, counted
from members.models import Absence, ContactStatus, Member, PartyStatus, SelfReport, SelfReportStatus, Transfer
from members.status import WARNING_DAYS, add_months, lost_threshold

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]


def _member_items(rows, detail):
    return [(m.name, reverse("members:member_detail", args=[m.pk]), detail(m)) for m in rows]


def _absence_items(rows, detail):
    return [(a.member.name, reverse("members:member_detail", args=[a.member.pk]), detail(a)) for a in rows]


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    list_url = reverse("members:member_list")
    members = access.scoped(user, access.VIEW, Member.objects.filter(party_status__in=ACTIVE))
    totals = counted(user)
    member_panels = count_and_first_each(
        members,
        {
            "unreachable": (Q(unreachable_since__isnull=False), ("unreachable_since", "pk")),
            "out_of_control": (Q(contact_status=ContactStatus.OUT_OF_CONTROL), ("last_contact_on", "pk")),
            "approaching": (
                Q(
                    last_contact_on__gte=lost_threshold(today),
                    last_contact_on__lte=today - timedelta(days=WARNING_DAYS),
                ),
                ("last_contact_on", "pk"),
            ),
        },
        counts=totals
        and {
            "unreachable": totals["members.unreachable"],
            "out_of_control": totals[f"members.{ContactStatus.OUT_OF_CONTROL}"],
            "approaching": totals[f"members.{ContactStatus.WARNING}"],
        },
    )
    absences = access.scoped(
        user, access.VIEW, Absence.objects.filter(returned_on__isnull=True)
    ).select_related("member")
    absence_panels = count_and_first_each(
        absences,
        {
            "graduates_due": (Q(kind="graduate", left_on__lte=add_months(today, -22)), ("left_on", "pk")),
            "abroad_due": (
                Q(kind="abroad")
                & (
                    Q(member__last_contact_on__lt=today - timedelta(days=182))
                    | Q(member__last_contact_on__isnull=True)
                ),
                ("left_on", "pk"),
            ),
        },
    )
    receipts = (
        access.scoped(
            user, access.VIEW, Transfer.objects.filter(direction="out", receipt_received_on__isnull=True)
        )
        .select_related("member")
        .order_by("talk_on", "pk")
    )
    receipt_count, receipt_rows = count_and_first(receipts)
    expired = receipts.filter(letter_valid_until__lt=today).count() if receipt_count else 0
    graduates = absence_panels["graduates_due"]
    abroad = absence_panels["abroad_due"]
    unreachable = member_panels["unreachable"]
    out_of_control = member_panels["out_of_control"]
    approaching = member_panels["approaching"]
    return self_report_panels(user) + [
        Panel(
            "毕业生组织关系在校将满两年",
            graduates[0],
            list_url,
            "warn",
            _absence_items(graduates[1], lambda a: f"离校 {a.left_on:%Y-%m-%d}"),
            "组织关系在高校最多保留两年，请督促转接",
        ),
        Panel(
            "介绍信回执未收回",
            receipt_count,
            list_url,
            "danger" if expired else "warn",
            [
                (t.member.name, reverse("members:member_detail", args=[t.member.pk]), t.other_organization)
                for t in receipt_rows
            ],
            f"其中 {expired} 份介绍信已过有效期；回执未收回前要持续跟踪"
            if expired
            else "回执未收回前要持续跟踪",
        ),
        Panel(
            "联系不上，需立即查找",
            unreachable[0],
            list_url,
            "danger",
            _member_items(unreachable[1], lambda m: f"自 {m.unreachable_since:%Y-%m-%d}"),
            "组织生活点名时联系不上的党员",
        ),
        Panel(
            "失控党员",
            out_of_control[0],
            list_url + "?status=out_of_control",
            "danger",
            _member_items(out_of_control[1], lambda m: "外出超过一个月未报告或联系不上"),
        ),
        Panel(
            "即将失联（超过150天未联系）",
            approaching[0],
            list_url + "?status=warning",
            "warn",
            _member_items(approaching[1], lambda m: f"最近联系 {m.last_contact_on:%Y-%m-%d}"),
            "满六个月未联系即为失联，请尽快联系",
        ),
        Panel(
            "出国（境）党员半年未联系",
            abroad[0],
            list_url,
            "warn",
            _absence_items(abroad[1], lambda a: a.country),
            "出国（境）党员至少每半年联系一次",
        ),
    ]


def self_report_panels(user):
    """成员自报待确认: waiting on the branch, first on its 工作台 (a report counts once confirmed)."""
    if not access.has_any(user, "manage_members"):
        return []
    pending = access.scoped(
        user, "manage_members", SelfReport.objects.filter(status=SelfReportStatus.PENDING)
    ).select_related("member")
    count, rows = count_and_first(pending.order_by("received_at", "pk"))
    return [
        Panel(
            "成员自报待确认",
            count,
            reverse("members:selfreport_list"),
            "danger",
            [
                (
                    r.member.name,
                    reverse("members:selfreport_detail", args=[r.pk]),
                    f"{timezone.localtime(r.received_at):%m-%d %H:%M} {r.get_via_display()}",
                )
                for r in rows
            ],
            "党员通过归队码报送的近况：电话核实后确认或驳回",
        )
    ]
