"""Keep 身份证号, phone numbers and 归队码 out of the logs.

Views and services never log them on purpose; this filter is the second line: any log record
(an exception message quoting a form value, a SQL error echoing a row, Django's "Not Found:
/r/<code>/") has such numbers and codes masked before a handler writes it.
"""

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
# A 归队码 / 报到码 in a logged path ("Not Found: /r/<token>/"): a live code is a key to a page.
PUBLIC_CODE = re.compile(r"(/r/(?:b/)?)[A-Za-z0-9_-]{6,}")


def redact(text: str) -> str:
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = PUBLIC_CODE.sub(lambda m: m.group(1) + "***", text)
    return MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class RedactPersonalNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True
