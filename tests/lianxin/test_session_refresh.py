"""The idle timeout is kept without writing the session on every page view."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin import middleware


def session_writes(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("members:member_list")).status_code == 200
    return [
        q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]


def test_pages_do_not_write_the_session(world, client_for):
    client = client_for("branch_a1")  # the login saved it with a full expiry
    assert session_writes(client) == []
    assert session_writes(client) == []


def test_a_real_login_marks_the_session_fresh(world, client):
    world.users["branch_a1"].set_password("pw-for-this-test")
    world.users["branch_a1"].save()
    assert (
        client.post(reverse("login"), {"username": "branch_a1", "password": "pw-for-this-test"}).status_code
        == 302
    )
    assert session_writes(client) == []


def test_session_expiry_moves_after_the_refresh_interval(world, client_for, monkeypatch):
    client = client_for("branch_a1")
    session_writes(client)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    now = middleware.time.time()
    monkeypatch.setattr(middleware.time, "time", lambda: now + middleware.SESSION_REFRESH_SECONDS + 1)
    assert session_writes(client)
    assert Session.objects.get(session_key=key).expire_date > before


def test_anonymous_requests_create_no_session(db, client):
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("login"))
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
