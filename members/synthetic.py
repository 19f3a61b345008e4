"""The benchmark's members (lianxin/synthetic.py): valid 身份证号, statuses in the proportions a
province might see, two activities per branch with everyone reachable present, one 党费 payment
each, and a few absences and transfers for the 工作台's panels. Fast path, no history rows."""

from array import array
from datetime import date, timedelta

from lianxin.synthetic import copy_rows
from members import idcard
from members.models import (
    Absence,
    AbsenceKind,
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    ContactStatus,
    DuesPayment,
    Gender,
    Member,
    MembershipType,
    Transfer,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉玉兰志强海燕春梅红梅德明国强晓东丽华宏伟小红淑珍永红俊杰玉珍志刚"
WARNING_SHARE = 0.01  # 150 days and more without contact
UNREACHABLE_SHARE = 0.003  # marked 联系不上 at the last roll call
SMALL_SHARE = 0.001  # graduates due, abroad, transfers awaiting their 回执: one in a thousand each

MEMBER_FIELDS = [
    "organization_id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "joined_on",
    "membership_type",
    "id_number",
    "phone",
    "occupation",
    "last_contact_on",
    "contact_status",
    "unreachable_since",
]


def _status(rng, shape, today):
    """(last contact, contact status, 联系不上 since) for one member."""
    draw = rng.random()
    if draw < shape.lost_share:
        return today - timedelta(days=rng.randrange(200, 900)), ContactStatus.LOST, None
    draw -= shape.lost_share
    if draw < WARNING_SHARE:
        return today - timedelta(days=rng.randrange(150, 175)), ContactStatus.WARNING, None
    draw -= WARNING_SHARE
    if draw < UNREACHABLE_SHARE:
        since = today - timedelta(days=rng.randrange(20, 60))
        return since - timedelta(days=rng.randrange(30, 80)), ContactStatus.OUT_OF_CONTROL, since
    return today - timedelta(days=rng.randrange(1, 120)), ContactStatus.NORMAL, None


def member_rows(ctx):
    shape, rng, branches = ctx.shape, ctx.rng, ctx.branches
    per_branch = max(1, shape.members // len(branches))
    seq = 0
    for branch_index, branch_id in enumerate(branches):
        last = branch_index == len(branches) - 1
        count = shape.members - per_branch * branch_index if last else per_branch
        for _ in range(max(0, count)):
            seq += 1
            gender = Gender.MALE if seq % 3 else Gender.FEMALE
            birth = date(1940 + seq % 60, 1 + seq % 12, 1 + seq % 28)
            # The sequence part keeps the number unique: area code varies with the member number.
            area = f"{110000 + (seq // 500) % 800000:06d}"
            number = idcard.make(area, birth, ((seq % 500) * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
            last_contact, status, unreachable = _status(rng, shape, ctx.today)
            yield (
                branch_id,
                rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if seq % 2 else ""),
                gender,
                "汉族",
                birth,
                date(birth.year + 25, 7, 1),
                MembershipType.PROBATIONARY if seq % 50 == 0 else MembershipType.FULL,
                number,
                f"1{3 + seq % 6}{seq:09d}"[:11],
                1 + seq % 8,
                last_contact,
                status,
                unreachable,
            )


def _columns(rows, width):
    """Rows of ints as `width` compact arrays (5,000,000 members as tuples would take 600 MB)."""
    out = [array("q") for _ in range(width)]
    for row in rows:
        for column, value in zip(out, row, strict=True):
            column.append(value)
    return out


def _member_columns(**filters):
    rows = Member.objects.filter(**filters).order_by("pk").values_list("pk", "organization_id")
    return _columns(rows.iterator(chunk_size=20000), 2)


def _organizational_life(ctx):
    days = [ctx.today - timedelta(days=20), ctx.today - timedelta(days=80)]
    counts = {
        "activities": copy_rows(
            Activity,
            ["organization_id", "kind", "title", "held_on", "recorded_by_id"],
            (
                (b, ActivityKind.PARTY_DAY.value, "主题党日", day, ctx.recorder_id)
                for b in ctx.branches
                for day in days
            ),
        )
    }
    activities = {}
    for pk, org_id in Activity.objects.values_list("pk", "organization_id").iterator(chunk_size=20000):
        activities.setdefault(org_id, []).append(pk)
    # Each COPY's rows are read before it starts: the connection cannot run a query while copying.
    pks, orgs = _member_columns(contact_status=ContactStatus.NORMAL)
    counts["attendance"] = copy_rows(
        Attendance,
        ["activity_id", "member_id", "status"],
        (
            (a, m, AttendanceStatus.PRESENT.value)
            for m, org in zip(pks, orgs, strict=True)
            for a in activities.get(org, ())
        ),
    )
    return counts


def _dues(ctx):
    rows = Member.objects.order_by("pk").values_list("pk", "last_contact_on").iterator(chunk_size=20000)
    pks, days = _columns(((pk, day.toordinal()) for pk, day in rows), 2)
    return copy_rows(
        DuesPayment,
        ["member_id", "month", "amount", "paid_on", "recorded_by_id"],
        (
            (pk, date.fromordinal(day).replace(day=1), "10.00", date.fromordinal(day), ctx.recorder_id)
            for pk, day in zip(pks, days, strict=True)
        ),
    )


def _absences_and_transfers(ctx):
    rng, today = ctx.rng, ctx.today
    pks, _orgs = _member_columns(contact_status=ContactStatus.NORMAL)
    chosen = [pk for pk in pks if rng.random() < 3 * SMALL_SHARE]
    graduates, abroad, moving = chosen[0::3], chosen[1::3], chosen[2::3]
    absences = [
        (pk, AbsenceKind.GRADUATE.value, today - timedelta(days=rng.randrange(640, 760)), "西安某高校")
        for pk in graduates
    ]
    absences += [
        (pk, AbsenceKind.ABROAD.value, today - timedelta(days=rng.randrange(30, 700)), "新加坡")
        for pk in abroad
    ]
    counts = {
        "absences": copy_rows(
            Absence,
            ["member_id", "kind", "left_on", "destination", "reported", "country"],
            (
                (pk, kind, left, where, True, "新加坡" if kind == AbsenceKind.ABROAD else "")
                for pk, kind, left, where in absences
            ),
        )
    }
    counts["transfers"] = copy_rows(
        Transfer,
        ["member_id", "direction", "nature", "destination", "backup_contact", "other_organization"]
        + ["talk_on", "talk_record", "letter_issued_on", "letter_valid_until", "recorded_by_id"],
        (
            (
                pk,
                Transfer.Direction.OUT.value,
                Transfer.Nature.PERMANENT.value,
                "广东深圳",
                "其妻",
                "深圳市某党支部",
                talk,
                "谈心谈话（基准数据）",
            )
            + (talk, talk + timedelta(days=90), ctx.recorder_id)
            for pk in moving
            for talk in [today - timedelta(days=rng.randrange(10, 200))]
        ),
    )
    return counts


def build(ctx):
    counts = {"members": copy_rows(Member, MEMBER_FIELDS, member_rows(ctx))}
    counts.update(_organizational_life(ctx))
    counts["dues"] = _dues(ctx)
    counts.update(_absences_and_transfers(ctx))
    return counts
