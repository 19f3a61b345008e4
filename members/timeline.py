"""One timeline per member: everything about them in time order, each line linking to its record.

members may not import the apps above it (tracing, disposition), so each app contributes its
entries through this registry, registering a provider in its AppConfig.ready():

    timeline.register(entries)      # entries(member, user) -> iterable of Entry

A provider reads each kind of record in one query (never one per case or step), limited to what
`user` may see; this module's own provider covers the member's records kept by members.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from members.models import AttendanceStatus, ContactStatus, Member, SelfReportStatus

ATTENDANCE_TONES = {
    AttendanceStatus.PRESENT: "ok",
    AttendanceStatus.UNREACHABLE: "danger",
    AttendanceStatus.ABSENT: "warn",
}
CONTACT_TONES = {
    ContactStatus.NORMAL: "ok",
    ContactStatus.LOST: "danger",
    ContactStatus.OUT_OF_CONTROL: "danger",
}

_providers = []


@dataclass(frozen=True)
class Entry:
    on: date  # the day it happened
    kind: str  # 组织生活, 党费, 谈心谈话, 组织关系转接, 外出, 联系记录, 成员自报, 失联查找, 查找记录, 组织处置, 状态变化
    title: str
    detail: str = ""
    url: str = ""  # the record's page (or its place on the member's page)
    by: str = ""  # who recorded or decided it
    at: datetime | None = None  # the moment, when the record keeps one
    tone: str = ""  # "", "ok", "warn", "danger": how the line is marked
    late: bool = False  # known by its day only, and comes after that day's timed records (a closing)

    @property
    def sort_key(self):
        if self.at:
            return (self.on, timezone.localtime(self.at).time())
        return (self.on, time.max if self.late else time.min)


def register(provider):
    if provider not in _providers:
        _providers.append(provider)


def timeline(member, user):
    """Every entry about `member` that `user` may see, oldest first."""
    entries = []
    for provider in _providers:
        entries.extend(provider(member, user))
    return sorted(entries, key=lambda entry: entry.sort_key)


def person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _on(moment):
    return timezone.localdate(moment)


def member_entries(member, user):
    """The records members keeps: one query per kind."""
    page = reverse("members:member_detail", args=[member.pk])
    yield from _attendance(member, page)
    for payment in member.dues.select_related("recorded_by").order_by("paid_on", "pk"):
        yield Entry(
            payment.paid_on,
            "党费",
            f"交纳 {payment.month:%Y年%m月} 党费 {payment.amount} 元",
            url=page + "#dues",
            by=person(payment.recorded_by),
        )
    yield from _transfers(member, page)
    yield from _talks(member, page)
    for absence in member.absences.order_by("left_on", "pk"):
        where = absence.destination + (f"（{absence.country}）" if absence.country else "")
        reported = "已向党支部报告" if absence.reported else "未向党支部报告"
        yield Entry(
            absence.left_on, "外出", f"{absence.get_kind_display()}：{where}", reported, page + "#absences"
        )
        if absence.returned_on:
            yield Entry(absence.returned_on, "外出", "外出返回", where, page + "#absences", tone="ok")
    records = member.contact_records.filter(self_report__isnull=True).select_related("recorded_by")
    for record in records.order_by("on", "pk"):
        yield Entry(
            record.on,
            "联系记录",
            record.get_kind_display(),
            record.note,
            page + "#contact-records",
            person(record.recorded_by),
            tone="ok",
        )
    yield from _self_reports(member)
    yield from status_changes(member, page)


def _attendance(member, page):
    for row in member.attendance.select_related("activity").order_by("activity__held_on", "pk"):
        activity = row.activity
        tone = ATTENDANCE_TONES.get(row.status, "")
        yield Entry(
            activity.held_on,
            "组织生活",
            f"{activity.get_kind_display()}：{activity.title}",
            row.get_status_display(),
            page + "#attendance",
            tone=tone,
        )


def _transfers(member, page):
    for transfer in member.transfers.select_related("recorded_by").prefetch_related("follow_ups"):
        by = person(transfer.recorded_by)
        outgoing = transfer.direction == transfer.Direction.OUT
        talk = "转出前谈心谈话" if outgoing else "转入谈心谈话"
        yield Entry(transfer.talk_on, "谈心谈话", talk, transfer.talk_record, page + "#transfers", by)
        facts = [f"去向：{transfer.destination}"] if transfer.destination else []
        if transfer.card_handed_on:
            facts.append(f"联心卡 {transfer.card_handed_on:%Y-%m-%d} 发放")
        if transfer.letter_number:
            facts.append(f"介绍信 {transfer.letter_number}")
        nature = f"（{transfer.get_nature_display()}）" if transfer.nature else ""
        yield Entry(
            transfer.letter_issued_on or transfer.talk_on,
            "组织关系转接",
            f"{transfer.get_direction_display()}{nature}：{transfer.other_organization}",
            "；".join(facts),
            page + "#transfers",
            by,
        )
        for follow in transfer.follow_ups.all():
            yield Entry(follow.on, "组织关系转接", "回执跟踪", follow.note, page + "#transfers")
        if transfer.receipt_received_on:
            yield Entry(
                transfer.receipt_received_on,
                "组织关系转接",
                "介绍信回执收回",
                url=page + "#transfers",
                tone="ok",
            )


def _talks(member, page):
    """The 三必谈 (members/talks.py): before leaving, after coming back, in difficulty."""
    for talk in member.talks.select_related("recorded_by", "absence").order_by("on", "pk"):
        about = f"（{talk.absence.destination}）" if talk.absence else ""
        yield Entry(
            talk.on,
            "谈心谈话",
            f"{talk.get_kind_display()}{about}",
            f"谈话人 {talk.talker}：{talk.record}",
            page + "#absences",
            person(talk.recorded_by),
        )


def _self_reports(member):
    for report in member.self_reports.select_related("decided_by").order_by("received_at", "pk"):
        url = reverse("members:selfreport_detail", args=[report.pk])
        said = f"现居住地：{report.residence}" + (
            f"；工作单位：{report.workplace}" if report.workplace else ""
        )
        yield Entry(
            _on(report.received_at),
            "成员自报",
            f"通过{report.get_via_display()}自报（{report.get_status_display()}）",
            said,
            url,
            at=report.received_at,
            tone="warn" if report.is_pending else "",
        )
        if report.decided_at:
            confirmed = report.status == SelfReportStatus.CONFIRMED
            yield Entry(
                _on(report.decided_at),
                "成员自报",
                "确认成员自报，计为一次联系" if confirmed else "驳回成员自报",
                "" if confirmed else report.reject_reason,
                url,
                person(report.decided_by),
                report.decided_at,
                "ok" if confirmed else "",
            )


STATUS_FIELDS = (("contact_status", "联系状态"), ("party_status", "党籍状态"))


def status_changes(member, page):
    """联系状态 and 党籍状态 as they changed, from the member's history (one query)."""
    history = member.history.select_related("history_user").order_by("history_date", "history_id")
    previous = None
    for row in history.only("history_date", "history_user", "history_change_reason", *dict(STATUS_FIELDS)):
        for field, label in STATUS_FIELDS:
            before = getattr(previous, field) if previous else None
            now = getattr(row, field)
            if previous is None or before == now:
                continue
            choices = dict(Member._meta.get_field(field).choices)
            yield Entry(
                _on(row.history_date),
                "状态变化",
                f"{label}：{choices.get(before, before)} → {choices.get(now, now)}",
                row.history_change_reason or "",
                page + "#history",
                person(row.history_user),
                row.history_date,
                CONTACT_TONES.get(now, "warn"),
            )
        previous = row


register(member_entries)
