"""Every user changes their password; an administrator resets one and unlocks an account; a
lockout is keyed by username and the client's own address and ends (issue 14, item 8)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from lianxin.admin import LianxinUserAdmin

PASSWORD = "lianxin-demo"  # the demo logins' password


def login(client, username="branch_a1", password=PASSWORD, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def lock_out(client, username="branch_a1", **meta):
    for _ in range(5):
        login(client, username, "wrong-guess", **meta)
    assert login(client, username, **meta).status_code == 429


def test_every_user_changes_their_own_password(world, client_for, client):
    secretary = client_for("branch_a1")
    home = secretary.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home  # in the header of every page
    page = secretary.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "旧密码" in page and "新密码" in page
    url = reverse("password_change")
    wrong = secretary.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert "旧密码不正确" in wrong.content.decode()
    weak = secretary.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    new = "qingshan-lianxin-2026"
    done = secretary.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == reverse("home")
    assert secretary.get(reverse("home")).status_code == 200  # still logged in
    assert login(client, password=PASSWORD).status_code == 200  # the old one no longer works
    assert login(client, password=new).status_code == 302


def test_a_lockout_from_one_address_leaves_the_user_free_elsewhere(world, client):
    lock_out(client, REMOTE_ADDR="203.0.113.7")
    assert login(client, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_lockout_ends_after_the_cool_off(world, client, settings):
    lock_out(client)
    attempt = AccessAttempt.objects.get(username="branch_a1")
    attempt.attempt_time -= settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    attempt.save()
    assert login(client).status_code == 429  # a minute before the end: still locked,
    assert login(client, password="wrong-again").status_code == 429  # and trying does not extend it
    attempt.refresh_from_db()
    attempt.attempt_time -= timedelta(minutes=2)
    attempt.save()
    assert login(client).status_code == 302


def test_behind_a_proxy_the_lockout_is_keyed_by_the_client_not_the_proxy(world, client, settings):
    """Through nginx every request comes from 127.0.0.1: a stranger must not lock the secretary out."""
    settings.PROXY_COUNT = 1
    stranger = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    lock_out(client, **stranger)
    # the stranger cannot escape the lock by writing another address in front of their own
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20, 203.0.113.7"}
    assert login(client, **spoofed).status_code == 429
    secretary = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert login(client, **secretary).status_code == 302


@pytest.fixture
def admin_client(world, client_for):
    return client_for("admin")


def test_an_administrator_unlocks_an_account(world, client, admin_client):
    lock_out(client)
    user = world.users["branch_a1"]
    changelist = reverse("admin:auth_user_changelist")
    listing = admin_client.get(changelist).content.decode()
    assert "登录已锁定" in listing and "解除所选用户的登录锁定" in listing
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": [user.pk]}, follow=True)
    assert "已解除 1 个账号的登录锁定" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="branch_a1").exists()
    assert login(client).status_code == 302


def test_an_administrator_resets_a_password_and_lifts_the_lockout(world, client, admin_client):
    lock_out(client)
    user = world.users["branch_a1"]
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    page = admin_client.get(url).content.decode()
    assert "密码" in page and "修改密码" in page
    new = "reset-by-admin-2026"
    response = admin_client.post(
        url, {"password1": new, "password2": new, "usable_password": "true", "set_usable_password": "true"}
    )
    assert response.status_code == 302
    assert login(client, password=new).status_code == 302


def test_accounts_are_deactivated_never_deleted_in_the_admin(world, admin_client):
    user = world.users["branch_a2"]
    assert admin_client.get(reverse("admin:auth_user_delete", args=[user.pk])).status_code == 403
    assert "delete_selected" not in LianxinUserAdmin.actions
    assert get_user_model().objects.filter(pk=user.pk).exists()
