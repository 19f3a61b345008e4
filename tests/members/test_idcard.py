from datetime import date

import pytest

from members import idcard


def test_valid_number_with_x():
    parsed = idcard.parse("11010519491231002X")  # the GB 11643 example, check character X
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "女"


def test_lowercase_x_and_spaces_accepted():
    assert idcard.parse(" 11010519491231002x ").number == "11010519491231002X"


def test_made_numbers_are_valid_and_encode_sex():
    male = idcard.make("610581", date(1990, 2, 28), 13)
    female = idcard.make("610581", date(1990, 2, 28), 14)
    assert idcard.parse(male).gender == "男"
    assert idcard.parse(female).gender == "女"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "18位"),
        ("1101051949123100A2", "格式不正确"),
        ("110105194902300021", "不是有效日期"),
        ("110105194912310021", "校验位"),
        ("010105194912310021", "格式不正确"),
    ],
)
def test_invalid_numbers(number, message):
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse(number)


def test_future_birth_date_refused():
    number = idcard.make("610581", date(2030, 1, 1), 11)
    with pytest.raises(idcard.IdNumberError, match="晚于今天"):
        idcard.parse(number, today=date(2026, 11, 22))


def test_mask_keeps_area_and_last_four():
    assert idcard.mask("11010519491231002X") == "1101**********002X"
