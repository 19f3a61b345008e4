from django.template import Context, Template

from lianxin.masking import mask_id_number, mask_phone


def test_mask_phone():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("029-8765432") == "029****5432"
    assert mask_phone("123") == "***"
    assert mask_phone("") == ""


def test_mask_id():
    assert mask_id_number("61058119850315123X") == "6105**********123X"


def test_template_filters():
    out = Template("{% load lianxin_tags %}{{ i|mask_id }} {{ p|mask_phone }}").render(
        Context({"i": "61058119850315123X", "p": "13912345678"})
    )
    assert out == "6105**********123X 139****5678"
