"""The access matrix: every URL pattern of the project, requested as anonymous and as each
demo tier, for an object inside and outside their scope (see tests/access_matrix.py).

The patterns come from the URL resolver, so a new view is covered automatically: a pattern
without an entry (here in CORE, or in tests/<app>/matrix.py) fails `test_every_url_is_in_the_matrix`.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import INSIDE, OUTSIDE, Entry

PUBLIC = {"login", "logout"}
APPS_WITH_ENTRIES = ("lianxin", "members", "members.importing", "tracing", "disposition", "reports")


def _org(world, code):
    return {"pk": world.orgs[code].pk}


def _member(world):
    from tests.factories import MemberFactory

    member = MemberFactory(organization=world.orgs["610581001001"])
    return {"model": "members.member", "pk": member.pk, "field": "id_number"}


def _secretary_post(world):
    return {"pk": world.users["branch_a1"].posts.get(ended_on__isnull=True).pk}


def _delegation(world):
    from datetime import timedelta

    from django.utils import timezone

    from lianxin.models import Delegation
    from tests.factories import branch_officer

    today = timezone.localdate()
    delegation = Delegation.objects.create(
        post=world.users["branch_a1"].posts.get(ended_on__isnull=True),
        delegate=branch_officer(),
        starts_on=today,
        ends_on=today + timedelta(days=7),
        reason="travel",
        created_by=world.users["branch_a1"],
    )
    return {"pk": delegation.pk}


def _delegation_data(world, kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import branch_officer

    today = timezone.localdate()
    return {
        "delegate": branch_officer().pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat(),
        "reason": "travel",
    }


CORE = {
    "home": Entry(),
    "organization_list": Entry(),
    "organization_detail": Entry(build=lambda w: _org(w, "610581001001")),
    "disclosure_list": Entry(),
    "reveal_value": Entry(build=_member, post=lambda w, k: {}, may_post=INSIDE, get_status=405),
    "todo": Entry(),
    # The holder delegates their own post; the levels above (holding one of its rights) may too.
    "delegation_add": Entry(build=_secretary_post, post=_delegation_data, may_post=INSIDE),
    "delegation_end": Entry(build=_delegation, post=lambda w, k: {}, may_post=INSIDE, get_status=405),
    # The daily jobs are for administrators only.
    "daily_runs": Entry(get_status=404),
    # Every user changes their own password (a wrong old password changes nothing).
    "password_change": Entry(
        post=lambda w, k: {"old_password": "not-it", "new_password1": "x", "new_password2": "x"},
        may_post=INSIDE + OUTSIDE,
    ),
}


def gather_matrix():
    matrix = dict(CORE)
    for app in APPS_WITH_ENTRIES:
        try:
            module = importlib.import_module(f"tests.{app}.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{app}.matrix":
                raise
            continue
        overlap = set(matrix) & set(module.ENTRIES)
        assert not overlap, f"entries listed twice: {overlap}"
        matrix.update(module.ENTRIES)
    return matrix


MATRIX = gather_matrix()


def iter_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or getattr(pattern, "namespace", None) == "admin":
                continue
            namespace = pattern.namespace
            yield from iter_patterns(pattern, prefix + (f"{namespace}:" if namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def all_url_names():
    return sorted(set(iter_patterns()) - PUBLIC)


def test_every_url_is_in_the_matrix():
    missing = [name for name in all_url_names() if name not in MATRIX]
    assert not missing, f"views without an access-matrix entry: {missing}"


def db_fingerprint():
    """Row counts of every table: a refused request must leave all of them as they were."""
    bookkeeping = {"sessions", "axes"}  # logins write these; they hold no domain fact
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        # nor do models marked `bookkeeping` (the public pages' rate-limit counters)
        if m._meta.app_label not in bookkeeping and not getattr(m, "bookkeeping", False)
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_login(world, client, name):
    entry = MATRIX[name]
    kwargs = entry.build(world) if entry.build else {}
    url = reverse(name, kwargs=kwargs or None)
    response = client.get(url)
    if entry.public:
        assert_public(world, client, entry, url, kwargs, response)
        return
    assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    if entry.post:
        before = db_fingerprint()
        response = client.post(url, entry.post(world, kwargs))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert db_fingerprint() == before


def assert_public(world, client, entry, url, kwargs, response):
    """A public page answers without a login; the entry's anonymous POST (a wrong identification)
    is answered on the page and writes no domain fact."""
    assert response.status_code == (entry.get_status or 200), url
    if entry.post:
        before = db_fingerprint()
        response = client.post(url, entry.post(world, kwargs))
        assert response.status_code == 200 and db_fingerprint() == before, url


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("persona", INSIDE + OUTSIDE)
def test_get_per_tier(world, client_for, name, persona):
    entry = MATRIX[name]
    kwargs = entry.build(world) if entry.build else None
    url = reverse(name, kwargs=kwargs) + entry.query_for(world)
    expected = entry.expect_get.get(persona, entry.get_status)
    if expected is None:
        expected = 404 if (persona in OUTSIDE and kwargs and not entry.public) else 200
    status = client_for(persona).get(url).status_code
    assert status == expected, f"{persona} GET {url}: {status}, expected {expected}"


REFUSED_POSTS = sorted(
    (name, persona)
    for name, e in MATRIX.items()
    if e.post
    for persona in INSIDE + OUTSIDE
    if persona not in e.may_post
)


@pytest.mark.parametrize(("name", "persona"), REFUSED_POSTS)
def test_post_without_right_changes_nothing(world, client_for, name, persona):
    entry = MATRIX[name]
    kwargs = entry.build(world) if entry.build else {}
    url = reverse(name, kwargs=kwargs or None)
    client = client_for(persona)
    data = entry.post(world, kwargs)
    before = db_fingerprint()
    status = client.post(url, data).status_code
    assert status in (403, 404), f"{persona} POST {url}: {status}"
    if persona in OUTSIDE and kwargs:
        assert status == 404
    assert db_fingerprint() == before
