"""Shared fixtures: the demo county tree with its personas, built fresh for each test.

`world.users` has the demo logins: county, committee_a, committee_b, branch_a1, branch_a2,
branch_b1 (see lianxin/demo.py); `world.orgs` maps organization codes to nodes.
"""

import random
import time

import pytest
from django.test import Client

from lianxin.demo import seed_base

# Organization codes of the demo tree, by persona.
ORG = {
    "county": "610581",
    "committee_a": "610581001",
    "committee_b": "610581002",
    "committee_c": "610581003",
    "branch_a1": "610581001001",
    "branch_a2": "610581001002",
    "general_a3": "610581001003",
    "branch_a3_1": "610581001003001",
    "branch_b1": "610581002001",
    "branch_b2": "610581002002",
    "branch_c1": "610581003001",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded attachments and frozen submissions go to a per-test folder, not the project's media/ or private/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (ids are reused after a rolled-back test on SQLite)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    return seed_base(random.Random(1))


@pytest.fixture
def org(world):
    """org("branch_a1") → the Organization of that persona's code."""
    return lambda key: world.orgs[ORG.get(key, key)]


@pytest.fixture
def client_for(world):
    """client_for("branch_a1") → a logged-in test client for that demo user."""

    def make(username):
        client = Client()
        client.force_login(world.users[username] if username != "admin" else world.admin)
        return client

    return make


@pytest.fixture(autouse=True)
def _counters_checked(request):
    """After every service a test calls, the per-organization counters equal a fresh count from
    the rows (lianxin/counters.py): no write path leaves them behind. The time the checks take
    is summed at the end of the run (pytest_terminal_summary below)."""
    if request.node.get_closest_marker("counters_unchecked"):
        yield  # the test counts every query per database: the check's own reads would be counted
        return
    from lianxin.counters import recount
    from lianxin.service import service_done

    spent = [0, 0.0]  # checks, seconds

    def check(sender, **kwargs):
        start = time.perf_counter()
        differences = recount().differences
        spent[0], spent[1] = spent[0] + 1, spent[1] + time.perf_counter() - start
        assert not differences, f"counters wrong after {sender.name}: {differences[:10]}"

    service_done.connect(check, dispatch_uid="tests_counters_checked")
    yield
    service_done.disconnect(dispatch_uid="tests_counters_checked")
    if spent[0]:
        request.node.user_properties.append(("counter_checks", tuple(spent)))


def pytest_terminal_summary(terminalreporter):
    """How much the counter checks added to this run (they run after every service)."""
    checks, seconds = 0, 0.0
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "counter_checks" and getattr(report, "when", "") == "teardown":
                    checks, seconds = checks + value[0], seconds + value[1]
    if checks:
        terminalreporter.write_line(f"counter checks after services: {checks}, {seconds:.1f} s in all")
