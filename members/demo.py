"""Demo members: about 25 per branch, with attendance, dues, absences and every contact status.

About 5% are lost (last contact 7–30 months ago) so the tracing demo can open cases for them.
Idempotent: a branch that already has members is left alone.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from lianxin.synthetic import GIVEN, SURNAMES
from members import idcard
from members.models import (
    Absence,
    AbsenceKind,
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Contact,
    DuesPayment,
    Gender,
    KeyGroup,
    Member,
    MembershipType,
)
from members.services import member_refresh_status

PER_BRANCH = 25
OCCUPATION_BY_CATEGORY = {3: 3, 5: 5, 7: 6, 2: 2}  # branch category → the likely 职业 code


def _month_start(day, back):
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def _new_member(branch, rng, seq, today):
    gender = Gender.MALE if rng.random() < 0.6 else Gender.FEMALE
    birth = date(rng.randrange(1950, 2002), rng.randrange(1, 13), rng.randrange(1, 29))
    number = idcard.make("610581", birth, (seq * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
    while Member.objects.filter(id_number=number).exists():
        seq += 501
        number = idcard.make("610581", birth, (seq * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
    joined = date(min(birth.year + rng.randrange(19, 40), today.year - 1), rng.randrange(1, 13), 1)
    return Member.objects.create(
        organization=branch,
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
        gender=gender,
        ethnicity="汉族" if rng.random() < 0.95 else "回族",
        birth_date=birth,
        joined_on=joined,
        membership_type=MembershipType.PROBATIONARY if rng.random() < 0.06 else MembershipType.FULL,
        id_number=number,
        phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
        wechat=f"wx{rng.randrange(10**6, 10**7)}",
        residence=f"华阳县{rng.choice(['城关镇', '东关街道', '南街社区', '西关村'])}{rng.randrange(1, 200)}号",
        workplace=rng.choice(
            ["华阳县供销社", "个体经营", "华阳县第一中学", "在外务工", "退休", "西安某科技公司"]
        ),
        occupation=OCCUPATION_BY_CATEGORY.get(branch.category, rng.randrange(1, 9)),
        key_group=rng.choice([KeyGroup.NONE] * 6 + list(KeyGroup.values[1:])),
    )


def _transfers(branch, members, admin, today):
    """One transfer out with its receipt back, one still waiting (followed up), one transfer in."""
    from members.models import PartyStatus, Transfer, TransferFollowUp

    common = dict(
        phone="13991234567",
        wechat="wx_transfer",
        backup_contact="父亲 13800001111",
        talk_record="转出前谈心谈话，嘱其到新单位后及时报到、按时参加组织生活、交纳党费。",
        recorded_by=admin,
    )
    done = Transfer.objects.create(
        member=members[-1],
        direction="out",
        nature="permanent",
        destination="西安市高新区（工作）",
        other_organization="西安高新区某科技公司党支部",
        talk_on=today - timedelta(days=120),
        pledge_signed_on=today - timedelta(days=120),
        card_handed_on=today - timedelta(days=120),
        letter_number=f"华组转〔{today.year}〕{branch.pk}1号",
        letter_issued_on=today - timedelta(days=118),
        letter_valid_until=today - timedelta(days=28),
        receipt_received_on=today - timedelta(days=90),
        **common,
    )
    done.member.party_status, done.member.party_status_since = (
        PartyStatus.TRANSFERRED_OUT,
        done.receipt_received_on,
    )
    done.member.save()
    waiting = Transfer.objects.create(
        member=members[-2],
        direction="out",
        nature="temporary",
        destination="广东省东莞市（务工）",
        other_organization="东莞市某镇流动党员党支部",
        talk_on=today - timedelta(days=40),
        pledge_signed_on=today - timedelta(days=40),
        card_handed_on=today - timedelta(days=40),
        letter_number=f"华组转〔{today.year}〕{branch.pk}2号",
        letter_issued_on=today - timedelta(days=39),
        letter_valid_until=today + timedelta(days=51),
        **common,
    )
    TransferFollowUp.objects.create(
        transfer=waiting,
        on=today - timedelta(days=10),
        note="电话联系接收党组织，称尚未报到，已提醒本人",
        recorded_by=admin,
    )
    Transfer.objects.create(
        member=members[-3],
        direction="in",
        other_organization="宝鸡市某社区党支部",
        talk_on=today - timedelta(days=60),
        talk_record="转入谈话，了解外出期间情况。",
        recorded_by=admin,
    )


def seed(world, rng, stdout=None):
    today = timezone.localdate()
    admin = world.admin
    created = 0
    for b_index, branch in enumerate(world.branches):
        if Member.objects.filter(organization=branch).exists():
            continue
        members = [_new_member(branch, rng, b_index * 100 + i, today) for i in range(PER_BRANCH)]
        created += len(members)
        # Roughly: 5% lost (7–30 months), 8% approaching (150–180 days), the rest in contact.
        lost = set(rng.sample(range(PER_BRANCH), 2))
        approaching = {i for i in range(PER_BRANCH) if i not in lost and rng.random() < 0.08}
        for i, member in enumerate(members):
            if i in lost:
                last = today - timedelta(days=rng.randrange(215, 900))
            elif i in approaching:
                last = today - timedelta(days=rng.randrange(150, 178))
            else:
                last = today - timedelta(days=rng.randrange(5, 100))
            member.last_contact_on = last
            if i % 7 == 3:
                Contact.objects.create(
                    member=member,
                    kind=Contact.Kind.FAMILY,
                    name=member.name[0] + "秀兰",
                    relation="配偶",
                    phone=f"13{rng.randrange(10**8, 10**9)}",
                    address=member.residence,
                )
            if i % 5 == 1:
                DuesPayment.objects.create(
                    member=member,
                    month=_month_start(last, 0),
                    amount=Decimal("10.00"),
                    paid_on=last,
                    recorded_by=admin,
                )
            if i % 11 == 4 and i not in lost:
                Absence.objects.create(
                    member=member,
                    kind=AbsenceKind.AWAY,
                    left_on=today - timedelta(days=rng.randrange(40, 120)),
                    destination="广东省东莞市（务工）",
                    reported=i % 2 == 0,
                    contact_person="父亲",
                )
            if i % 17 == 6 and i not in lost:
                Absence.objects.create(
                    member=member,
                    kind=AbsenceKind.ABROAD,
                    left_on=today - timedelta(days=300),
                    country="新加坡",
                    purpose="探亲",
                    destination="新加坡",
                    reported=True,
                    keeps_relation=True,
                )
            member.save()
        # The branch's last 主题党日, with one member not reachable at the roll-call.
        activity = Activity.objects.create(
            organization=branch,
            kind=ActivityKind.PARTY_DAY,
            title="学习党章、重温入党誓词",
            held_on=today - timedelta(days=20),
            recorded_by=admin,
        )
        for i, member in enumerate(members):
            if i in lost or i in approaching:
                continue
            status = AttendanceStatus.PRESENT if i != 9 else AttendanceStatus.UNREACHABLE
            Attendance.objects.create(activity=activity, member=member, status=status)
            if status == AttendanceStatus.UNREACHABLE:
                member.unreachable_since = activity.held_on
                member.save(update_fields=["unreachable_since"])
        _transfers(branch, members, admin, today)
        for member in members:
            member_refresh_status(member, today=today)
    if stdout and created:
        stdout.write(f"  党员 {created} 名")
