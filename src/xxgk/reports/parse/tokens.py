"""Normalising text and reading one cell's text as a number, a not-applicable mark or words.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# ---- Normalisation and tokens ------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def norm(text: str) -> str:
    """NFKC (full-width brackets and digits to half-width), no whitespace, no quotes."""
    return _WS_RE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


_NUM_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NA_TOKENS = frozenset({"/", "\\", "—", "——", "―", "─", "-", "--", "–", "/-", "不适用", "无"})


@dataclass(frozen=True)
class Token:
    # "run": digits glued to a label in text that lost its separators; it may hold several
    # cells (5620058 for 56·2·0·0·0·0·58), which only the format's arithmetic can split.
    kind: str  # "num" | "na" | "blank" | "text" | "run"
    raw: str
    value: Decimal | None = None

    @property
    def is_value(self) -> bool:
        return self.kind in ("num", "na", "run")


def token(cell: str | None) -> Token:
    raw = "" if cell is None else cell
    text = norm(raw)
    if not text:
        return Token("blank", raw)
    if _NUM_RE.match(text):
        try:
            return Token("num", raw, Decimal(text.replace(",", "")))
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            return Token("text", raw)
    if text in _NA_TOKENS:
        return Token("na", raw)
    return Token("text", raw)


def _as_count(value: Decimal) -> int | None:
    """An integer cell: the number if it is a whole number, else None."""
    if value != value.to_integral_value():
        return None
    return int(value)
