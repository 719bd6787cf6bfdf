"""Log hygiene (S20): no ID numbers or mobile numbers in logs, and no forged log lines.

Installed on every handler in ``settings.LOGGING``. The message is formatted first, then masked,
so a number passed as an argument is caught too. Control characters in a message (a newline in a
user name, say) are escaped, so user input cannot start a fake log line.
"""

import logging
import re

# 18-digit ID numbers (last character may be X) and 11-digit mainland mobiles, not inside longer
# digit runs (request ids are hex, timestamps are shorter).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]|\n")


def redact(text: str) -> str:
    text = ID_NUMBER.sub(r"\1********\2", text)
    return MOBILE.sub(r"\1****\2", text)


def escape_controls(text: str) -> str:
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = escape_controls(redact(message))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
