"""Masking of personal numbers for list pages and logs: never show or log them whole by default."""


def mask_id_number(value):
    """6101**********123X: the area and the last four stay visible."""
    number = (value or "").strip().replace(" ", "").upper()
    if len(number) < 10:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(value):
    """139****1234: the operator prefix and the last four stay visible."""
    digits = (value or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
