"""工作台 panels of the members app: who is slipping away, before they are lost.

`watch_panels` watch the scope (date-relative counts, no decision waiting on the user): past a
committee's size they come from the worker's snapshot (lianxin/todo_snapshot.py). `panels` —
the self-reports waiting on the branch — stay live.

Each panel counts a named filter of the member list (members/listfilters.py) and links to the
list opened with it. The thresholds are computed from today's date, so the lists are right
even on a day the status cron did not run. The panels on the member's own columns share one
query while they are short; those on a member's absences and transfers are read from the few
rows that match (a semi-join), not by testing every member of a province.
"""

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from lianxin import access, listfilters, perms
from lianxin.dashboard import Panel, count_and_first, count_and_first_each, counted
from members.models import Absence, AbsenceKind, ContactStatus, SelfReport, SelfReportStatus, Transfer

LIST = "members:member_list"

SHARED = ("unreachable", "approaching", "out_of_control")
# key: (ordering of the panel's first rows, rank, level)
PANELS = {
    "unreachable": (("unreachable_since", "pk"), 25, "danger"),
    "approaching": (("last_contact_on", "pk"), 30, "warn"),
    "out_of_control": (("last_contact_on", "pk"), 35, "danger"),
    "receipt_missing": (("receipt_talk_on", "pk"), 60, "warn"),
    "graduates_due": (("graduate_left_on", "pk"), 65, "warn"),
    "abroad_due": (("abroad_left_on", "pk"), 70, "warn"),
}


def _open_absence(kind, field):
    return Subquery(
        Absence.objects.filter(member=OuterRef("pk"), kind=kind, returned_on__isnull=True)
        .order_by("left_on", "pk")
        .values(field)[:1]
    )


def _outstanding_transfer(field):
    return Subquery(
        Transfer.objects.filter(
            member=OuterRef("pk"), direction=Transfer.Direction.OUT, receipt_received_on__isnull=True
        )
        .order_by("talk_on", "pk")
        .values(field)[:1]
    )


def _items(rows, detail):
    return [(m.name, reverse("members:member_detail", args=[m.pk]), detail(m)) for m in rows]


def panels(user):
    return self_report_panels(user)


def watch_panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    members = listfilters.base(LIST, user)
    totals = counted(user)  # past a committee's size, the counters give the three shared counts
    found = count_and_first_each(
        members,
        {key: (listfilters.q(LIST, key, user, today), PANELS[key][0]) for key in SHARED},
        counts=totals
        and {
            "unreachable": totals["members.unreachable"],
            "out_of_control": totals[f"members.{ContactStatus.OUT_OF_CONTROL}"],
            "approaching": totals[f"members.{ContactStatus.WARNING}"],
        },
    )
    # What a panel's line says about the member: read for the few rows shown only.
    details = {
        "receipt_missing": {
            "receipt_talk_on": _outstanding_transfer("talk_on"),
            "receipt_to": _outstanding_transfer("other_organization"),
        },
        "graduates_due": {"graduate_left_on": _open_absence(AbsenceKind.GRADUATE, "left_on")},
        "abroad_due": {
            "abroad_left_on": _open_absence(AbsenceKind.ABROAD, "left_on"),
            "abroad_country": _open_absence(AbsenceKind.ABROAD, "country"),
        },
    }
    for key, annotations in details.items():
        rows = members.filter(listfilters.q(LIST, key, user, today)).annotate(**annotations)
        found[key] = count_and_first(rows.order_by(*PANELS[key][0]))
    expired = (
        access.scoped(
            user,
            access.VIEW,
            Transfer.objects.filter(
                direction=Transfer.Direction.OUT,
                receipt_received_on__isnull=True,
                letter_valid_until__lt=today,
            ),
        ).count()
        if found["receipt_missing"][0]
        else 0
    )

    def panel(key, title, detail, hint="", level=None, rank=None):
        count, rows = found[key]
        _order, default_rank, default_level = PANELS[key]
        return Panel(
            title,
            count,
            listfilters.url(LIST, key),
            level or default_level,
            _items(rows, detail),
            hint,
            rank=rank or default_rank,
        )

    return [
        panel(
            "unreachable",
            "联系不上，需立即查找",
            lambda m: f"自 {m.unreachable_since:%Y-%m-%d}",
            "组织生活点名时联系不上的党员",
        ),
        panel(
            "approaching",
            "即将满六个月未联系（超过150天）",
            lambda m: f"最近联系 {m.last_contact_on:%Y-%m-%d}",
            "满六个月未联系即为失联，请尽快联系",
        ),
        panel("out_of_control", "失控党员", lambda m: "外出超过一个月未报告或联系不上"),
        panel(
            "receipt_missing",
            "介绍信回执未收回",
            lambda m: m.receipt_to,
            f"其中 {expired} 份介绍信已过有效期；回执未收回前要持续跟踪"
            if expired
            else "回执未收回前要持续跟踪",
            level="danger" if expired else None,
            rank=42 if expired else None,  # an expired letter is overdue
        ),
        panel(
            "graduates_due",
            "毕业生组织关系在校将满两年",
            lambda m: f"离校 {m.graduate_left_on:%Y-%m-%d}",
            "组织关系在高校最多保留两年，请督促转接",
        ),
        panel(
            "abroad_due",
            "出国（境）党员半年未联系",
            lambda m: m.abroad_country,
            "出国（境）党员至少每半年联系一次",
        ),
    ]


def self_report_panels(user):
    """成员自报待确认: waiting on the branch, first on its 工作台 (a report counts once confirmed)."""
    if not access.has_any(user, perms.MANAGE_MEMBERS):
        return []
    pending = access.scoped(
        user, perms.MANAGE_MEMBERS, SelfReport.objects.filter(status=SelfReportStatus.PENDING)
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
            rank=10,  # a member reaching out waits on the branch, like an approval
        )
    ]
