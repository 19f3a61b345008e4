"""Demo cases for the lost members: open with a search log, contacted, deceased, unreachable
(with the committee's second search). Idempotent: members with a case are skipped."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from lianxin.models import Post
from members.models import ContactStatus, Member
from tracing import services
from tracing.models import AttemptResult, CaseStatus, Channel, LossReason

STORIES = [
    (Channel.PHONE, "拨打本人预留手机号码，提示为空号。", "张明"),
    (Channel.RELATIVES, "走访其父母，称其多年前外出务工，近两年未与家中联系。", "村委会主任王强"),
    (Channel.POLICE, "函请县公安局查询户籍信息，回复户籍仍在本县，无新的登记住址。", "派出所户籍民警"),
    (Channel.SOCIAL_SECURITY, "到县人社局查询社保缴纳记录，2023年起无缴费记录。", "人社局工作人员"),
    (Channel.WECHAT, "通过原微信号发送消息、语音通话，均无回应。", ""),
]


def _secretary(branch):
    post = (
        Post.objects.filter(organization=branch, title="书记", ended_on__isnull=True)
        .select_related("user")
        .first()
    )
    return post.user


def _log(case, user, stories, when):
    for index, (channel, process, witness) in enumerate(stories):
        services.attempt_log(
            case=case,
            acting_user=user,
            channel=channel,
            process=process,
            witness=witness,
            result=AttemptResult.NO_TRACE,
            searched_at=timezone.make_aware(
                datetime.combine(when + timedelta(days=index * 9), time(9 + index, 30))
            ),
        )


def seed(world, rng, stdout=None):
    lost = list(
        Member.objects.filter(contact_status=ContactStatus.LOST, cases__isnull=True, party_status="normal")
        .select_related("organization")
        .order_by("organization__path", "pk")
    )
    today = timezone.localdate()
    opened = 0
    for index, member in enumerate(lost):
        user = _secretary(member.organization)
        reason = [
            LossReason.MIGRANT_WORK,
            LossReason.RESIDENCE_CHANGED,
            LossReason.GRADUATE_UNKNOWN,
            LossReason.ABROAD,
        ][index % 4]
        case = services.case_open(member=member, acting_user=user, reason=reason)
        case.opened_on = today - timedelta(days=60)
        case.save(update_fields=["opened_on"])
        opened += 1
        kind = index % 4
        start = today - timedelta(days=55)
        if kind == 0:  # still searching: two attempts logged
            _log(case, user, STORIES[:2], start)
        elif kind == 1:  # contact re-established
            _log(case, user, STORIES[:1], start)
            services.attempt_log(
                case=case,
                acting_user=user,
                channel=Channel.RELATIVES,
                result=AttemptResult.CONTACTED,
                process="经其姐姐提供的新号码联系上本人，现在广东东莞务工，表示愿意参加网上党支部活动。",
                witness="其姐姐",
                searched_at=timezone.make_aware(datetime.combine(start + timedelta(days=20), time(15))),
            )
            services.case_close(
                case=case,
                acting_user=user,
                outcome=CaseStatus.CONTACTED,
                closed_on=start + timedelta(days=20),
                evidence="电话联系上本人，已加入支部微信群。",
            )
        elif kind == 2:  # every channel failed
            _log(case, user, STORIES[:4], start)
            case.findings = (
                "该同志外出前表现一般，已多年未参加组织生活、未交纳党费，经多方查找确实无法取得联系。"
            )
            case.save(update_fields=["findings"])
            services.case_close(
                case=case,
                acting_user=user,
                outcome=CaseStatus.UNREACHABLE,
                closed_on=start + timedelta(days=40),
            )
        else:
            _log(case, user, STORIES[:3], start)
    if stdout and opened:
        stdout.write(f"  失联查找案件 {opened} 件")
