"""Member actions: each one transaction, validated before anything is written, with history."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from lianxin import access, counters, perms
from lianxin.service import REFUSED, service
from members import codes, rollcall
from members.models import (
    Absence,
    Activity,
    Attendance,
    AttendanceStatus,
    ContactRecord,
    DuesPayment,
    Member,
    PartyStatus,
    Transfer,
    TransferFollowUp,
)
from members.status import compute_status

MANAGE = perms.MANAGE_MEMBERS


def _today():
    return timezone.localdate()


def _facts(member):
    """The dates the status rule needs, read from the member's records."""
    last_present = (
        Attendance.objects.filter(member=member, status=AttendanceStatus.PRESENT)
        .aggregate(d=Max("activity__held_on"))
        .get("d")
    )
    last_paid = DuesPayment.objects.filter(member=member).aggregate(d=Max("paid_on")).get("d")
    away = (
        Absence.objects.filter(member=member, returned_on__isnull=True, reported=False)
        .order_by("left_on")
        .values_list("left_on", flat=True)
        .first()
    )
    return [d for d in (last_present, last_paid, member.last_contact_on) if d], away


def member_refresh_status(member, *, today=None, save=True):
    """Recompute last_contact_on and contact_status from the facts; save only if changed."""
    dates, away = _facts(member)
    last = max(dates) if dates else None
    status = compute_status(
        last_contact=last,
        today=today or _today(),
        away_unreported_since=away,
        unreachable_since=member.unreachable_since,
    )
    changed = (member.last_contact_on, member.contact_status) != (last, status)
    member.last_contact_on, member.contact_status = last, status
    if save and changed:
        member.save(update_fields=["last_contact_on", "contact_status"])
    return status


@service(perm=MANAGE, on="member")
@transaction.atomic
def member_record_contact(*, member, on, acting_user, note=""):
    """A successful contact on `on` (e.g. a lost member found): clears 联系不上, recomputes status."""
    if on > _today():
        raise ValidationError({"on": "联系日期不能晚于今天。"})
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.last_contact_on is None or on > member.last_contact_on:
        member.last_contact_on = on
    if member.unreachable_since and on >= member.unreachable_since:
        member.unreachable_since = None
    member._change_reason = note[:100] if note else "取得联系"
    member.save()
    member_refresh_status(member)
    return member


@service(perm=(MANAGE, perms.LOG_SEARCH), on="member")
@transaction.atomic
def contact_record(*, member, on, kind, note, acting_user):
    """联系记录: a contact the branch had with the member, kept as a fact; the status follows.

    Recorded by those who manage the member, or by those searching for them (a contact found
    during a search is recorded from the case, tracing/contact.py)."""
    if on > _today():
        raise ValidationError({"on": "联系日期不能晚于今天。"})
    if on < member.joined_on:
        raise ValidationError({"on": f"联系日期不能早于入党时间（{member.joined_on:%Y-%m-%d}）。"})
    if not note.strip():
        raise ValidationError({"note": "请写明联系情况（联系到谁、党员现状）。"})
    record = ContactRecord(member=member, on=on, kind=kind, note=note.strip(), recorded_by=acting_user)
    record.full_clean()
    record.save()
    member_record_contact(
        member=member, on=on, acting_user=acting_user, note=f"联系记录：{record.get_kind_display()}"
    )
    return record


@service(perm=MANAGE, on="member")
@transaction.atomic
def member_save(*, member, acting_user):
    """Create or update a member after full validation (the form has checked the 身份证号)."""
    if member.pk:  # the right covers the branch the member is in now, not only the one given
        stored = Member.objects.select_related("organization").filter(pk=member.pk).first()
        if stored and not access.can(acting_user, MANAGE, stored):
            raise PermissionDenied(REFUSED)
    member.full_clean()
    member.save()
    member_refresh_status(member)
    return member


