"""What the load test's users do, and the rows their writes must leave (scripts/load.py).

Personas are real users with real posts (and so real object permissions) at the demo's
branches, committees and the county department; each action is a URL made with reverse(),
so a renamed view fails the run loudly instead of measuring 404s.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lianxin.audit import acting_as
from lianxin.models import Organization, OrgKind, Post, Role
from lianxin.posts import post_assign


@dataclass
class Action:
    name: str
    method: str
    paths: list  # one is chosen per request
    data: dict | None = None
    write_kind: str | None = None  # the model label a successful POST adds one row to
    success: int = 200  # the status a successful request answers (302 for a form that redirects)

    def make(self, rng):
        return self.method, rng.choice(self.paths), self.data, self.write_kind, self.success


@dataclass
class Persona:
    username: str
    organization: Organization
    actions: list


def _url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _ensure_user(username, org, role, title, password):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": username}
    )
    if created:
        user.set_password(password)
        user.save()
    if not Post.objects.filter(user=user, organization=org, ended_on__isnull=True).exists():
        post_assign(user=user, organization=org, title=title, role=role)
    return user


def _members_of(org, limit=20):
    Member = apps.get_model("members", "Member")
    return list(
        Member.objects.filter(organization__path__startswith=org.path).values_list("pk", flat=True)[:limit]
    )


def _branch_actions(branch):
    actions = [Action("工作台", "GET", [reverse("home")])]
    members = _members_of(branch)
    member_list = _url("members:member_list")
    if member_list:
        # "?q=王", percent-encoded as a browser sends it
        actions.append(Action("党员名单", "GET", [member_list, member_list + "?q=%E7%8E%8B"]))
    detail = [_url("members:member_detail", pk=pk) for pk in members]
    if members and detail[0]:
        actions.append(Action("党员详情", "GET", detail))
    if members:
        reveal = [
            reverse("reveal_value", kwargs={"model": "members.member", "pk": pk, "field": "phone"})
            for pk in members
        ]
        actions.append(Action("查看完整电话（记录）", "POST", reveal, {}, "lianxin.Disclosure"))
    actions += _tracing_actions(branch)
    return actions


def _tracing_actions(branch):
    """Open a case's page and log a search attempt, on the branch's open cases."""
    try:
        Case = apps.get_model("tracing", "LostContactCase")
    except LookupError:
        return []
    cases = list(Case.objects.filter(organization=branch, status="open").values_list("pk", flat=True)[:10])
    actions = []
    case_list = _url("tracing:case_list")
    if case_list:
        actions.append(Action("失联案件列表", "GET", [case_list]))
    detail = [_url("tracing:case_detail", pk=pk) for pk in cases]
    if cases and detail[0]:
        actions.append(Action("案件详情", "GET", detail))
    attempt = [_url("tracing:attempt_add", pk=pk) for pk in cases]
    if cases and attempt[0]:
        when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "searched_at": when,
            "channel": "phone",
            "process": "压力测试：拨打本人电话，无人接听。",
            "witness": "张三",
            "result": "no_trace",
        }
        # A saved attempt redirects to the case (302); the form shown again (200) saved nothing.
        actions.append(Action("登记查找（写）", "POST", attempt, data, "tracing.SearchAttempt", success=302))
    return actions


def _approver_actions(org):
    actions = [
        Action("工作台", "GET", [reverse("home")]),
        Action("组织列表", "GET", [reverse("organization_list")]),
    ]
    inbox = _url("disposition:inbox")
    if inbox:
        actions.append(Action("待办（审批）", "GET", [inbox]))
    statistics = _url("reports:statistics")
    if statistics:
        actions.append(Action("统计表", "GET", [statistics]))
    members = _members_of(org)
    if members:
        reveal = [
            reverse("reveal_value", kwargs={"model": "members.member", "pk": pk, "field": "id_number"})
            for pk in members
        ]
        actions.append(Action("查看完整身份证号（记录）", "POST", reveal, {}, "lianxin.Disclosure"))
    return actions


def prepare(*, users, password):
    """Create (once) `users` load-test users: half branch secretaries, half approvers."""
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
    approving = list(
        Organization.objects.filter(kind__in=[OrgKind.COMMITTEE, OrgKind.DEPARTMENT]).order_by("path")
    )
    personas = []
    admin = get_user_model().objects.filter(is_superuser=True).first()
    with acting_as(admin):
        for i in range(users):
            if i % 2 == 0:
                org = branches[(i // 2) % len(branches)]
                _ensure_user(f"load_branch_{i:02d}", org, Role.BRANCH_SECRETARY, "书记", password)
                personas.append(Persona(f"load_branch_{i:02d}", org, _branch_actions(org)))
            else:
                org = approving[(i // 2) % len(approving)]
                role = Role.DEPARTMENT_APPROVER if org.kind == OrgKind.DEPARTMENT else Role.COMMITTEE_REVIEWER
                _ensure_user(f"load_approver_{i:02d}", org, role, "审批人", password)
                personas.append(Persona(f"load_approver_{i:02d}", org, _approver_actions(org)))
    return personas


def count_writes():
    counts = {}
    for label in ("lianxin.Disclosure", "tracing.SearchAttempt"):
        with suppress(LookupError):  # an app whose model is not there yet
            counts[label] = apps.get_model(label)._default_manager.count()
    return counts
