"""Demo members: two years of branch life, and the members who slip away.

fixtures/demo/people.json names every member: each branch's roster (at the quarterly
activities of the last two years, paying every month's dues of the last year), the drift members (slipping away now:
预警, 失控, 失联 not yet searched, abroad, a graduate) and the story members (lost over six
months; their cases are in tracing/demo.py and disposition/demo.py). Each member's contact
status comes out of these records by the real rule (`member_refresh_status`).

The routine records (about 1,500 attendances and 2,200 dues payments) go in with
`bulk_create_with_history`, each history row carrying the branch secretary who recorded it:
one by one through the services they would make the demo slow. What tells a story goes through
the services: the last roll-call, absences, transfers and their receipts.
Idempotent: a branch that already has members is left alone.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lianxin import counters
from lianxin.demo import holder
from lianxin.fixtures import load
from members import idcard, selfreport_demo, services
from members.models import (
    Absence,
    AbsenceKind,
    Activity,
    Attendance,
    AttendanceStatus,
    Contact,
    DuesPayment,
    Gender,
    KeyGroup,
    Member,
    MembershipType,
    Occupation,
    Transfer,
)
from members.status import add_months, compute_status

PEOPLE = load("demo/people.json")
TEXTS = load("demo/texts.json")
OCCUPATION_BY_CATEGORY = {
    3: Occupation.RURAL_MIGRANT,
    5: Occupation.GRADUATE,
    7: Occupation.COMMUNITY_SEPARATED,
}
WORKPLACES = ["华阳县供销社", "个体经营", "华阳县第一中学", "在外务工", "退休", "西安某科技公司"]
ACTIVITIES = 9  # quarterly, the newest (the roll-call) 20 days ago
DUES_MONTHS = 12  # the dues of the last year are recorded month by month
DUES = Decimal("10.00")
TRANSFER_BRANCHES = ("610581001001", "610581001002", "610581002001")  # those with a demo login
ROUTINE = "演示数据：两年来的组织生活和党费记录"


def ago(spec, today):
    """A date before `today` from a spec of fixtures/demo: 14 → fourteen months ago, "40d" → forty days."""
    if isinstance(spec, str) and spec.endswith("d"):
        return today - timedelta(days=int(spec[:-1]))
    return add_months(today, -int(spec))


def activity_dates(today):
    """The branch's activities, newest first: every three months, the newest 20 days ago."""
    return [add_months(today, -3 * k) - timedelta(days=20) for k in range(ACTIVITIES)]


