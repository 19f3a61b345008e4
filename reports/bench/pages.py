"""Every page per tier, timed in interleaved rounds, and the scope filter compared with
per-object grants."""

from django.contrib.auth import get_user_model
from django.test import Client

from lianxin import access, perms
from lianxin.models import Organization, Post
from members.models import Member
from reports.bench.measure import measure, measure_rounds
from tracing.models import LostContactCase

# The 工作台 twice: as opened again within its minute's copy (lianxin/dashboard.py), and computed
# anew (刷新, or the first view of the minute, or after the user's own write).
PAGES = [
    ("工作台", "/"),
    ("工作台刷新", "/?fresh=1"),
    ("党员列表", "/members/"),
    ("失联案件列表", "/cases/"),
    ("待办", "/dispositions/"),
]
PERSONAS = [("党支部", "bench_branch"), ("县委组织部", "bench_county"), ("省委组织部", "bench_province")]
PAGE_LABELS = tuple(label for label, _path in PAGES) + ("案件详情",)


def users():
    return {name: get_user_model().objects.get(username=name) for _tier, name in PERSONAS}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def page_calls(users):
    """{operation: call} for every page of every tier, and [rows] for pages that did not answer 200."""
    calls, failed = {}, []
    for label, path in PAGES:
        for tier, username in PERSONAS:
            client = _client(users[username])
            status = client.get(path).status_code
            if status != 200:
                failed.append({"operation": f"{label}（{tier}）", "note": f"HTTP {status}"})
                continue
            calls[f"{label}（{tier}）"] = lambda c=client, p=path: c.get(p)
    calls.update(case_pages(users))
    return calls, failed


def case_paths(users):
    """The case detail page per tier: {operation: (path, username)}."""
    branch_path = (
        Post.objects.filter(user=users["bench_branch"]).select_related("organization")[0].organization.path
    )
    in_branch = LostContactCase.objects.filter(organization__path__startswith=branch_path).first()
    county_path = branch_path[: 3 * Organization.steplen]
    in_county = LostContactCase.objects.filter(organization__path__startswith=county_path).first()
    out = {}
    for tier, username in PERSONAS:
        case = in_branch if username == "bench_branch" else in_county
        if case is not None:  # the branch may have no lost member in this data set
            out[f"案件详情（{tier}）"] = (f"/cases/{case.pk}/", username)
    return out


def case_pages(users):
    """The case detail page per tier: {operation: call}."""
    out = {}
    for operation, (path, username) in case_paths(users).items():
        client = _client(users[username])
        out[operation] = lambda c=client, p=path: c.get(p)
    return out


def snapshot_rows(users, total):
    """The worker's task behind a large scope's 待办 cards (lianxin/todo_snapshot.py), timed once
    per tier: the pages below then read the snapshot it left, as after the worker's refresh."""
    from django.utils import timezone

    from lianxin import dashboard, todo_snapshot

    rows = []
    for tier, username in PERSONAS:
        user = users[username]
        if dashboard.counted(user) is None:
            continue  # a small scope's cards are live
        result = measure(
            lambda u=user: todo_snapshot.refresh(u, timezone.localdate()),
            runs=1,
            warmup=0,
            queries=False,
            memory=False,
        )
        rows.append({"operation": f"后台任务：待办快照（{tier}）", "size": total, **result})
    return rows


def page_rows(users, total, runs):
    rows = snapshot_rows(users, total)
    calls, failed = page_calls(users)
    rows += failed
    # Interleaved rounds of every page, after 5 rounds of warm-up (cold buffers after the server starts)
    for operation, result in measure_rounds(calls, runs=max(runs, 31)).items():
        rows.append({"operation": operation, "size": total, **result})
    for row in rows:
        row.setdefault("size", total)
    return rows


def scope_rows(user, total, runs):
    """access.scoped() vs per-object guardian grants on every organization, same data."""
    from django.contrib.auth.models import Permission
    from guardian.shortcuts import get_objects_for_user

    from lianxin.models import OrganizationUserPermission

    def scoped():
        access.forget(user)  # include the grants query, as in a fresh request
        return list(access.scoped(user, perms.VIEW_SCOPE, Member.objects.all()).order_by("id")[:50])

    def by_path():
        # What scoped() does when the tree has other roots: the indexed path-prefix join.
        access.forget(user)
        (path,) = access.granted_paths(user, perms.VIEW_SCOPE)
        return list(Member.objects.filter(organization__path__startswith=path).order_by("id")[:50])

    ours, prefix = measure(scoped, runs=runs), measure(by_path, runs=runs)
    # The naive alternative: a grant per organization node, resolved by guardian.
    perm = Permission.objects.get(codename=perms.VIEW_SCOPE, content_type__app_label="lianxin")
    naive_user, _ = get_user_model().objects.get_or_create(username="bench_naive")
    if not OrganizationUserPermission.objects.filter(user=naive_user).exists():
        OrganizationUserPermission.objects.bulk_create(
            [
                OrganizationUserPermission(user=naive_user, permission=perm, content_object_id=pk)
                for pk in Organization.objects.values_list("pk", flat=True)
            ],
            batch_size=5000,
        )

    def naive():
        orgs = get_objects_for_user(
            naive_user,
            perms.qualified(perms.VIEW_SCOPE),
            Organization,
            accept_global_perms=False,
            with_superuser=False,
        )
        return list(Member.objects.filter(organization__in=orgs).order_by("id")[:50])

    theirs = measure(naive, runs=runs)
    ratio = round(theirs["median_ms"] / max(prefix["median_ms"], 0.001), 1)
    return [
        {"operation": "范围过滤 access.scoped()（省）", "size": total, **ours, "note": "整棵树：不加过滤"},
        {"operation": "路径前缀过滤 path LIKE（省）", "size": total, **prefix, "note": "树有多个根时"},
        {
            "operation": "逐对象授权 guardian（省，对照）",
            "size": total,
            **theirs,
            "note": f"{ratio}× slower than path LIKE",
        },
    ]
