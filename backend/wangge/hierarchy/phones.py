"""Published duty numbers 值班电话 of grids and stations: what the public calls (亮证, the public board).

A number is digits with an optional leading +, and dashes or spaces between the digits ("0731-8888 6666",
"+86 731 8888 6666", "12345"; full-width ones, as Chinese input methods type them, are made half-width); at most
30 characters. An empty text clears it. A number that is not one is refused with 422 `phone-invalid`, naming the
field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import StringConstraints

from wangge.errors import Invalid

MAX_LENGTH = 30
_NUMBER = re.compile(r"^\+?[0-9](?:[0-9 -]*[0-9])?$")
MIN_DIGITS = 3  # 110, 119, 12345: the shortest numbers people call

# The request field: bounded, the rule itself checked by `clean` so that it answers with its own code.
DutyPhoneIn = Annotated[str, StringConstraints(max_length=64, strip_whitespace=True)]


def clean(value: str | None, field: str) -> str | None:
    """The number to store: None for an empty one; 422 `phone-invalid` for one that is not a phone number."""
    if value is None:
        return None
    # Full-width digits and dashes, as a Chinese input method types them, are the same number.
    value = " ".join(unicodedata.normalize("NFKC", value).split())
    if not value:
        return None
    digits = sum(ch in "0123456789" for ch in value)
    if len(value) > MAX_LENGTH or not _NUMBER.match(value) or digits < MIN_DIGITS:
        msg = f"{field} must be a phone number: digits, with + - or spaces, at most {MAX_LENGTH} characters"
        raise Invalid(msg, code="phone-invalid", errors=[{"loc": ["body", field], "msg": msg, "type": "value_error"}])
    return value
