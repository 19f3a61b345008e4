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
def world(db, request):
    world, how = _WORLD.build()
    request.node.user_properties.append(("world", how))
    return world


class _WorldRows:
    """seed_base's rows, captured the first time a test builds the world in this process and
    inserted as they are for every later test (a few INSERTs instead of ~100 ORM writes and the
    grants' reads). The rows are the same ones seed_base writes (same RNG seed), so a test sees
    the same world either way. A capture only replays onto the base it was taken from: after a
    transactional test's flush re-creates the content types and permissions (new ids), the
    fingerprint differs and the world is seeded again and recaptured."""

    def __init__(self):
        self.rows = None  # [(table, columns, rows)]
        self.fingerprint = None
        self.codes = None  # organization codes in seed order (World.orgs keeps it)

    def build(self):
        from django.db import connection

        if self.rows is not None and self._fingerprint(connection) == self.fingerprint:
            self._insert(connection)
            return self._world(), "replayed"
        before = _table_keys(connection)
        world = seed_base(random.Random(1))
        self.rows, self.codes = _new_rows(connection, before), list(world.orgs)
        self.tables = sorted({t for t, _, _ in self.rows} | {t for t, keys in before.items() if keys})
        self.fingerprint = [(len(before[t]), max(before[t], default=None)) for t in self.tables]
        return world, "seeded"

    def _fingerprint(self, connection):
        with connection.cursor() as cursor:
            found = []
            for table in self.tables:
                pk = _pk_column(table)
                cursor.execute(f'SELECT COUNT(*), MAX("{pk}") FROM "{table}"')
                found.append(tuple(cursor.fetchone()))
        return found

    def _insert(self, connection):
        with connection.cursor() as cursor:
            for table, columns, rows in self.rows:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f'INSERT INTO "{table}" ({names}) VALUES ({marks})', _db_values(connection, rows)
                )

    def _world(self):
        from django.contrib.auth import get_user_model

        from lianxin.demo import DEMO_LOGINS, World
        from lianxin.models import Organization, OrgKind

        by_code = Organization.objects.in_bulk(self.codes, field_name="code")
        orgs = {code: by_code[code] for code in self.codes}
        users = get_user_model().objects.in_bulk([*DEMO_LOGINS, "admin"], field_name="username")
        admin = users.pop("admin")
        return World(
            root=orgs[self.codes[0]],
            orgs=orgs,
            users={name: users[name] for name in DEMO_LOGINS},
            admin=admin,
            branches=[o for o in orgs.values() if o.kind == OrgKind.BRANCH],
        )


_WORLD = _WorldRows()
_PK_COLUMNS = {}


def _pk_column(table):
    return _PK_COLUMNS[table]


def _table_keys(connection):
    """{table: set of primary keys} of every model table."""
    from django.apps import apps

    keys = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or meta.db_table in keys:
                continue
            _PK_COLUMNS[meta.db_table] = meta.pk.column
            cursor.execute(f'SELECT "{meta.pk.column}" FROM "{meta.db_table}"')
            keys[meta.db_table] = {row[0] for row in cursor.fetchall()}
    return keys


def _new_rows(connection, before):
    captured = []
    with connection.cursor() as cursor:
        for table, keys in before.items():
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [c[0] for c in cursor.description]
            pk = columns.index(_pk_column(table))
            rows = [row for row in cursor.fetchall() if row[pk] not in keys]
            if rows:
                captured.append((table, columns, rows))
    return captured


def _db_values(connection, rows):
    if connection.vendor != "postgresql":
        return rows
    from psycopg.types.json import Jsonb

    return [tuple(Jsonb(v) if isinstance(v, (dict, list)) else v for v in row) for row in rows]


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
    """How much the counter checks added to this run (they run after every service), and how
    many worlds were replayed rather than seeded (the `world` fixture)."""
    checks, seconds, worlds = 0, 0.0, {"seeded": 0, "replayed": 0}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", "") != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "counter_checks":
                    checks, seconds = checks + value[0], seconds + value[1]
                elif name == "world":
                    worlds[value] += 1
    if checks:
        terminalreporter.write_line(f"counter checks after services: {checks}, {seconds:.1f} s in all")
    if worlds["seeded"]:
        terminalreporter.write_line(
            f"worlds: {worlds['seeded']} seeded, {worlds['replayed']} replayed from the rows seeded"
        )


# Fixtures and marks by which a test reaches the database (the `world` fixture needs `db`).
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, leave out the tests that never touch a database (pure rules, parsers,
    settings): they ran on SQLite in the same `make test` and prove nothing new here."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    keep, skip = [], []
    for item in items:
        uses_db = _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker(
            "django_db"
        )
        (keep if uses_db or item.get_closest_marker("postgres") else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
