"""成员自报: a member names themself on the public page and reports; the branch confirms or rejects.

- `identify`: name plus the last four characters of the 身份证号, against one member (归队码) or
  the members of one branch (报到码). One answer for every mismatch: the page never says which
  half was wrong.
- `selfreport_receive`: written by an anonymous person, so not a service with an acting user:
  it creates the pending report and nothing else, with history (no user).
- `selfreport_confirm` / `selfreport_reject`: the branch's decision. A confirmed report becomes a
  成员自报 contact exactly as one the branch records: the 联系记录 and the member's status, and —
  when a search is open — an attempt with the channel 本人自报 on the case, which can be closed
  there (members/rollcall.py, tracing/contact.py).
"""

import unicodedata
from datetime import timedelta
from secrets import compare_digest

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lianxin import perms
from lianxin.service import service
from members import rollcall
from members.codes import REPORTING
from members.models import ContactKind, Member, SelfReport, SelfReportStatus
from members.services import contact_record

MANAGE = perms.MANAGE_MEMBERS
NOTE_LIMIT = 480  # a 联系记录 holds 500; the case's log row adds its prefix
REPEAT_MINUTES = 10  # the same report sent again within this time is the same report


def _clean_name(text):
    """Names as phones type them: full-width letters folded, every kind of space dropped."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _clean_last4(text):
    return unicodedata.normalize("NFKC", text or "").strip().upper()


def _matches(member, name, last4):
    same_name = compare_digest(_clean_name(member.name).encode(), name.encode())
    same_digits = compare_digest(member.id_number[-4:].upper().encode(), last4.encode())
    return same_name and same_digits


def identify(*, name, last4, member=None, branch=None):
    """The member who named themself, or None. With `branch`, exactly one of its members must match."""
    name, last4 = _clean_name(name), _clean_last4(last4)
    if not name or len(last4) != 4:
        return None
    if member is not None:
        return member if _matches(member, name, last4) else None
    candidates = Member.objects.select_related("organization").filter(
        organization=branch, name=name, party_status__in=REPORTING
    )
    found = [m for m in candidates if _matches(m, name, last4)]
    return found[0] if len(found) == 1 else None


def masked_name(name):
    """张*, 王*明, 欧阳**: the first character, the last of a longer name."""
    if len(name) <= 2:
        return name[:1] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


@transaction.atomic
def selfreport_receive(*, member, via, residence, phone, workplace="", attending="", message=""):
    """A report from the public page: stored as 待确认, nothing else changes. The same report sent
    twice (a second tap, a reload) within a few minutes is kept once."""
    fields = {
        "residence": residence.strip(),
        "workplace": workplace.strip(),
        "phone": phone.strip(),
        "attending": attending.strip(),
        "message": message.strip(),
    }
    since = timezone.now() - timedelta(minutes=REPEAT_MINUTES)
    repeated = SelfReport.objects.filter(
        member=member, status=SelfReportStatus.PENDING, received_at__gte=since, **fields
    ).first()
    if repeated is not None:
        return repeated
    report = SelfReport(member=member, via=via, **fields)
    report.full_clean()
    report._history_user = None  # written by the member, who has no account
    report.save()
    return report


def summary(report):
    """What the 联系记录 and the case's log keep of a report (its phone goes to the record only if
    the secretary chooses to update it)."""
    parts = [f"现居住地：{report.residence}"]
    if report.workplace:
        parts.append(f"工作单位：{report.workplace}")
    if report.attending:
        parts.append(f"现参加组织生活的党组织：{report.attending}")
    if report.message:
        parts.append(f"留言：{report.message}")
    received = timezone.localtime(report.received_at)
    text = f"通过{report.get_via_display()}自报（{received:%Y-%m-%d %H:%M}），经党支部核实确认。" + "；".join(
        parts
    )
    return text[:NOTE_LIMIT]


def _pending(report):
    report = SelfReport.objects.select_for_update().select_related("member").get(pk=report.pk)
    if not report.is_pending:
        raise ValidationError(f"该自报已{report.get_status_display()}，不能重复处理。")
    return report


@service(perm=MANAGE, on="report")
@transaction.atomic
def selfreport_confirm(*, report, acting_user, update_record=False, close_case=False):
    """确认: the report becomes a 成员自报 contact on the day it was sent; with `update_record` the
    member's 居住地, 工作单位 and 联系电话 take the reported values; with `close_case` an open search
    ends as 已取得联系."""
    report = _pending(report)
    on = timezone.localdate(report.received_at)
    note = summary(report)
    kind = ContactKind.SELF_REPORT
    record = rollcall.record_contact(
        member=report.member, on=on, kind=kind, note=note, close=close_case, acting_user=acting_user
    )
    if record is None:
        record = contact_record(member=report.member, on=on, kind=kind, note=note, acting_user=acting_user)
    if update_record:
        _update_member(report)
    report.status, report.decided_by, report.decided_at = (
        SelfReportStatus.CONFIRMED,
        acting_user,
        timezone.now(),
    )
    report.contact_record = record
    report.save()
    return report


def _update_member(report):
    member = Member.objects.select_for_update().get(pk=report.member_id)
    changed = []
    for field in ("residence", "workplace", "phone"):
        value = getattr(report, field)
        if value and value != getattr(member, field):
            setattr(member, field, value)
            changed.append(field)
    if changed:
        member._change_reason = "按成员自报更新"
        member.save(update_fields=changed)


@service(perm=MANAGE, on="report")
@transaction.atomic
def selfreport_reject(*, report, reason, acting_user):
    """驳回 with a reason (not the member, a false report, a duplicate): nothing else changes."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明驳回理由。"})
    report = _pending(report)
    report.status, report.decided_by, report.decided_at = (
        SelfReportStatus.REJECTED,
        acting_user,
        timezone.now(),
    )
    report.reject_reason = reason.strip()[:300]
    report.save()
    return report
