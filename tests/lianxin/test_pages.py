from django.urls import reverse


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_chinese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "登录联心" in body and 'lang="zh-CN"' in body


def test_login_and_logout(client, world):
    response = client.post(reverse("login"), {"username": "branch_a1", "password": "lianxin-demo"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert "城关镇东街社区党支部" in body and "党支部" in body
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_in_chinese(client, world):
    body = client.post(reverse("login"), {"username": "branch_a1", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in body


def test_home_shows_tier_and_scope(world, client_for):
    body = client_for("committee_a").get(reverse("home")).content.decode()
    assert "中共华阳县城关镇委员会" in body
    assert "基层党委" in body


def test_home_for_user_without_post(client, world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("lonely", password="x-very-long-pass")
    client.force_login(user)
    assert "没有在任何党组织任职" in client.get(reverse("home")).content.decode()


def test_csp_header_present(world, client_for):
    response = client_for("county").get(reverse("home"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_login_is_throttled_after_five_failures(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "branch_a1", "password": "wrong-guess"})
    response = client.post(reverse("login"), {"username": "branch_a1", "password": "lianxin-demo"})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    # another user from the same address is not locked out
    other = client.post(reverse("login"), {"username": "branch_a2", "password": "lianxin-demo"})
    assert other.status_code == 302