@service(perm=MANAGE, on="organization")
@transaction.atomic
def activity_record(*, organization, kind, title, held_on, attendance, acting_user, confirmed=()):
    """Record an activity and each member's attendance ({member: status}) in one transaction.

    A member with an open search marked 参加 is not silently returned to 正常: their pk must be in
    `confirmed` (the secretary confirmed it), and the search records the presence (members/rollcall.py)."""
    if held_on > _today():
        raise ValidationError({"held_on": "活动日期不能晚于今天。"})
    if any(status not in AttendanceStatus.values for status in attendance.values()):
        raise ValidationError("有党员的出席情况未选择，每名党员都要登记。")
    members = list(Member.objects.select_for_update().filter(pk__in=[m.pk for m in attendance]))
    if any(m.organization_id != organization.pk for m in members):
        raise ValidationError("出席名单中有不属于本支部的党员。")
    searched = _searched_and_present(members, attendance, confirmed)
    activity = Activity(
        organization=organization, kind=kind, title=title, held_on=held_on, recorded_by=acting_user
    )
    activity.full_clean()
    activity.save()
    by_pk = {m.pk: status for m, status in attendance.items()}
    for member in members:
        status = by_pk[member.pk]
        Attendance.objects.create(activity=activity, member=member, status=status)
        if status == AttendanceStatus.UNREACHABLE and member.unreachable_since is None:
            member.unreachable_since = held_on
            member.save(update_fields=["unreachable_since"])
        if (
            status == AttendanceStatus.PRESENT
            and member.unreachable_since
            and held_on >= member.unreachable_since
        ):
            member.unreachable_since = None
            member.save(update_fields=["unreachable_since"])
        if member.pk in searched:
            rollcall.record_presence(member=member, activity=activity, acting_user=acting_user)
        member_refresh_status(member)
    return activity


def _searched_and_present(members, attendance, confirmed):
    """The pks of members marked 参加 while a search for them is open; each must be confirmed."""
    by_pk = {m.pk: status for m, status in attendance.items()}
    present = [m.pk for m in members if by_pk[m.pk] == AttendanceStatus.PRESENT]
    searched = set(rollcall.open_searches(present))
    unconfirmed = [m.name for m in members if m.pk in searched and m.pk not in set(confirmed)]
    if unconfirmed:
        raise ValidationError(
            f"以下党员有正在查找的失联案件，登记为“参加”须经确认：{'、'.join(unconfirmed)}。"
        )
    return searched


@service(perm=MANAGE, on="member")
@transaction.atomic
def dues_record(*, member, month, amount, paid_on, acting_user):
    payment = DuesPayment(
        member=member, month=month.replace(day=1), amount=amount, paid_on=paid_on, recorded_by=acting_user
    )
    if paid_on > _today():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    payment.full_clean()
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:  # one_payment_per_month, recorded at the same moment by someone else
        raise ValidationError({"month": "该月党费已登记。"}) from None
    member_refresh_status(member)
    return payment


@service(perm=MANAGE, on="absence")
@transaction.atomic
def absence_record(*, absence, acting_user):
    if absence.expected_return and absence.expected_return < absence.left_on:
        raise ValidationError({"expected_return": "预计返回日期不能早于外出日期。"})
    absence.full_clean()
    absence.save()
    member_refresh_status(absence.member)
    return absence


@service(perm=MANAGE, on="absence")
@transaction.atomic
def absence_close(*, absence, returned_on: date, acting_user):
    absence = Absence.objects.select_for_update().select_related("member").get(pk=absence.pk)
    if absence.returned_on:  # a second click, or two at once: the return is recorded once
        raise ValidationError("该次外出已登记返回。")
    if returned_on < absence.left_on:
        raise ValidationError({"returned_on": "返回日期不能早于外出日期。"})
    absence.returned_on = returned_on
    absence.save(update_fields=["returned_on"])
    member_record_contact(member=absence.member, on=returned_on, acting_user=acting_user, note="外出返回")
    return absence


@service(perm=MANAGE, on="absence")
@transaction.atomic
def talk_record(*, absence, kind, on, talker, record, acting_user):
    """A 三必谈 talk about an absence: before the member leaves, or after they come back."""
    from members.talks import Talk

    absence = Absence.objects.select_related("member").get(pk=absence.pk)
    if on > _today():
        raise ValidationError({"on": "谈话日期不能晚于今天。"})
    if kind == Talk.Kind.RETURN and absence.returned_on is None:
        raise ValidationError({"kind": "党员尚未登记返回，不能记录返回后谈话。"})
    if kind == Talk.Kind.RETURN and on < absence.returned_on:
        raise ValidationError({"on": "返回后谈话的日期不能早于返回日期。"})
    talk = Talk(
        member=absence.member,
        absence=absence,
        kind=kind,
        on=on,
        talker=talker,
        record=record,
        recorded_by=acting_user,
    )
    talk.full_clean()
    talk.save()
    return talk


