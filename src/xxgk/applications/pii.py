"""Applicants' personal information: validation, encryption at rest, masking.

ID numbers, phones, addresses and emails are encrypted with the field key (Fernet) and never
written to ``Application``, a URL, a log line or an error message. The field key is a ring,
``settings.XXGK_FIELD_KEYS``: the first key encrypts, every key decrypts, so that data
written before and during a key rotation stays readable (``rotation.py``).
The applicant's name and the stored files (ID scans, attachments, letters) are sealed with
the same ring (:func:`seal`); the name is found by its blind index (:func:`name_index`).
Staff lists show the masked forms; the full values only to the handling agency's staff,
each viewing audited (``actions.view_identity``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


@dataclass(frozen=True)
class Identity:
    """What the applicant told us about themselves; every field is personal information."""

    id_number: str = ""  # resident ID, passport number, … or the unified social credit code
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    contact_person: str = ""  # organisations only
    # The private query code, kept so that a resubmitted form can show it again.
    query_code: str = ""


def ring(keys: tuple[str, ...] | None = None) -> MultiFernet:
    """The field key ring (``keys`` or the configured ones): the first key encrypts."""
    return MultiFernet([Fernet(key.encode()) for key in keys or settings.XXGK_FIELD_KEYS])


def encrypt(identity: Identity, keys: tuple[str, ...] | None = None) -> bytes:
    return ring(keys).encrypt(json.dumps(asdict(identity), ensure_ascii=False).encode())


def decrypt(token: bytes, keys: tuple[str, ...] | None = None) -> Identity:
    return Identity(**json.loads(ring(keys).decrypt(bytes(token))))


def seal(data: bytes, keys: tuple[str, ...] | None = None) -> bytes:
    """``data`` (a name, a file) encrypted under the current field key."""
    return ring(keys).encrypt(data)


def unseal(token: bytes, keys: tuple[str, ...] | None = None) -> bytes:
    return ring(keys).decrypt(bytes(token))


def normalised_name(name: str) -> str:
    """A name as staff would type it in any form: full-width letters, case and spaces apart
    (``张 三`` and ``张三``, ``ＬＩ Ｌｅｉ`` and ``li lei`` are one name)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def name_index(name: str, key: str | None = None) -> str:
    """The blind index of a name: a keyed hash of its normalised form, which lets staff find
    an applicant by exact name while the column holds no name (the name itself is sealed).

    Exact, not partial: a hash of every substring would leak the name's length and let
    whoever holds the key find names by trying common ones a character at a time. Keyed with
    the field key, and recomputed by a rotation, for the reason ``applicant_key`` is.
    """
    return hmac.new((key or settings.XXGK_FIELD_KEYS[0]).encode(),
                    f"name:{normalised_name(name)}".encode(), hashlib.sha256).hexdigest()


def name_indexes(name: str) -> list[str]:
    """The name's index under every key of the ring (see :func:`applicant_keys`)."""
    return [name_index(name, key) for key in settings.XXGK_FIELD_KEYS]


def applicant_key(kind: str, number: str, key: str | None = None) -> str:
    """A keyed hash identifying an applicant across applications without the number, keyed
    with ``key`` or the current field key.

    Keyed with the field key rather than a key of its own: an ID number has so little
    entropy that whoever holds the hash's key can find the number by trying them all, so
    the hash must be retired with the key that guards the number (a rotation recomputes it).
    """
    normalised = f"{kind}:{number.strip().upper()}"
    return hmac.new((key or settings.XXGK_FIELD_KEYS[0]).encode(), normalised.encode(),
                    hashlib.sha256).hexdigest()


def applicant_keys(kind: str, number: str) -> list[str]:
    """The applicant's hash under every key of the ring: during a rotation an applicant's
    applications are hashed under the old key or the new one."""
    return [applicant_key(kind, number, key) for key in settings.XXGK_FIELD_KEYS]


def valid_resident_id(number: str) -> str | None:
    """The normalised 18-character resident ID, or None when the check digit is wrong."""
    try:
        return ric.validate(number.strip().upper())
    except StdnumError:
        return None


def valid_credit_code(code: str) -> str | None:
    """The normalised unified social credit code, or None when its check digit is wrong."""
    try:
        return uscc.validate(code.strip().upper())
    except StdnumError:
        return None


def mask_id(number: str) -> str:
    """``110101199003077777`` → ``11************7777``; short numbers keep nothing."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 6) + number[-4:]


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(address: str) -> str:
    return address[:6] + "****" if address else ""


def mask_email(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else ""
