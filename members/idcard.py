"""居民身份证号码 (GB 11643-1999): 6-digit area, 8-digit birth date, 3-digit sequence
(odd = male), and an ISO 7064 MOD 11-2 check character (0-9 or X).

Written here rather than taken from python-stdnum: its `cn.ric` rejects valid numbers whose
area code was created after the birth year and raises KeyError on some codes.
"""

import re
from dataclasses import dataclass
from datetime import date

from lianxin.masking import mask_id_number as mask  # noqa: F401  (masking lives in the core)
from members.models import Gender

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
PATTERN = re.compile(r"^[1-9]\d{5}(\d{8})\d{3}[\dX]$")


class IdNumberError(ValueError):
    """A reason, in Chinese, why a number is not a valid 身份证号."""


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date
    gender: str  # "男" / "女"


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def parse(value: str, *, today: date | None = None) -> IdNumber:
    """Validate and decode a 身份证号; raise IdNumberError with a Chinese message."""
    number = normalize(value)
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为18位，现为{len(number)}位。")
    match = PATTERN.match(number)
    if not match:
        raise IdNumberError("身份证号格式不正确：前17位应为数字，最后一位为数字或X。")
    digits = match.group(1)
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期{digits}不是有效日期。") from None
    today = today or date.today()
    if birth > today:
        raise IdNumberError("身份证号中的出生日期晚于今天。")
    if birth.year < 1900:
        raise IdNumberError("身份证号中的出生年份早于1900年。")
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError("身份证号校验位不正确，请核对号码。")
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    return IdNumber(number=number, birth_date=birth, gender=gender)


def make(area: str, birth: date, sequence: int) -> str:
    """Build a valid number (for demo data and tests). Odd sequence = male."""
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