@service(perm=MANAGE, on="contact")
@transaction.atomic
def contact_add(*, contact, acting_user):
    contact.full_clean()
    contact.save()
    return contact


def refresh_all(*, today=None, batch=2000, log=None):
    """The daily recomputation (members' status depends on today's date)."""
    changed = 0
    last_pk = 0
    while True:
        chunk = list(Member.objects.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not chunk:
            return changed
        with counters.deferred():  # one transaction; its counters written once at its end
            for member in chunk:
                before = member.contact_status
                if member_refresh_status(member, today=today) != before:
                    changed += 1
        last_pk = chunk[-1].pk
        if log:
            log(f"  已处理至 #{last_pk}，状态变化 {changed} 人")


def letter_validity(issued_on):
    from django.conf import settings

    return issued_on + timedelta(days=settings.LIANXIN["INTRODUCTION_LETTER_DAYS"])


@service(perm=MANAGE, on="transfer")
@transaction.atomic
def transfer_out(*, transfer, acting_user):
    """转出: the 四个清楚 are required; a permanent transfer leaves the branch when its 回执 is back."""
    missing = [
        label
        for field, label in (
            ("nature", "关系变化性质"),
            ("phone", "手机"),
            ("destination", "组织关系去向"),
            ("backup_contact", "备用联系人"),
        )
        if not getattr(transfer, field)
    ]
    if missing:
        raise ValidationError(f"转出须做到“四个清楚”，请填写：{'、'.join(missing)}。")
    if transfer.talk_on > _today():
        raise ValidationError({"talk_on": "谈心谈话日期不能晚于今天。"})
    if transfer.letter_issued_on:
        transfer.letter_valid_until = letter_validity(transfer.letter_issued_on)
    transfer.direction = Transfer.Direction.OUT
    transfer.recorded_by = acting_user
    transfer.full_clean()
    transfer.save()
    codes.rotate_at_transfer(transfer.member, transfer.talk_on)  # the 联心卡 carries a fresh 归队码
    return transfer


@service(perm=MANAGE, on="transfer")
@transaction.atomic
def transfer_in(*, transfer, acting_user):
    """转入: the welcome talk (谈心谈话) brings the member back under the branch's management."""
    if transfer.talk_on > _today():
        raise ValidationError({"talk_on": "谈心谈话日期不能晚于今天。"})
    transfer.direction = Transfer.Direction.IN
    transfer.recorded_by = acting_user
    transfer.full_clean()
    transfer.save()
    member_record_contact(
        member=transfer.member, on=transfer.talk_on, acting_user=acting_user, note="组织关系转入谈话"
    )
    return transfer


@service(perm=MANAGE, on="transfer")
@transaction.atomic
def receipt_record(*, transfer, received_on, acting_user):
    transfer = Transfer.objects.select_for_update().select_related("member").get(pk=transfer.pk)
    if not transfer.receipt_outstanding:
        raise ValidationError("该转接不需要或已收到回执。")
    if received_on > _today() or (transfer.letter_issued_on and received_on < transfer.letter_issued_on):
        raise ValidationError({"received_on": "回执日期应在介绍信开具日期与今天之间。"})
    transfer.receipt_received_on = received_on
    transfer.save()
    if transfer.nature == Transfer.Nature.PERMANENT:
        member = transfer.member
        member.party_status, member.party_status_since = PartyStatus.TRANSFERRED_OUT, received_on
        member._change_reason = f"组织关系转出至{transfer.other_organization}"[:100]
        member.save()
    return transfer


@service(perm=MANAGE, on="transfer")
@transaction.atomic
def follow_up_add(*, transfer, on, note, acting_user):
    if not transfer.receipt_outstanding:
        raise ValidationError("回执已收到，无需跟踪。")
    if on > _today():
        raise ValidationError({"on": "日期不能晚于今天。"})
    follow = TransferFollowUp(transfer=transfer, on=on, note=note, recorded_by=acting_user)
    follow.full_clean()
    follow.save()
    return follow
