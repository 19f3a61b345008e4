"""A contact with a member whose case is open: recorded on the case, never behind its back.

- `case_contact_record`: the secretary reached the member (a call, a visit, a reply): an attempt
  with result 取得联系, the 联系记录 (so the member's status follows), and, if chosen, the case
  closed as 已取得联系 — one transaction.
- `open_for` / `record_presence` / `record_contact`: tracing's side of the hook in members/rollcall.py:
  a member with an open case marked 参加 (confirmed by the secretary), or whose 成员自报 the
  secretary confirmed, becomes an attempt on the case.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lianxin import perms
from lianxin.service import service
from members.models import ContactKind
from members.rollcall import OpenSearch
from members.services import contact_record
from tracing.models import AttemptResult, CaseStatus, Channel, LostContactCase
from tracing.services import attempt_log, case_close

CHANNEL_FOR_KIND = {
    ContactKind.PHONE: Channel.PHONE,
    ContactKind.VISIT: Channel.HOME_VISIT,
    ContactKind.MESSAGE: Channel.WECHAT,
    ContactKind.REPLY: Channel.OTHER,
    ContactKind.OTHER: Channel.OTHER,
    ContactKind.SELF_REPORT: Channel.SELF_REPORT,
}


def _at(day):
    """A search time on `day` for a contact known by its date: 09:00, or now if that is later than now."""
    moment = timezone.make_aware(datetime.combine(day, time(9)))
    return min(moment, timezone.now())


@service(perm=perms.LOG_SEARCH, on="case")
@transaction.atomic
def case_contact_record(*, case, on, kind, note, close, acting_user):
    attempt, _record = _contact_on_case(case, on, kind, note, close, acting_user)
    return attempt


def _contact_on_case(case, on, kind, note, close, user):
    """(attempt, 联系记录): the contact logged on the case, the member's status following, the case
    closed if `close`. Runs inside a service that checked `user`'s right."""
    case = LostContactCase.objects.select_for_update().select_related("member").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError("案件已结束，联系情况请在党员页面记录。")
    if on > timezone.localdate():
        raise ValidationError({"on": "联系日期不能晚于今天。"})
    if close and on < case.opened_on:
        raise ValidationError(
            {"on": f"联系日期早于立案日期（{case.opened_on:%Y-%m-%d}），不能据此结束查找。"}
        )
    if not note.strip():
        raise ValidationError({"note": "请写明联系情况（联系到谁、党员现状）。"})
    attempt = attempt_log(
        case=case,
        acting_user=user,
        channel=CHANNEL_FOR_KIND[ContactKind(kind)],
        process=f"{ContactKind(kind).label}：{note.strip()}",
        result=AttemptResult.CONTACTED,
        searched_at=_at(on),
    )
    record = contact_record(member=case.member, on=on, kind=kind, note=note, acting_user=user)
    if close:
        case_close(
            case=case,
            acting_user=user,
            outcome=CaseStatus.CONTACTED,
            closed_on=on,
            evidence=note.strip(),
        )
    return attempt, record


def open_for(member_ids):
    cases = LostContactCase.objects.filter(member_id__in=member_ids, status=CaseStatus.OPEN).select_related(
        "organization"
    )
    return {
        case.member_id: OpenSearch(
            label=f"{case.opened_on:%Y-%m-%d} 立案查找",
            url=reverse("tracing:case_detail", args=[case.pk]),
            contact_url=reverse("tracing:case_contact", args=[case.pk]),
            subject=case,
            contact_action="tracing:case_contact",
        )
        for case in cases
    }


@service(perm=perms.LOG_SEARCH, on="member")
def record_presence(*, member, activity, acting_user):
    """Runs inside the roll call (members.services.activity_record), whose right was checked."""
    case = LostContactCase.objects.filter(member=member, status=CaseStatus.OPEN).first()
    if case is None:
        return
    attempt_log(
        case=case,
        acting_user=acting_user,
        channel=Channel.OTHER,
        process=f"参加组织生活：{activity.get_kind_display()}“{activity.title}”"
        f"（{activity.held_on:%Y-%m-%d}），经党支部点名确认。",
        result=AttemptResult.CONTACTED,
        searched_at=_at(activity.held_on),
    )


@service(perm=perms.LOG_SEARCH, on="member")
def record_contact(*, member, on, kind, note, close, acting_user):
    """tracing's side of members.rollcall.record_contact: the contact goes to the open case (a
    confirmed 成员自报 becomes an attempt with the channel 本人自报). Runs inside the confirming
    service, whose right was checked."""
    case = LostContactCase.objects.filter(member=member, status=CaseStatus.OPEN).first()
    if case is None:
        return None
    _attempt, record = _contact_on_case(case, on, kind, note, close, acting_user)
    return record