def _month(text):
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def _new_member(branch, person, rng, seq, today):
    gender = Gender(person["gender"])
    birth = (
        _month(person["born"]).replace(day=rng.randrange(1, 29))
        if "born" in person
        else date(rng.randrange(1955, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
    )
    number = idcard.make("610581", birth, (seq * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
    while Member.objects.filter(id_number=number).exists():
        seq += 501
        number = idcard.make("610581", birth, (seq * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
    if "joined" in person:
        joined = _month(person["joined"])
    else:
        joined = date(min(birth.year + rng.randrange(20, 40), today.year - 3), rng.randrange(1, 13), 1)
    probationary = person.get("type") == MembershipType.PROBATIONARY or (
        "type" not in person and rng.random() < 0.05
    )
    member = Member(
        organization=branch,
        name=person["name"],
        gender=gender,
        ethnicity="汉族" if rng.random() < 0.95 else "回族",
        birth_date=birth,
        joined_on=joined,
        membership_type=MembershipType.PROBATIONARY if probationary else MembershipType.FULL,
        id_number=number,
        phone=f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
        wechat=f"wx{rng.randrange(10**6, 10**7)}",
        residence=f"华阳县{rng.choice(['城关镇东街', '城关镇西关村', '城关镇南街社区', '东关街道'])}{rng.randrange(1, 200)}号",
        workplace=rng.choice(WORKPLACES),
        occupation=person.get("occupation")
        or OCCUPATION_BY_CATEGORY.get(branch.category, rng.randrange(1, 9)),
        key_group=rng.choice([KeyGroup.NONE] * 6 + list(KeyGroup.values[1:])),
    )
    member.full_clean(validate_unique=False, validate_constraints=False)
    return member


def _branch_people(code):
    """The branch's people in fixtures/demo/people.json: its roster, then drift and story members."""
    roster = [
        {"name": name, "gender": gender} for name, gender in (e.split("|") for e in PEOPLE["rosters"][code])
    ]
    return (
        roster
        + [p for p in PEOPLE["drift"] if p["branch"] == code]
        + [p for p in PEOPLE["stories"] if p["branch"] == code]
    )


def routine_rows(people, activities, recorder, today, *, since=None):
    """Attendance and dues rows (unsaved) for each (member, seen until): present at the
    activities and paying every month's dues while seen, after `since` if given."""
    start = since or add_months(today, -3 * ACTIVITIES)
    dues_from = since or add_months(today.replace(day=1), -DUES_MONTHS)
    attendance, dues = [], []
    for m_index, (member, seen_until) in enumerate(people):
        for a_index, activity in enumerate(activities):
            if max(member.joined_on, start) < activity.held_on <= seen_until:
                leave = (m_index * 7 + a_index) % 23 == 5  # now and then someone asks for leave
                status = AttendanceStatus.LEAVE if leave else AttendanceStatus.PRESENT
                attendance.append(Attendance(activity=activity, member=member, status=status))
        month = today.replace(day=1)
        while month >= dues_from.replace(day=1):
            paid_on = min(month + timedelta(days=9), today)
            if month <= seen_until < min(add_months(month, 1), today):
                paid_on = seen_until  # the last payment before they slipped away
            if max(member.joined_on, dues_from) < paid_on <= seen_until:
                dues.append(
                    DuesPayment(
                        member=member, month=month, amount=DUES, paid_on=paid_on, recorded_by=recorder
                    )
                )
            month = add_months(month, -1)
        if since is None and member.joined_on < seen_until < dues_from:  # lost before these two years
            dues.append(
                DuesPayment(
                    member=member,
                    month=seen_until.replace(day=1),
                    amount=DUES,
                    paid_on=seen_until,
                    recorded_by=recorder,
                )
            )
    return attendance, dues


def last_contacts(attendance, dues):
    """Each member's last 组织生活 attended or 党费 paid in these rows (what the status rule reads)."""
    last = {}
    for member, day in [
        (a.member, a.activity.held_on) for a in attendance if a.status == AttendanceStatus.PRESENT
    ] + [(d.member, d.paid_on) for d in dues]:
        last[id(member)] = max(last.get(id(member), day), day)
    return last


def resume(member, recorder, today, since):
    """A member found again is back at the branch's activities and pays dues from `since`."""
    activities = list(Activity.objects.filter(organization=member.organization, held_on__gt=since))
    attendance, dues = routine_rows([(member, today)], activities, recorder, today, since=since)
    bulk_create_with_history(attendance, Attendance, default_user=recorder, default_change_reason=ROUTINE)
    bulk_create_with_history(dues, DuesPayment, default_user=recorder, default_change_reason=ROUTINE)
    member.refresh_from_db()
    services.member_refresh_status(member, today=today)


def _activities(branch, recorder, today, *, roll_call_by_service):
    """The branch's activities (unsaved), newest first; the newest is the roll-call, recorded
    by the service where the story has someone not reachable at it."""
    return [
        Activity(
            organization=branch,
            kind=TEXTS["activities"][k % len(TEXTS["activities"])]["kind"],
            title=TEXTS["activities"][k % len(TEXTS["activities"])]["title"],
            held_on=held_on,
            recorded_by=recorder,
        )
        for k, held_on in enumerate(activity_dates(today))
        if k > 0 or not roll_call_by_service
    ]


def _roll_call(branch, people, recorder, today):
    held_on = activity_dates(today)[0]
    attendance = {}
    for member, person, seen_until in people:
        if person.get("drift") == "roll_call_unreachable":
            attendance[member] = AttendanceStatus.UNREACHABLE
        elif seen_until >= held_on:
            attendance[member] = AttendanceStatus.PRESENT
    services.activity_record(
        organization=branch,
        kind=TEXTS["activities"][0]["kind"],
        title=TEXTS["activities"][0]["title"],
        held_on=held_on,
        attendance=attendance,
        acting_user=recorder,
    )


# A drifting member's story (fixtures/demo/people.json "drift") and the absence it records.
DRIFT_ABSENCES = {
    "away_unreported": dict(kind=AbsenceKind.AWAY, destination="广东省东莞市（务工）", reported=False),
    "graduate": dict(kind=AbsenceKind.GRADUATE, destination="西北大学（组织关系在校）", reported=True),
    "abroad": dict(
        kind=AbsenceKind.ABROAD,
        destination="新西兰奥克兰",
        country="新西兰",
        purpose="探亲",
        reported=True,
        keeps_relation=True,
    ),
}


def _absences(people, recorder, today):
    for member, person, _seen in people:
        fields = DRIFT_ABSENCES.get(person.get("drift"))
        if fields:
            absence = Absence(
                member=member, left_on=ago(person["left"], today), contact_person="其父亲", **fields
            )
            services.absence_record(absence=absence, acting_user=recorder)


def _transfers(branch, roster, recorder, today):
    """One permanent transfer out with its receipt back, one temporary whose 回执 is overdue
    (its 介绍信 expired, followed up), one transfer in."""
    common = dict(
        phone="13991234567",
        wechat="wx_transfer",
        backup_contact="父亲 13800001111",
        talk_record=TEXTS["transfer_talk"],
    )
    done = services.transfer_out(
        transfer=Transfer(
            member=roster[-1],
            nature=Transfer.Nature.PERMANENT,
            destination="西安市高新区（工作）",
            other_organization="西安高新区某科技公司党支部",
            talk_on=today - timedelta(days=120),
            pledge_signed_on=today - timedelta(days=120),
            card_handed_on=today - timedelta(days=120),
            letter_number=f"华组转〔{today.year}〕{branch.pk}1号",
            letter_issued_on=today - timedelta(days=118),
            **common,
        ),
        acting_user=recorder,
    )
    services.receipt_record(transfer=done, received_on=today - timedelta(days=90), acting_user=recorder)
    waiting = services.transfer_out(
        transfer=Transfer(
            member=roster[-2],
            nature=Transfer.Nature.TEMPORARY,
            destination="广东省东莞市（务工）",
            other_organization="东莞市某镇流动党员党支部",
            talk_on=today - timedelta(days=100),
            pledge_signed_on=today - timedelta(days=100),
            card_handed_on=today - timedelta(days=100),
            letter_number=f"华组转〔{today.year}〕{branch.pk}2号",
            letter_issued_on=today - timedelta(days=99),
            **common,
        ),
        acting_user=recorder,
    )
    services.follow_up_add(
        transfer=waiting,
        on=today - timedelta(days=10),
        note="电话联系接收党组织，称尚未报到，已提醒本人",
        acting_user=recorder,
    )
    services.transfer_in(
        transfer=Transfer(
            member=roster[-3],
            other_organization="宝鸡市某社区党支部",
            talk_on=today - timedelta(days=60),
            talk_record="转入谈话，了解外出期间情况。",
        ),
        acting_user=recorder,
    )


def _contacts(people, recorder):
    rows = [
        Contact(
            member=member,
            kind=Contact.Kind.FAMILY,
            name=member.name[0] + ("秀兰" if member.gender == Gender.MALE else "建军"),
            relation="配偶",
            phone=f"138{member.pk:08d}",
            address=member.residence,
        )
        for index, (member, person, _seen) in enumerate(people)
        if "path" in person or index % 7 == 3
    ]
    bulk_create_with_history(
        rows, Contact, default_user=recorder, default_change_reason="登记家庭成员联系方式"
    )


def _members(branch, recorder, rng, b_index, today):
    """The branch's members with two years of records; each one's last contact and status
    computed from those records by the rule (tests check member_refresh_status agrees)."""
    persons = _branch_people(branch.code)
    members = [_new_member(branch, p, rng, b_index * 100 + i, today) for i, p in enumerate(persons)]
    people = [
        (m, p, ago(p["last_seen"], today) if "last_seen" in p else today)
        for m, p in zip(members, persons, strict=True)
    ]
    by_service = any(p.get("drift") == "roll_call_unreachable" for p in persons)
    activities = _activities(branch, recorder, today, roll_call_by_service=by_service)
    attendance, dues = routine_rows([(m, seen) for m, _p, seen in people], activities, recorder, today)
    last = last_contacts(attendance, dues)
    for member in members:
        member.last_contact_on = last.get(id(member))
        member.contact_status = compute_status(last_contact=member.last_contact_on, today=today)
    bulk_create_with_history(members, Member, default_user=recorder, default_change_reason="录入党员花名册")
    counters.created(Member, members)
    # Saved in order, each row's member and activity have their keys when it is (bulk_create reads them).
    for model, rows in ((Activity, activities), (Attendance, attendance), (DuesPayment, dues)):
        bulk_create_with_history(rows, model, default_user=recorder, default_change_reason=ROUTINE)
    if by_service:
        _roll_call(branch, people, recorder, today)
    return people


def seed(world, rng, stdout=None):
    today = timezone.localdate()
    created = 0
    for b_index, branch in enumerate(world.branches):
        if Member.objects.filter(organization=branch).exists():
            continue
        recorder = holder(branch, "书记")
        people = _members(branch, recorder, rng, b_index, today)
        created += len(people)
        _contacts(people, recorder)
        _absences(people, recorder, today)
        if branch.code in TRANSFER_BRANCHES:
            _transfers(branch, [m for m, p, _s in people if "last_seen" not in p], recorder, today)
    if stdout and created:
        stdout.write(f"  党员 {created} 名")
    selfreport_demo.seed(ago, today, stdout)
