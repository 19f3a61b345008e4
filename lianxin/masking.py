"""Masking of personal numbers for list pages and logs: never show or log them whole by default."""

from members.idcard import mask as mask_id_number  # noqa: F401  (one definition, re-exported)


def mask_phone(value):
    """139****1234: the operator prefix and the last four stay visible."""
    digits = (value or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
