"""Synthetic province-sized data for the benchmark (`manage.py bench`, `make bench`).

The core builds the tree and the benchmark's users; each app adds its own rows from its
`synthetic.py` (`build(ctx)` returning {what: rows}), called in the order of INSTALLED_APPS —
the layer order, so an app finds the rows of the apps below it. The core names no app.

Fast path: rows go in with PostgreSQL COPY (bulk_create on SQLite) and WITHOUT history rows.
That is allowed here only: this data is never product data. Product code writes history.
The counters (lianxin/counters.py) are recounted from the rows at the end.

Shape: 1 province department → 10 cities → 10 counties each → committees → 30 branches each,
about 17 members a branch (`Shape.for_members`): 62,111 organizations for 1,000,000 members,
310,111 for 5,000,000.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule

from lianxin import counters
from lianxin.models import Organization, OrgCategory, OrgKind, Role
from lianxin.posts import post_assign

MEMBERS_PER_BRANCH = 50 / 3  # 1,000,000 members in 60,000 branches


@dataclass
class Shape:
    cities: int = 10
    counties_per_city: int = 10
    committees_per_county: int = 20
    branches_per_committee: int = 30
    members: int = 1_000_000
    lost_share: float = 0.02

    @classmethod
    def for_members(cls, members):
        """A province of `members`, about 17 to a branch, 30 branches to a committee."""
        shape = cls(members=members)
        if members < 500_000:  # fewer cities and counties keep a small run's counties realistic
            shape.cities, shape.counties_per_city = 2, 5
        counties = shape.cities * shape.counties_per_city
        branches = max(1, round(members / MEMBERS_PER_BRANCH))
        shape.committees_per_county = max(1, math.ceil(branches / counties / shape.branches_per_committee))
        return shape

    @property
    def organizations(self):
        counties = self.cities * self.counties_per_city
        committees = counties * self.committees_per_county
        return 1 + self.cities + counties + committees + committees * self.branches_per_committee


@dataclass
class Context:
    """What every app's `synthetic.build(ctx)` gets."""

    shape: Shape
    rng: random.Random
    today: date
    recorder_id: int  # the user who "recorded" the rows (the benchmark's branch secretary)
    log: object = print
    branches: list = field(default_factory=list)  # branch ids in tree order


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
        return count
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


def _tree_rows(shape: Shape, code_prefix):
    """(path, code, name, kind, category, numchild, approves) of every unit, in tree order."""
    gov, cats = OrgCategory.GOVERNMENT, [c.value for c in OrgCategory]
    dept = OrgKind.DEPARTMENT
    root = _path("", 1)
    yield root, code_prefix, "中共陕西省委组织部（基准）", dept, gov, shape.cities, False
    for ci in range(1, shape.cities + 1):
        cpath, ccode = _path(root, ci), f"{code_prefix}{ci:02d}"
        yield cpath, ccode, f"中共第{ci}市委组织部", dept, gov, shape.counties_per_city, False
        for ki in range(1, shape.counties_per_city + 1):
            kpath, kcode = _path(cpath, ki), f"{ccode}{ki:02d}"
            county = f"第{ci}市第{ki}县"
            yield kpath, kcode, f"中共{county}委组织部", dept, gov, shape.committees_per_county, False
            for mi in range(1, shape.committees_per_county + 1):
                mpath, mcode = _path(kpath, mi), f"{kcode}{mi:03d}"
                committee = (mpath, mcode, f"{county}第{mi}基层党委", OrgKind.COMMITTEE)
                yield *committee, cats[mi % 9], shape.branches_per_committee, True
                for bi in range(1, shape.branches_per_committee + 1):
                    name = f"{county}第{mi}党委第{bi}党支部"
                    branch = (_path(mpath, bi), f"{mcode}{bi:03d}", name, OrgKind.BRANCH)
                    yield *branch, cats[(mi + bi) % 9], 0, False


def build_tree(shape: Shape, *, code_prefix="61"):
    """The province tree, written in one pass with precomputed materialized paths."""
    rows = (
        (path, len(path) // Organization.steplen, numchild, name, code, kind, category, approves)
        for path, code, name, kind, category, numchild, approves in _tree_rows(shape, code_prefix)
    )
    fields = ["path", "depth", "numchild", "name", "code", "kind", "category", "approves_probationary"]
    return copy_rows(Organization, fields, rows)


def branch_ids():
    return list(
        Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path").values_list("id", flat=True)
    )


def bench_users():
    """A branch, a county and a province user (password unusable: the benchmark logs in directly)."""
    User = get_user_model()
    branch = Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path").first()
    county = Organization.objects.get(path=branch.path[: 3 * Organization.steplen])
    province = Organization.objects.get(path=branch.path[: Organization.steplen])
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


def app_builders():
    """The `build` function of each app's synthetic.py, in INSTALLED_APPS order."""
    out = []
    for app in apps.get_app_configs():
        if app.name != "lianxin" and module_has_submodule(app.module, "synthetic"):
            out.append((app.label, import_module(f"{app.name}.synthetic").build))
    return out


def _timed(timings, label, log, fn):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rows = sum(result.values()) if isinstance(result, dict) else result
    timings[label] = (rows, seconds)
    log(f"  {label}：{result}，用时 {seconds:.1f}s")
    return result


def generate(shape: Shape, *, seed=7, log=print):
    """Write the whole province; {step: (rows, seconds)}."""
    timings = {}
    with transaction.atomic():
        _timed(timings, "organizations", log, lambda: build_tree(shape))
        users = bench_users()
        ctx = Context(shape, random.Random(seed), date.today(), users["bench_branch"].pk, log, branch_ids())
        for label, build in app_builders():
            _timed(timings, label, log, lambda build=build: build(ctx))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _timed(timings, "counters", log, lambda: counters.recount(repair=True).written)
    return timings
