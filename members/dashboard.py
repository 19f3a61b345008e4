"""工作台 panels of the members app: who is slipping away, before they are lost.

The thresholds are computed from today's date, so the lists are right even on a day the
status cron did not run. One query per panel, two when it has more than five rows.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from lianxin import access
from lianxin.dashboard import Panel, count_and_first
from members.models import Absence, ContactStatus, Member, PartyStatus, Transfer
from members.status import WARNING_DAYS, add_months, lost_threshold

ACTIVE = [PartyStatus.NORMAL, PartyStatus.CORRECTION]


def _member_panel(title, qs, url, level, detail, hint=""):
    count, rows = count_and_first(qs)
    items = [(m.name, reverse("members:member_detail", args=[m.pk]), detail(m)) for m in rows]
    return Panel(title, count, url, level, items, hint)


def _absence_panel(title, qs, url, level, detail, hint=""):
    count, rows = count_and_first(qs)
    items = [(a.member.name, reverse("members:member_detail", args=[a.member.pk]), detail(a)) for a in rows]
    return Panel(title, count, url, level, items, hint)


def panels(user):
    if not access.has_any(user, access.VIEW):
        return []
    today = timezone.localdate()
    members = access.scoped(user, access.VIEW, Member.objects.filter(party_status__in=ACTIVE))
    list_url = reverse("members:member_list")

    approaching = members.filter(
        last_contact_on__gte=lost_threshold(today), last_contact_on__lte=today - timedelta(days=WARNING_DAYS)
    ).order_by("last_contact_on", "pk")
    unreachable = members.filter(unreachable_since__isnull=False).order_by("unreachable_since")
    out_of_control = members.filter(contact_status=ContactStatus.OUT_OF_CONTROL).order_by("name")
    abroad = access.scoped(
        user, access.VIEW, Absence.objects.filter(kind="abroad", returned_on__isnull=True)
    ).select_related("member")
    abroad_due = (
        abroad.filter(member__last_contact_on__lt=today - timedelta(days=182))
        | abroad.filter(member__last_contact_on__isnull=True)
    ).order_by("left_on", "pk")
    receipts = (
        access.scoped(
            user, access.VIEW, Transfer.objects.filter(direction="out", receipt_received_on__isnull=True)
        )
        .select_related("member")
        .order_by("talk_on")
    )
    receipt_count, receipt_rows = count_and_first(receipts)
    expired = receipts.filter(letter_valid_until__lt=today).count() if receipt_count else 0
    graduates_due = (
        access.scoped(
            user,
            access.VIEW,
            Absence.objects.filter(
                kind="graduate", returned_on__isnull=True, left_on__lte=add_months(today, -22)
            ),
        )
        .select_related("member")
        .order_by("left_on", "pk")
    )
    return [
        _absence_panel(
            "毕业生组织关系在校将满两年",
            graduates_due,
            list_url,
            "warn",
            lambda a: f"离校 {a.left_on:%Y-%m-%d}",
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
        _member_panel(
            "联系不上，需立即查找",
            unreachable,
            list_url,
            "danger",
            lambda m: f"自 {m.unreachable_since:%Y-%m-%d}",
            "组织生活点名时联系不上的党员",
        ),
        _member_panel(
            "失控党员",
            out_of_control,
            list_url + "?status=out_of_control",
            "danger",
            lambda m: "外出超过一个月未报告或联系不上",
        ),
        _member_panel(
            "即将失联（超过150天未联系）",
            approaching,
            list_url + "?status=warning",
            "warn",
            lambda m: f"最近联系 {m.last_contact_on:%Y-%m-%d}",
            "满六个月未联系即为失联，请尽快联系",
        ),
        _absence_panel(
            "出国（境）党员半年未联系",
            abroad_due,
            list_url,
            "warn",
            lambda a: a.country,
            "出国（境）党员至少每半年联系一次",
        ),
    ]
