"""Synthetic province-sized data for the benchmark (`manage.py bench`, `make bench`).

Fast path: rows go in with PostgreSQL COPY (bulk_create on SQLite) and WITHOUT history rows.
That is allowed here only: this data is never product data. Product code writes history.

Shape (defaults): 1 province department → 10 cities → 10 counties each → 20 committees each →
30 branches each (60,000 branches), members spread over the branches.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from lianxin.models import Organization, OrgCategory, OrgKind, Role
from lianxin.posts import post_assign
from members import idcard
from members.models import Gender, Member, MembershipType

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉玉兰志强海燕春梅红梅德明国强晓东丽华宏伟小红淑珍永红俊杰玉珍志刚"


@dataclass
class Shape:
    cities: int = 10
    counties_per_city: int = 10
    committees_per_county: int = 20
    branches_per_committee: int = 30
    members: int = 1_000_000
    lost_share: float = 0.02


def copy_rows(model, fields, rows, *, batch=5000):
    """Insert rows (tuples in `fields` order) fast; fills the model defaults of other columns."""
    concrete = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = set(fields)
    extra = [f for f in concrete if f.attname not in given]
    defaults = tuple(f.get_default() for f in extra)
    columns = [model._meta.get_field(name).column if name != "id" else "id" for name in fields] + [
        f.column for f in extra
    ]
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row) + defaults)
                count += 1
    else:
        names = list(fields) + [f.attname for f in extra]
        chunk = []
        for row in rows:
            chunk.append(model(**dict(zip(names, tuple(row) + defaults, strict=True))))
            if len(chunk) >= batch:
                model.objects.bulk_create(chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            model.objects.bulk_create(chunk)
            count += len(chunk)
    return count


def _path(parent_path, index):
    return Organization._get_path(parent_path, len(parent_path) // Organization.steplen + 1, index)


def build_tree(shape: Shape, *, code_prefix="61"):
    """The province tree, written in one pass with precomputed materialized paths."""
    rows = []
    cat_cycle = [c.value for c in OrgCategory]

    def add(path, code, name, kind, category, numchild, approves=False):
        rows.append((path, len(path) // 4, numchild, name, code, kind, category, approves))

    root = _path("", 1)
    add(
        root,
        code_prefix,
        "中共陕西省委组织部（基准）",
        OrgKind.DEPARTMENT,
        OrgCategory.GOVERNMENT,
        shape.cities,
    )
    for ci in range(1, shape.cities + 1):
        cpath, ccode = _path(root, ci), f"{code_prefix}{ci:02d}"
        add(
            cpath,
            ccode,
            f"中共第{ci}市委组织部",
            OrgKind.DEPARTMENT,
            OrgCategory.GOVERNMENT,
            shape.counties_per_city,
        )
        for ki in range(1, shape.counties_per_city + 1):
            kpath, kcode = _path(cpath, ki), f"{ccode}{ki:02d}"
            add(
                kpath,
                kcode,
                f"中共第{ci}市第{ki}县委组织部",
                OrgKind.DEPARTMENT,
                OrgCategory.GOVERNMENT,
                shape.committees_per_county,
            )
            for mi in range(1, shape.committees_per_county + 1):
                mpath, mcode = _path(kpath, mi), f"{kcode}{mi:03d}"
                add(
                    mpath,
                    mcode,
                    f"第{ci}市第{ki}县第{mi}基层党委",
                    OrgKind.COMMITTEE,
                    cat_cycle[mi % 9],
                    shape.branches_per_committee,
                    True,
                )
                for bi in range(1, shape.branches_per_committee + 1):
                    add(
                        _path(mpath, bi),
                        f"{mcode}{bi:03d}",
                        f"第{ci}市第{ki}县第{mi}党委第{bi}党支部",
                        OrgKind.BRANCH,
                        cat_cycle[(mi + bi) % 9],
                        0,
                    )
    fields = ["path", "depth", "numchild", "name", "code", "kind", "category", "approves_probationary"]
    copy_rows(Organization, fields, rows)
    return len(rows)


def branch_ids():
    return list(
        Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path").values_list("id", flat=True)
    )


def member_rows(shape: Shape, branches, rng, today):
    """Members with valid 身份证号 and a last contact date; `lost_share` over six months ago."""
    per_branch = max(1, shape.members // len(branches))
    seq = 0
    for branch_index, branch_id in enumerate(branches):
        count = per_branch if branch_index < len(branches) - 1 else shape.members - per_branch * branch_index
        for _ in range(max(0, count)):
            seq += 1
            gender = Gender.MALE if seq % 3 else Gender.FEMALE
            birth = date(1940 + seq % 60, 1 + seq % 12, 1 + seq % 28)
            # The sequence part keeps the number unique: area code varies with the member number.
            area = f"{110000 + (seq // 500) % 800000:06d}"
            number = idcard.make(area, birth, ((seq % 500) * 2 + (1 if gender == Gender.MALE else 0)) % 1000)
            lost = rng.random() < shape.lost_share
            last_contact = today - timedelta(days=rng.randrange(200, 900) if lost else rng.randrange(1, 120))
            status = "lost" if lost else "normal"
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
            )


def build_members(shape: Shape, rng, today):
    fields = [
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
    ]
    return copy_rows(Member, fields, member_rows(shape, branch_ids(), rng, today))


def bench_users():
    """A branch, a county and a province user (password unusable: the benchmark logs in directly)."""
    User = get_user_model()
    branch = Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path").first()
    county = Organization.objects.get(path=branch.path[:12])
    province = Organization.objects.get(path=branch.path[:4])
    users = {}
    for name, org, role in (
        ("bench_branch", branch, Role.BRANCH_SECRETARY),
        ("bench_county", county, Role.DEPARTMENT_APPROVER),
        ("bench_province", province, Role.DEPARTMENT_APPROVER),
    ):
        user, created = User.objects.get_or_create(username=name, defaults={"first_name": name})
        if created:
            user.set_unusable_password()
            user.save()
            post_assign(user=user, organization=org, title="基准", role=role)
        users[name] = user
    return users


def build_history(shape: Shape, rng, today, recorder_id):
    """Organizational life (two activities per branch, everyone present but the lost), one 党费
    payment per member, a case with three attempts for every lost member, and dispositions at
    every stage for a quarter of the cases."""
    from datetime import datetime
    from datetime import time as dtime

    from django.utils import timezone

    from disposition.models import Disposition, DispositionStep
    from members.models import Activity, Attendance, DuesPayment
    from tracing.models import LostContactCase, SearchAttempt

    counts = {}
    branches = branch_ids()
    days = [today - timedelta(days=20), today - timedelta(days=80)]
    counts["activities"] = copy_rows(
        Activity,
        ["organization_id", "kind", "title", "held_on", "recorded_by_id"],
        ((b, "party_day", "主题党日", day, recorder_id) for b in branches for day in days),
    )
    activities = {}
    for pk, org_id in Activity.objects.values_list("pk", "organization_id").iterator(chunk_size=20000):
        activities.setdefault(org_id, []).append(pk)
    # Each COPY's rows are read before it starts: the connection cannot run a query while copying.
    members = list(
        Member.objects.filter(contact_status="normal").values_list("pk", "organization_id").order_by("pk")
    )
    counts["attendance"] = copy_rows(
        Attendance,
        ["activity_id", "member_id", "status"],
        ((a, m, "present") for m, org_id in members for a in activities.get(org_id, [])),
    )
    counts["dues"] = copy_rows(
        DuesPayment,
        ["member_id", "month", "amount", "paid_on", "recorded_by_id"],
        (
            (m, last.replace(day=1), "10.00", last, recorder_id)
            for m, last in list(Member.objects.values_list("pk", "last_contact_on").order_by("pk"))
        ),
    )
    lost = list(
        Member.objects.filter(contact_status="lost").values_list("pk", "organization_id", "last_contact_on")
    )
    statuses = ["open", "contacted", "unreachable", "unreachable"]
    counts["cases"] = copy_rows(
        LostContactCase,
        [
            "member_id",
            "organization_id",
            "opened_on",
            "opened_by_id",
            "lost_since",
            "reason",
            "status",
            "closed_on",
            "findings",
        ],
        (
            (
                m,
                org_id,
                today - timedelta(days=90),
                recorder_id,
                last,
                1 + i % 6,
                statuses[i % 4],
                None if i % 4 == 0 else today - timedelta(days=30),
                "经多方查找，情况属实。",
            )
            for i, (m, org_id, last) in enumerate(lost)
        ),
    )
    cases = list(
        LostContactCase.objects.values_list("pk", "member_id", "organization_id", "status").order_by("pk")
    )
    channels = ["phone", "relatives", "police"]
    counts["attempts"] = copy_rows(
        SearchAttempt,
        [
            "case_id",
            "searched_at",
            "searcher_id",
            "searcher_name",
            "channel",
            "process",
            "witness",
            "result",
            "by_committee",
            "correction_reason",
            "remark",
            "created_at",
            "attachment",
        ],
        (
            (
                pk,
                timezone.make_aware(datetime.combine(today - timedelta(days=80 - j * 10), dtime(10))),
                recorder_id,
                "基准",
                channels[j],
                "查找过程（基准数据）",
                "证明人",
                "no_trace",
                False,
                "",
                "",
                timezone.now(),
                "",
            )
            for pk, _m, _o, _s in cases
            for j in range(3)
        ),
    )
    # Dispositions: every other closed case, at a stage chosen by its index.
    stage_keys = [
        "branch_committee",
        "committee_pre",
        "department_pre",
        "general_meeting",
        "committee_approval",
        "department_approval",
    ]
    chosen = [(i, c) for i, c in enumerate(cases) if c[3] != "open" and i % 2 == 1]
    counts["dispositions"] = copy_rows(
        Disposition,
        [
            "case_id",
            "member_id",
            "organization_id",
            "outcome",
            "contacted",
            "proposal",
            "status",
            "current_stage",
            "stage_since",
            "proposed_by_id",
            "proposed_on",
            "approved_on",
        ],
        (
            (
                pk,
                m,
                o,
                "lapsed_remove" if s == "unreachable" else "retain",
                s == "contacted",
                "基准处置意见",
                "approved" if i % 7 == 0 else "in_review",
                "" if i % 7 == 0 else stage_keys[i % 6 if s == "unreachable" else (i % 2) * 4],
                today - timedelta(days=i % 40),
                recorder_id,
                today - timedelta(days=40),
                today - timedelta(days=5) if i % 7 == 0 else None,
            )
            for i, (pk, m, o, s) in chosen
        ),
    )
    counts["steps"] = copy_rows(
        DispositionStep,
        [
            "disposition_id",
            "stage",
            "decision",
            "opinion",
            "acting_user_id",
            "organization_id",
            "decided_on",
            "return_to",
        ],
        (
            (d, "branch_committee", "agree", "同意", recorder_id, o, today - timedelta(days=35), "")
            for d, o in list(
                Disposition.objects.exclude(current_stage="branch_committee").values_list(
                    "pk", "organization_id"
                )
            )
        ),
    )
    return counts


def generate(shape: Shape, *, seed=7, log=print):
    rng = random.Random(seed)
    today = date.today()
    timings = {}
    with transaction.atomic():
        t = time.perf_counter()
        orgs = build_tree(shape)
        timings["organizations"] = (orgs, time.perf_counter() - t)
        log(f"  党组织 {orgs} 个，用时 {timings['organizations'][1]:.1f}s")
        t = time.perf_counter()
        members = build_members(shape, rng, today)
        timings["members"] = (members, time.perf_counter() - t)
        log(f"  党员 {members} 名，用时 {timings['members'][1]:.1f}s")
        users = bench_users()
        t = time.perf_counter()
        counts = build_history(shape, rng, today, users["bench_branch"].pk)
        timings["history"] = (sum(counts.values()), time.perf_counter() - t)
        log(f"  组织生活、党费、案件、查找记录、组织处置：{counts}，用时 {timings['history'][1]:.1f}s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return timings
