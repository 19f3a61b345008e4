"""Nothing personal in logs or error pages."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client

from lianxin.logfilters import RedactPersonalNumbers, redact

ID = "110101199003077777"
PHONE = "13912345678"


def test_redact_masks_ids_and_mobiles_but_not_other_numbers():
    assert redact(f"id {ID}, tel {PHONE}") == "id 110101********7777, tel 139****5678"
    assert redact("11010119900307123X") == "110101********123X"
    assert redact("订单 2026112212345678901234") == "订单 2026112212345678901234"  # longer runs untouched
    assert redact("2026-11-22 共 152 人") == "2026-11-22 共 152 人"


def test_every_configured_handler_redacts():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("redact" in h.get("filters", []) for h in handlers.values())


def test_a_logged_exception_is_redacted():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalNumbers())
    logger = logging.getLogger("lianxin.test.redact")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"duplicate {ID} / {PHONE}")
        except ValueError:
            logger.exception("saving member %s failed", ID)
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "saving member 110101********7777 failed" in output
    assert ID not in output and PHONE not in output


@pytest.mark.urls("tests.lianxin.boom_urls")
def test_server_error_page_shows_nothing_personal(world, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["branch_a1"])
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page
    assert ID not in page and PHONE not in page and "Traceback" not in page


def test_not_found_page_is_chinese_and_plain(world, client_for):
    response = client_for("branch_a1").get("/orgs/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "不在您所在党组织的管理范围内" in page
