"""Demo data: a realistic county, its committees and branches, and the demo logins.

`seed_demo` calls `seed()` here, then each app's `demo.seed(world, rng, stdout)` in order
(members, tracing, disposition, reports). Every seed is idempotent: it checks what exists
and adds only what is missing, so running the command twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from lianxin.audit import acting_as
from lianxin.models import Organization, OrgCategory, OrgKind, Post, Role
from lianxin.posts import post_assign

DEMO_PASSWORD = "lianxin-demo"
DEMO_APPS = ["members", "tracing", "disposition", "reports"]

# (code, name, kind, category, approves_probationary, children)
COUNTY_TREE = (
    "610581",
    "中共华阳县委组织部",
    OrgKind.DEPARTMENT,
    OrgCategory.GOVERNMENT,
    True,
    [
        (
            "610581001",
            "中共华阳县城关镇委员会",
            OrgKind.COMMITTEE,
            OrgCategory.COMMUNITY,
            True,
            [
                ("610581001001", "城关镇东街社区党支部", OrgKind.BRANCH, OrgCategory.COMMUNITY, False, []),
                ("610581001002", "城关镇西关村党支部", OrgKind.BRANCH, OrgCategory.RURAL, False, []),
                (
                    "610581001003",
                    "城关镇南街社区党总支",
                    OrgKind.GENERAL_BRANCH,
                    OrgCategory.COMMUNITY,
                    False,
                    [
                        (
                            "610581001003001",
                            "南街社区第一党支部",
                            OrgKind.BRANCH,
                            OrgCategory.COMMUNITY,
                            False,
                            [],
                        ),
                        (
                            "610581001003002",
                            "南街社区第二党支部",
                            OrgKind.BRANCH,
                            OrgCategory.COMMUNITY,
                            False,
                            [],
                        ),
                    ],
                ),
            ],
        ),
        (
            "610581002",
            "中共华阳县教育工作委员会",
            OrgKind.WORK_COMMITTEE,
            OrgCategory.SCHOOL,
            True,
            [
                ("610581002001", "华阳县第一中学党支部", OrgKind.BRANCH, OrgCategory.SCHOOL, False, []),
                ("610581002002", "华阳县实验小学党支部", OrgKind.BRANCH, OrgCategory.SCHOOL, False, []),
            ],
        ),
        (
            "610581003",
            "中共华阳县非公有制经济组织委员会",
            OrgKind.COMMITTEE,
            OrgCategory.PRIVATE_ENTERPRISE,
            True,
            [
                (
                    "610581003001",
                    "华阳宏达机械有限公司党支部",
                    OrgKind.BRANCH,
                    OrgCategory.PRIVATE_ENTERPRISE,
                    False,
                    [],
                ),
                (
                    "610581003002",
                    "华阳县国有粮食储备库党支部",
                    OrgKind.BRANCH,
                    OrgCategory.STATE_ENTERPRISE,
                    False,
                    [],
                ),
            ],
        ),
    ],
)

# username: (organization code, title, role, full name)
DEMO_LOGINS = {
    "county": ("610581", "审批人", Role.DEPARTMENT_APPROVER, "王建国", "县委组织部审批人（全县）"),
    "committee_a": ("610581001", "组织委员", Role.COMMITTEE_REVIEWER, "李秀英", "城关镇党委（基层党委）"),
    "committee_b": ("610581002", "组织委员", Role.COMMITTEE_REVIEWER, "张志强", "县教育工委（党（工）委）"),
    "branch_a1": ("610581001001", "书记", Role.BRANCH_SECRETARY, "刘桂兰", "东街社区党支部书记"),
    "branch_a2": ("610581001002", "书记", Role.BRANCH_SECRETARY, "陈德明", "西关村党支部书记"),
    "branch_b1": ("610581002001", "书记", Role.BRANCH_SECRETARY, "杨丽华", "第一中学党支部书记"),
}

# Secretaries and organization committee members of the other branches (no demo login).
OTHER_OFFICERS = [
    "赵海燕",
    "黄志刚",
    "周晓梅",
    "吴国强",
    "徐春花",
    "孙永红",
    "马俊杰",
    "朱玉兰",
    "胡文斌",
    "郭淑珍",
]


@dataclass
class World:
    """What the app seeds build on."""

    root: Organization
    orgs: dict  # code -> Organization
    users: dict  # username -> User
    admin: object
    branches: list = field(default_factory=list)


def _ensure_tree(node, parent=None, orgs=None):
    code, name, kind, category, approves, children = node
    org = Organization.objects.filter(code=code).first()
    if org is None:
        fields = {
            "code": code,
            "name": name,
            "kind": kind,
            "category": category,
            "approves_probationary": approves,
        }
        if kind == OrgKind.BRANCH:
            fields["online_address"] = f"https://dangjian.huayang.gov.cn/branch/{code}"
            fields["wechat_group_link"] = f"https://weixin.qq.com/g/huayang-{code}"
        if parent is None:
            org = Organization.objects.add_root(create_kwargs=fields)
        else:
            org = Organization.objects.add_child(parent, create_kwargs=fields)
    orgs[code] = org
    for child in children:
        _ensure_tree(child, org, orgs)
    return org


def _ensure_user(username, full_name, *, superuser=False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    # Chinese names keep family name first: the whole name goes in first_name.
    user.first_name, user.last_name = full_name, ""
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


def _ensure_post(user, org, title, role, phone):
    if not Post.objects.filter(user=user, organization=org, title=title, ended_on__isnull=True).exists():
        post_assign(
            user=user,
            organization=org,
            title=title,
            role=role,
            started_on=date(2023, 1, 1),
            phone=phone,
            wechat=f"wx_{user.username}",
            email=f"{user.username}@huayang.gov.cn",
        )


def _phone(rng):
    return f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"


@transaction.atomic
def seed_base(rng):
    admin = _ensure_user("admin", "系统管理员", superuser=True)
    with acting_as(admin):
        orgs = {}
        root = _ensure_tree(COUNTY_TREE, orgs=orgs)
        users = {}
        for username, (code, title, role, full_name, _desc) in DEMO_LOGINS.items():
            users[username] = _ensure_user(username, full_name)
            _ensure_post(users[username], orgs[code], title, role, _phone(rng))
        officers = iter(OTHER_OFFICERS * 4)
        branches = [o for o in orgs.values() if o.kind == OrgKind.BRANCH]
        for branch in branches:
            if not Post.objects.filter(organization=branch, title="书记", ended_on__isnull=True).exists():
                user = _ensure_user(f"sj_{branch.code}", next(officers))
                _ensure_post(user, branch, "书记", Role.BRANCH_SECRETARY, _phone(rng))
            if not Post.objects.filter(organization=branch, title="组织委员", ended_on__isnull=True).exists():
                user = _ensure_user(f"zz_{branch.code}", next(officers))
                _ensure_post(user, branch, "组织委员", Role.BRANCH_COMMITTEE, _phone(rng))
    return World(root=root, orgs=orgs, users=users, admin=admin, branches=branches)


def seed(*, stdout=None, seed_value=20261122):
    rng = random.Random(seed_value)
    world = seed_base(rng)
    for label in DEMO_APPS:
        app = apps.get_app_config(label)
        if module_has_submodule(app.module, "demo"):
            with acting_as(world.admin):
                import_module(f"{label}.demo").seed(world, rng, stdout)
    return world


def logins_table():
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）:"]
    for username, (_code, _title, _role, full_name, desc) in DEMO_LOGINS.items():
        lines.append(f"  {username:<12} {full_name}  {desc}")
    lines.append(f"  {'admin':<12} 系统管理员  超级用户（后台 /admin/）")
    return "\n".join(lines)
