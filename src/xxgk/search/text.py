"""Pure: text as the index compares it, the same at index and at query time.

Folding makes full-width and half-width forms, traditional and simplified characters, and
upper and lower case one: ``社會保險`` finds 社会保险, ``ＡＢＣ`` finds abc. OpenCC's ``t2s``
table does the characters; it is built once per process (about 30 ms).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` in the index's form: NFKC, simplified characters, lower case, and no
    control characters (which a pasted query may hold)."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if not text.isascii():
        text = _t2s().convert(text)
    return text.lower()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

# A token is a word when it holds a letter or a digit of any script (CJK ideographs are
# letters to Unicode): punctuation, brackets and spaces are not searched for.
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def is_word(token: str) -> bool:
    """Whether a segmenter's token is a word (not punctuation or space)."""
    return bool(_WORD.search(token)) and not any(c.isspace() for c in token)


_NOT_TITLE = re.compile(r"[\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """A title as compared when someone pastes it whole: folded, and without spaces or
    punctuation (《》, quotes, brackets and dashes are the first to be lost in a paste)."""
    return _NOT_TITLE.sub("", fold(title))[:300]
