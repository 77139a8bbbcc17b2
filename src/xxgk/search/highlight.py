"""Pure: the words a query matched, marked in a title or a passage of text.

The marks are ``<mark>`` elements around escaped text, so a result shows where the words
stand and nothing in a title or a body is ever markup. Words are found in the folded text
(traditional characters and capitals match as the index matched them), one character to
one character so that positions carry back to the text as published.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .text import fold

SNIPPET_CHARACTERS = 120
# Where in a long body the first match is looked for: a snippet is a preview, not a scan.
SCAN_CHARACTERS = 20_000


@lru_cache(maxsize=1 << 16)
def _folded_char(char: str) -> str:
    # Cached: a page of snippets folds some ten thousand characters, of a few hundred kinds.
    folded = fold(char)
    return folded if len(folded) == 1 else char


def _folded_chars(text: str) -> str:
    return "".join(map(_folded_char, text))


def _spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    if not words or not text:
        return []
    folded = _folded_chars(text)
    pattern = re.compile("|".join(re.escape(word) for word in words if word))
    spans: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        if match.end() > match.start():
            spans.append((match.start(), match.end()))
    return spans


def _render(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out, position = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < position or end > len(text):
            continue
        out.append(html.escape(text[position:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def mark(text: str, words: tuple[str, ...]) -> str:
    """``text`` escaped, with every occurrence of ``words`` (longest first) marked."""
    return _render(text, _spans(text, words))


def snippet(text: str, words: tuple[str, ...], *, width: int = SNIPPET_CHARACTERS) -> str:
    """A passage of ``text`` around its first matched word, escaped and marked; the start
    of the text when no word is in it; ``""`` for no text."""
    text = " ".join(text[:SCAN_CHARACTERS].split())
    if not text:
        return ""
    spans = _spans(text, words)
    start = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(text), start + width)
    passage = text[start:end]
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    return (("…" if start else "") + _render(passage, inside, start)
            + ("…" if end < len(text) else ""))


def has_match(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of ``words`` stands in ``text`` (the start of a long one)."""
    return bool(_spans(text[:SCAN_CHARACTERS], words))
