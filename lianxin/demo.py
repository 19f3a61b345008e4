"""Demo data: a realistic county, its committees and branches, and the demo logins.

The county is data: fixtures/demo/county.json (tree, logins, officers); its people and their
stories are fixtures/demo/people.json, read by the apps' seeds. `seed_demo` calls `seed()`
here: `seed_base()` (the tree and the posts, which the tests' `world` fixture also builds),
then each app's `demo.seed(world, rng, stdout)` in order (members, tracing, disposition,
reports), each in one transaction. Every seed is idempotent: it checks what exists and adds
only what is missing, so running the command twice changes nothing.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from lianxin.audit import acting_as
from lianxin.fixtures import load
from lianxin.models import Organization, OrgCategory, OrgKind, Post, Role
from lianxin.posts import post_assign

COUNTY = load("demo/county.json")  # the tree, the logins, the other officers
DEMO_PASSWORD = COUNTY["password"]
DEMO_APPS = ["members", "tracing", "disposition", "reports"]
# username: (organization code, title, role, full name, description)
DEMO_LOGINS = {
    login["username"]: (
        login["organization"],
        login["title"],
        Role(login["role"]),
        login["name"],
        login["description"],
    )
    for login in COUNTY["logins"]
}
BACKDATED = "演示数据：回填日期"  # the history reason of a date set after a service wrote "today"


@dataclass
class World:
    """What the app seeds build on."""

    root: Organization
    orgs: dict  # code -> Organization
    users: dict  # username -> User
    admin: object
    branches: list = field(default_factory=list)


def _ensure_tree(node, parent=None, orgs=None):
    code, kind = node["code"], OrgKind(node["kind"])
    org = Organization.objects.filter(code=code).first()
    if org is None:
        fields = {
            "code": code,
            "name": node["name"],
            "kind": kind,
            "category": OrgCategory[node["category"]],
            "approves_probationary": node.get("approves_probationary", False),
        }
        if kind == OrgKind.BRANCH:
            fields["online_address"] = f"https://dangjian.huayang.gov.cn/branch/{code}"
            fields["wechat_group_link"] = f"https://weixin.qq.com/g/huayang-{code}"
        if parent is None:
            org = Organization.objects.add_root(create_kwargs=fields)
        else:
            org = Organization.objects.add_child(parent, create_kwargs=fields)
    orgs[code] = org
    for child in node.get("children", []):
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
            started_on=date(timezone.localdate().year - 3, 1, 1),
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
        root = _ensure_tree(COUNTY["tree"], orgs=orgs)
        users = {}
        for username, (code, title, role, full_name, _desc) in DEMO_LOGINS.items():
            users[username] = _ensure_user(username, full_name)
            _ensure_post(users[username], orgs[code], title, role, _phone(rng))
        officers = iter(COUNTY["other_officers"]["names"] * 4)
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
            # One transaction per app: its part is there whole or not at all, and is committed once.
            with acting_as(world.admin), transaction.atomic():
                import_module(f"{label}.demo").seed(world, rng, stdout)
    return world


def logins_table():
    lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）:"]
    for username, (_code, _title, _role, full_name, desc) in DEMO_LOGINS.items():
        lines.append(f"  {username:<12} {full_name}  {desc}")
    lines.append(f"  {'admin':<12} 系统管理员  超级用户（后台 /admin/）")
    return "\n".join(lines)


# ---- helpers the app seeds share ----------------------------------------------------------------


def holder(org, title):
    """The user holding the post `title` (书记, 组织委员 …) at `org` now, or None."""
    post = (
        Post.objects.filter(organization=org, title=title, ended_on__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return post.user if post else None


def backdate(obj, **fields):
    """Set dates a service wrote as "today" to the day the story has them, with the history
    saying so (the services refuse only future dates; "today" is the one they write)."""
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._change_reason = BACKDATED
    obj.save()
    return obj
