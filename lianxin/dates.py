"""One parser and one range for every date that comes in: query strings, forms, the importer.

Nothing lianxin records happened before the Party was founded (1921) — except a member's birth —
and nothing is planned more than a few years ahead. A date that does not exist or lies outside the
range answers a Chinese error, never a 500.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.forms.fields import BaseTemporalField
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.dateparse import parse_datetime

EARLIEST = date(1921, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)  # the oldest living members were born before 1921
FUTURE_YEARS = 5
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class DateError(ValueError):
    """A date that does not exist or lies outside the range; the message is Chinese."""


class QueryDateError(BadRequest):
    """A bad date in a query string: the 400 page shows this message (lianxin.views.bad_request)."""


def latest(today=None):
    return date((today or timezone.localdate()).year + FUTURE_YEARS, 12, 31)


def range_problem(day, earliest=EARLIEST):
    """'' when `day` is within the range, else why not."""
    if day < earliest:
        return f"日期不能早于{earliest.year}年。"
    if day > latest():
        return f"日期不能晚于{latest():%Y年%m月%d日}。"
    return ""


def parse(text, *, earliest=EARLIEST):
    """'YYYY-MM-DD' → date; '' or None → None; anything else → DateError."""
    text = str(text or "").strip()
    if not text:
        return None
    match = ISO_DATE.fullmatch(text)
    if not match:
        raise DateError(f"日期“{text}”格式不对，应写作 YYYY-MM-DD（如 2026-11-01）。")
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DateError(f"日期“{text}”不存在。") from None
    problem = range_problem(day, earliest)
    if problem:
        raise DateError(f"日期“{text}”不可用：{problem}")
    return day


def from_query(request, name, default=None):
    """The date in `request.GET[name]`, `default` when absent or empty; a 400 page otherwise."""
    try:
        return parse(request.GET.get(name)) or default
    except DateError as exc:
        raise QueryDateError(str(exc)) from None


def validate_in_range(value):
    """Model-field validator for a date or datetime."""
    if value is not None:
        problem = range_problem(value.date() if isinstance(value, datetime) else value)
        if problem:
            raise ValidationError(problem, code="date_range")


class DateField(forms.DateField):
    """Every form's date: within EARLIEST … a few years from now."""

    earliest = EARLIEST

    def validate(self, value):
        super().validate(value)
        if value is not None:
            problem = range_problem(value, self.earliest)
            if problem:
                raise ValidationError(problem, code="date_range")


class BirthDateField(DateField):
    earliest = EARLIEST_BIRTH


class DateTimeField(forms.DateTimeField):
    """Every form's date and time, same range. Checked on the typed value, before it is made aware:
    year 1 cannot even be converted to UTC."""

    def to_python(self, value):
        if not isinstance(value, str) or value in self.empty_values:
            return super().to_python(value)
        try:
            result = parse_datetime(value.strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        result = result or BaseTemporalField.to_python(self, value)  # the other input formats
        validate_in_range(result)
        return from_current_timezone(result)

    def validate(self, value):
        super().validate(value)
        validate_in_range(value)


def formfield(model_field, **kwargs):
    """`Meta.formfield_callback` of every ModelForm: its date fields get the range."""
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    return model_field.formfield(**kwargs)
