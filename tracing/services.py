"""Case actions: open, log an attempt, correct one, close. One transaction each, history kept."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin import perms
from lianxin.posts import delegated_post
from lianxin.service import service
from members.models import Member, PartyStatus
from members.services import member_record_contact
from tracing import rules
from tracing.models import (
    AssistanceRequest,
    CaseStatus,
    CensusPeriod,
    LossReason,
    LostContactCase,
    SearchAttempt,
)

LOG = perms.LOG_SEARCH
COMMITTEE = perms.REVIEW_COMMITTEE  # the committee's second search of unreachable cases

ATTACHMENT_TYPES = {
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".pdf": b"%PDF-",
}


def min_channels():
    return settings.LIANXIN["MIN_SEARCH_CHANNELS"]


def check_attachment(upload):
    """Type by extension AND by content, and size; a Chinese message otherwise."""
    if not upload:
        return
    name = upload.name.lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"attachment": "附件只能是 JPG、PNG 图片或 PDF 文件。"})
    if upload.size > settings.LIANXIN["ATTACHMENT_MAX_BYTES"]:
        limit = settings.LIANXIN["ATTACHMENT_MAX_BYTES"] // (1024 * 1024)
        raise ValidationError({"attachment": f"附件不能超过 {limit} MB。"})
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise ValidationError({"attachment": "附件内容与文件类型不符，请上传真实的图片或 PDF 文件。"})


@service(perm=LOG, on="member")
@transaction.atomic
def case_open(
    *, member, acting_user, reason=LossReason.OTHER, reason_remark="", lost_since=None, lost_since_reason=""
):
    member = Member.objects.select_for_update().get(pk=member.pk)
    # 停止党籍 members are still searched for: contact re-established opens the way to 恢复党籍.
    if member.party_status not in (PartyStatus.NORMAL, PartyStatus.CORRECTION, PartyStatus.SUSPENDED):
        raise ValidationError(
            f"{member.name}的党籍状态为“{member.get_party_status_display()}”，不能立案查找。"
        )
    if LostContactCase.objects.filter(member=member, status=CaseStatus.OPEN).exists():
        raise ValidationError(f"{member.name}已有正在查找的案件，同一党员同时只能有一个查找案件。")
    derived = member.last_contact_on or member.joined_on
    if lost_since and lost_since != derived and not lost_since_reason.strip():
        raise ValidationError({"lost_since_reason": "修改失联起始日期须说明理由。"})
    if int(reason) == LossReason.OTHER and not reason_remark.strip():
        raise ValidationError({"reason_remark": "失去联系情形为“其他”时，须在备注中注明具体原因。"})
    case = LostContactCase(
        member=member,
        organization=member.organization,
        opened_on=timezone.localdate(),
        opened_by=acting_user,
        lost_since=lost_since or derived,
        lost_since_reason=lost_since_reason if lost_since and lost_since != derived else "",
        reason=reason,
        reason_remark=reason_remark,
    )
    case.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # a concurrent open of the same member
        raise ValidationError(f"{member.name}已有正在查找的案件。") from None
    return case


@service(perm=LOG, on="case")
@transaction.atomic
def case_update(*, case, acting_user, reason, reason_remark, findings, lost_since=None, lost_since_reason=""):
    case = LostContactCase.objects.select_for_update().get(pk=case.pk)
    if int(reason) == LossReason.OTHER and not reason_remark.strip():
        raise ValidationError({"reason_remark": "失去联系情形为“其他”时，须在备注中注明具体原因。"})
    if lost_since and lost_since != case.lost_since:
        if not lost_since_reason.strip():
            raise ValidationError({"lost_since_reason": "修改失联起始日期须说明理由。"})
        case.lost_since, case.lost_since_reason = lost_since, lost_since_reason
    case.reason, case.reason_remark, case.findings = reason, reason_remark, findings
    case.full_clean(validate_constraints=False)
    case.save()
    return case


@service(perm=lambda kw: COMMITTEE if kw.get("by_committee") else LOG, on="case")
@transaction.atomic
def attempt_log(
    *,
    case,
    acting_user,
    channel,
    process,
    result,
    searched_at=None,
    searcher_name="",
    witness="",
    remark="",
    attachment=None,
    supersedes=None,
    correction_reason="",
    by_committee=False,
):
    case = LostContactCase.objects.select_for_update().get(pk=case.pk)
    if by_committee:
        if case.status != CaseStatus.UNREACHABLE or case.second_search_done_on:
            raise ValidationError("只有“确实无法取得联系”且尚未完成再次查找的案件，才能登记党委再次查找。")
    elif case.status != CaseStatus.OPEN:
        raise ValidationError("案件已结束，不能再登记查找记录。")
    searched_at = searched_at or timezone.now()
    if searched_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"searched_at": "查找时间不能晚于现在。"})
    if supersedes is not None:
        if supersedes.case_id != case.pk:
            raise ValidationError("只能更正本案件的查找记录。")
        if SearchAttempt.objects.filter(supersedes=supersedes).exists():
            raise ValidationError("该记录已被更正过，请更正最新的记录。")
        if not correction_reason.strip():
            raise ValidationError({"correction_reason": "更正记录须说明理由。"})
    check_attachment(attachment)
    attempt = SearchAttempt(
        case=case,
        searched_at=searched_at,
        searcher=acting_user,
        searcher_name=searcher_name or acting_user.get_full_name() or acting_user.get_username(),
        channel=channel,
        process=process,
        witness=witness,
        remark=remark,
        result=result,
        by_committee=by_committee,
        supersedes=supersedes,
        correction_reason=correction_reason,
        on_behalf_of=delegated_post(acting_user, COMMITTEE if by_committee else LOG, case.organization),
    )
    if attachment:
        attempt.attachment = attachment
    attempt.full_clean()
    attempt.save()
    return attempt


def channels_tried(case):
    return rules.counted_channels(case.attempts.values_list("channel", "by_committee", "superseded_by"))


@service(perm=LOG, on="case")
@transaction.atomic
def case_close(*, case, acting_user, outcome, closed_on=None, evidence="", findings=None):
    """outcome: CaseStatus.CONTACTED, DECEASED or UNREACHABLE."""
    case = LostContactCase.objects.select_for_update().select_related("member").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError("案件已结束。")
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate() or closed_on < case.opened_on:
        raise ValidationError({"closed_on": "结束日期应在立案日期与今天之间。"})
    if findings is not None:
        case.findings = findings
    if outcome == CaseStatus.CONTACTED:
        if not evidence.strip():
            raise ValidationError({"evidence": "请写明取得联系的情况（时间、方式、党员现状）。"})
        member_record_contact(
            member=case.member, on=closed_on, acting_user=acting_user, note="失联查找取得联系"
        )
    elif outcome == CaseStatus.DECEASED:
        if not evidence.strip():
            raise ValidationError({"evidence": "确认死亡须写明证明材料（如死亡证明、公安户籍注销信息）。"})
        member = case.member
        member.party_status, member.party_status_since = PartyStatus.DECEASED, closed_on
        member.save(update_fields=["party_status", "party_status_since"])
    elif outcome == CaseStatus.UNREACHABLE:
        rules.check_enough_channels(channels_tried(case), min_channels())
        if not case.findings.strip():
            raise ValidationError({"findings": "请先填写失联党员表现调查核实情况。"})
    else:
        raise ValidationError("未知的结案方式。")
    case.status, case.closed_on, case.closing_evidence = outcome, closed_on, evidence
    case.save()
    return case


@service(perm=COMMITTEE, on="case")
@transaction.atomic
def second_search_complete(*, case, acting_user, findings, done_on=None):
    """The committee finishes its second search; the case is then on the 登记表."""
    case = LostContactCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.UNREACHABLE or case.second_search_done_on:
        raise ValidationError("该案件不在待党委再次查找状态。")
    if not case.attempts.filter(by_committee=True).exists():
        raise ValidationError("请先登记党委再次查找的记录。")
    if not findings.strip():
        raise ValidationError({"findings": "请填写再次查找情况。"})
    case.second_search_done_on = done_on or timezone.localdate()
    case.second_search_findings = findings
    case.save()
    return case


@service(perm=LOG, on="case")
@transaction.atomic
def assistance_request(*, case, to_organization, text, acting_user):
    if case.status not in (CaseStatus.OPEN, CaseStatus.UNREACHABLE):
        raise ValidationError("案件已结束，不能再请求协查。")
    if not text.strip():
        raise ValidationError({"text": "请写明请求协查的内容（党员可能所在地、已掌握的线索等）。"})
    if to_organization.path.startswith(case.organization.path):
        raise ValidationError({"to_organization": "请选择本支部以外的党组织。"})
    return AssistanceRequest.objects.create(
        case=case,
        to_organization=to_organization,
        request_text=text,
        requested_by=acting_user,
        requested_on=timezone.localdate(),
    )


@service(perm=LOG, on="request")
@transaction.atomic
def assistance_answer(*, request, text, acting_user):
    request = AssistanceRequest.objects.select_for_update().get(pk=request.pk)
    if request.answered_on:
        raise ValidationError("该协查请求已答复。")
    if not text.strip():
        raise ValidationError({"text": "请填写协查结果。"})
    request.answer_text, request.answered_by, request.answered_on = text, acting_user, timezone.localdate()
    request.save()
    return request


@service(perm=perms.EXPORT_REPORTS, on="organization")
@transaction.atomic
def census_open(*, organization, name, starts_on, ends_on, acting_user):
    """排查: the organization searches its subtree between two dates (its 名册 is as of the end)."""
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    period = CensusPeriod(organization=organization, name=name, starts_on=starts_on, ends_on=ends_on)
    period.full_clean()
    period.save()
    return period
