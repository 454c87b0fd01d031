"""Personal data under PIPL: identity numbers checked by GB 11643's check digit, identity numbers and phones
encrypted at rest (AES-GCM, `cryptography`), identity numbers found by an exact-match keyed hash (HMAC-SHA256), and
both shown masked. The two keys are derived (HKDF) from the setting `personal_data_key` (in development and tests,
when it is empty, from the secret key; config.py refuses to start in production without it)."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from wangge.config import Settings
from wangge.errors import Invalid, Unavailable

ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PREFIX = "v1:"


def check_digit(first17: str) -> str:
    """GB 11643-1999's check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    """The identity number in its one stored form (upper-case X), or 422 `id-number-invalid`."""
    number = value.strip().upper()
    if not ID_PATTERN.match(number) or check_digit(number[:17]) != number[17]:
        raise Invalid("The identity number is not a valid 18-character number (GB 11643)", code="id-number-invalid")
    return number


def mask_id_number(number: str | None) -> str | None:
    """4301**********123X: the region's first digits and the last four, no birthday."""
    if not number:
        return number
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@functools.lru_cache(maxsize=4)
def _keys(material: str) -> tuple[bytes, bytes]:
    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material.encode())

    return derive(b"wangge personal data encryption"), derive(b"wangge personal data search")


def _material(settings: Settings) -> str:
    return settings.personal_data_key.get_secret_value() or "derived-from-secret:" + settings.secret_key


def encrypt(settings: Settings, value: str | None, *, field: str) -> str | None:
    """AES-GCM with a fresh 96-bit nonce; the field's name is bound as associated data."""
    if value is None or value == "":
        return None
    nonce = os.urandom(12)
    sealed = AESGCM(_keys(_material(settings))[0]).encrypt(nonce, value.encode(), field.encode())
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(settings: Settings, value: str | None, *, field: str) -> str | None:
    """The clear value, or 503 `personal-data-key-mismatch` when it was sealed under another key (the key, or in
    development the secret key it is derived from, was changed after the data was stored): an operator's mistake to
    be told plainly, never a 500 and never a wrong value."""
    if not value:
        return None
    try:
        raw = base64.b64decode(value.removeprefix(PREFIX), validate=True)
        return AESGCM(_keys(_material(settings))[0]).decrypt(raw[:12], raw[12:], field.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise Unavailable(
            "Stored personal data cannot be read with the configured WANGGE_PERSONAL_DATA_KEY: it was encrypted under "
            "another key (restore the key it was stored with)",
            code="personal-data-key-mismatch",
        ) from exc


def search_hash(settings: Settings, number: str) -> str:
    """The keyed hash an identity number is found by (exact match only; nothing to brute-force without the key)."""
    return hmac.new(_keys(_material(settings))[1], number.encode(), hashlib.sha256).hexdigest()
