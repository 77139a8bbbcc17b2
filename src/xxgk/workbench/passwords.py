"""The password policy a level-3 system (等保 2.0 三级) asks for: long enough, and made of
several kinds of characters, on top of Django's checks against the user's own details,
common passwords and all-digit passwords (``settings.AUTH_PASSWORD_VALIDATORS``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

# Anything that is neither a cased letter nor a digit (punctuation, a space, a Chinese
# character) counts as the fourth kind.
CLASSES = (("lower", str.islower), ("upper", str.isupper), ("digit", str.isdigit),
           ("other", lambda ch: not (ch.islower() or ch.isupper() or ch.isdigit())))


def classes_in(password: str) -> int:
    """How many of the four kinds (lower case, upper case, digits, others) it uses."""
    return sum(any(test(ch) for ch in password) for _name, test in CLASSES)


class CharacterClassesValidator:
    """At least ``min_classes`` of lower case, upper case, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_plain")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must mix at least %(n)d kind of characters: lower case, upper "
            "case, digits, symbols.",
            "Your password must mix at least %(n)d kinds of characters: lower case, upper "
            "case, digits, symbols.", self.min_classes) % {"n": self.min_classes}
