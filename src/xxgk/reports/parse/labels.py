"""Row labels: their numbering markers and their similarity to the format's labels.

Pure Python: no Django import.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from xxgk.reports.parse.tokens import norm

# ---- Labels: markers and similarity -------------------------------------------------------

_CN_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_SEGMENT_RE = re.compile(
    r"(?P<top>(?<![一二三四五六七八九十])[一二三四五六七八九十]、)"
    r"|(?P<group>\([一二三四五六七八九十]\))"
    r"|(?P<item>(?<![\d.])\d{1,2}(?:[.、]|\)(?!\d))(?!\d))"
)


@dataclass
class Segment:
    level: str  # "top" | "group" | "item" | "loose"
    number: int | None
    text: str


def segments(label: str) -> list[Segment]:
    """A normalised label cut at its markers: 三、 (top), (三) (group), 3. (item)."""
    out: list[Segment] = []
    pos = 0
    for match in _SEGMENT_RE.finditer(label):
        text = label[pos : match.start()]
        if out:
            out[-1].text += text
        elif text:
            out.append(Segment("loose", None, text))
        marker = match.group(0)
        level = match.lastgroup or "loose"
        number: int | None
        if level == "item":
            number = int(re.sub(r"\D", "", marker))
        else:
            number = _CN_NUMERALS.get(marker.strip("()、")[:1])
        out.append(Segment(level, number, ""))
        pos = match.end()
    rest = label[pos:]
    if out:
        out[-1].text += rest
    elif rest:
        out.append(Segment("loose", None, rest))
    return out


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(text: str, candidates: dict[str, str]) -> tuple[str | None, float, float]:
    """(best key, its score, the runner-up's score) of ``text`` against labels."""
    scored = sorted(
        ((similarity(text, norm(label)), key) for key, label in candidates.items()), reverse=True
    )
    if not scored:
        return None, 0.0, 0.0
    best_score, best_key = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    return best_key, best_score, second


MATCH_THRESHOLD = 0.6
MATCH_MARGIN = 0.15


def _confident(score: float, second: float) -> bool:
    return score >= MATCH_THRESHOLD and score - second >= MATCH_MARGIN
