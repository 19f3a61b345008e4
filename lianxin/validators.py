"""Rules for names and phone numbers, shared by the models, the forms and the importer.

Whatever is stored, every spreadsheet writes it as text (lianxin/spreadsheet.py); these fields refuse
a formula-like start outright because nothing legitimate begins that way.
"""

import re

from django.core.exceptions import ValidationError

from lianxin.spreadsheet import FORMULA_START

FORMULA_START_TEXT = "“=”“+”“-”“@”、制表符或回车"
PHONE = re.compile(r"\+?[0-9]{5,20}")
PHONE_MESSAGE = "联系电话只能是数字，国际号码可在开头加“+”（如 +8613912345678）。"


def validate_no_formula_start(value):
    if value and value[0] in FORMULA_START:
        raise ValidationError(f"不能以{FORMULA_START_TEXT}开头。", code="formula_start")


def validate_phone(value):
    """The stored form: digits, at most a leading + for the country code."""
    if value and not PHONE.fullmatch(value):
        raise ValidationError(PHONE_MESSAGE, code="phone")


def normalize_phone(value):
    """A phone number as people type it ('+86 139-1234-5678', '0913 1234567') → digits with an
    optional leading + ('+8613912345678'); '' stays ''. Anything else: ValidationError."""
    text = str(value or "").strip()
    if text[:1] in FORMULA_START and text[:1] != "+":  # "-139…" is not a number either
        raise ValidationError(PHONE_MESSAGE, code="phone")
    compact = re.sub(r"[\s\-]", "", text)
    validate_phone(compact)
    return compact
