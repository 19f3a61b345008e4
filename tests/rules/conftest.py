"""Tests that need the database carry pytest-django's `django_db` mark, so `make mutate` can
run only the pure tests (`-m "not django_db"`): a mutant is then judged in milliseconds, not by
building a test database in every forked run."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "db" in item.fixturenames and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)
