"""Applicants' personal information: validation, encryption at rest, masking.

ID numbers, phones, addresses and emails are encrypted with ``settings.XXGK_FIELD_KEY``
(Fernet) and never written to ``Application``, a URL, a log line or an error message.
Staff lists show the masked forms; the full values only to the handling agency's staff,
each viewing audited (``actions.view_identity``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet
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


def _fernet() -> Fernet:
    return Fernet(settings.XXGK_FIELD_KEY.encode())


def encrypt(identity: Identity) -> bytes:
    return _fernet().encrypt(json.dumps(asdict(identity), ensure_ascii=False).encode())


def decrypt(token: bytes) -> Identity:
    return Identity(**json.loads(_fernet().decrypt(bytes(token))))


def applicant_key(kind: str, number: str) -> str:
    """A keyed hash identifying an applicant across applications without the number."""
    normalised = f"{kind}:{number.strip().upper()}"
    return hmac.new(settings.XXGK_FIELD_KEY.encode(), normalised.encode(),
                    hashlib.sha256).hexdigest()


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
