"""Fault injection for the "nothing lost" tests (issue 8).

`fail_after(module, name)` makes a function inside a service raise once it has done its work,
so the service is interrupted in the middle of its multi-row write. On PostgreSQL,
`kill_connection_after(module, name)` instead has the server terminate the connection at that
point, as a crash or a network cut would. Either way the database must be left as before.
The database is real; only the moment of failure is chosen by the test.
"""

from contextlib import contextmanager
from functools import wraps

from django.db import connection


class InjectedFault(Exception):
    """Raised in the middle of a service by fail_after()."""


@contextmanager
def _patched(monkeypatch, target, name, after):
    original = getattr(target, name)

    @wraps(original)
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        after()
        return result

    monkeypatch.setattr(target, name, wrapper)
    yield


def fail_after(monkeypatch, target, name):
    def boom():
        raise InjectedFault(f"fault injected after {name}")

    return _patched(monkeypatch, target, name, boom)


def kill_connection_after(monkeypatch, target, name):
    def kill():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    return _patched(monkeypatch, target, name, kill)


def reconnect():
    """After a killed connection Django still holds the dead socket; start afresh."""
    connection.close()
    connection.connect()
