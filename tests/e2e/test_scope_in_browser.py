import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_branch_secretary_logs_in_and_cannot_open_another_branch(world, org, session):
    session.login("branch_a1")
    page = session.page
    assert page.locator("h1").first.inner_text() == "工作台"
    assert "城关镇东街社区党支部" in page.content()
    session.shot("workbench")

    response = session.go(f"/orgs/{org('branch_a1').pk}/")
    assert response.status == 200
    session.shot("own-branch")

    response = session.go(f"/orgs/{org('branch_a2').pk}/")
    assert response.status == 404
    session.shot("other-branch-404")
    assert "城关镇西关村党支部" not in page.content()


def test_wrong_password_stays_on_login_with_chinese_error(world, session):
    session.go("/accounts/login/")
    session.page.fill("#id_username", "county")
    session.page.fill("#id_password", "not-the-password")
    session.page.click("button[type=submit]")
    assert "请输入一个正确的" in session.page.content()
    session.shot("login-error")
