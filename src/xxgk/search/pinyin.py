"""Pure: Chinese text as the letters people type for it, so that ``shebao`` and ``sb`` find 社保.

Most people type Chinese through a pinyin input method; a search box that receives the
letters before the method has turned them into characters (or a person who types the
initials on purpose, as 12345-hotline staff do) should still find the word. ``pypinyin``
gives each character its reading; a character with several readings (a heteronym) gets
pypinyin's default reading in context (银行 → yinhang), which is the one an input method
offers first. Tones are dropped: nobody types them in a search box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import convert

_NOT_LETTER = re.compile(r"[^a-z]+")
# Between syllables a person may type a space or the apostrophe of 西安 (xi'an).
_SEPARATORS = re.compile(r"[\s']+")
_PINYIN_LIKE = re.compile(r"[a-z\s']*[a-z][a-z\s']*")


def pinyin_key(text: str) -> str:
    """The toneless pinyin of ``text``, letters only (社保 → ``shebao``). Latin letters
    in the text are kept as they are (PM2.5 → ``pm``); digits and punctuation are dropped."""
    return _letters(lazy_pinyin(_normal(text), style=Style.NORMAL))


def initials_key(text: str) -> str:
    """The first letter of every character's pinyin (社保 → ``sb``); a run of Latin
    letters is kept whole, as in :func:`pinyin_key`."""
    return _letters(lazy_pinyin(_normal(text), style=Style.FIRST_LETTER))


def looks_like_pinyin(query: str, *, partial: bool = False) -> bool:
    """Whether ``query`` reads as pinyin: ASCII letters (spaces and apostrophes allowed
    between syllables) that split into pinyin syllables (``shebao``, ``gong zu fang``), or
    that are all letters a syllable can begin with, i.e. initials (``sb``).

    ``partial`` admits an unfinished last syllable, for a prefix typed so far (``gongzuf``).
    English words of consonants and a, e, o read as initials too: the callers only use the
    answer to look up terms, so a false reading finds nothing rather than something wrong.
    """
    query = _normal(query)
    if not _PINYIN_LIKE.fullmatch(query):
        return False
    chunks = [chunk for chunk in _SEPARATORS.split(query) if chunk]
    if all(_segments(chunk, partial=partial and i == len(chunks) - 1)
           for i, chunk in enumerate(chunks)):
        return True
    return set("".join(chunks)) <= _initial_letters()


def typed_words(query: str) -> list[str]:
    """The letters of ``query`` in the runs the person separated by spaces or apostrophes
    (``yanglao butie`` → yanglao, butie): where one word's pinyin may end."""
    return [letters for chunk in _SEPARATORS.split(_normal(query))
            if (letters := _NOT_LETTER.sub("", chunk))]


def _normal(text: str) -> str:
    # Full-width letters (ｓｈｅｂａｏ, from an input method's full-width mode) are letters.
    return unicodedata.normalize("NFKC", text).lower()


def _letters(readings: list[str]) -> str:
    return _NOT_LETTER.sub("", "".join(readings).lower())


def _segments(letters: str, *, partial: bool) -> bool:
    """Whether ``letters`` is a sequence of whole syllables (the last one possibly
    unfinished when ``partial``). Ambiguous splits (fangan: fang-an or fan-gan) do not
    matter here, only that one exists."""
    syllables, prefixes = _syllables(), _syllable_prefixes()
    longest = max(map(len, syllables))
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        for start in range(max(0, end - longest), end):
            if not reachable[start]:
                continue
            piece = letters[start:end]
            if piece in syllables or (partial and end == len(letters) and piece in prefixes):
                reachable[end] = True
                break
    return reachable[-1]


@cache
def _syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin writes for a character: the set ``pinyin_key`` is
    made of, taken from pypinyin's own dictionary so that the two can never disagree
    (about 420, read once per process in 0.1 s)."""
    readings = (convert(reading, Style.NORMAL, strict=True)
                for readings in pinyin_dict.values() for reading in readings.split(","))
    return frozenset(reading for reading in readings if reading.isascii() and reading.isalpha())


@cache
def _syllable_prefixes() -> frozenset[str]:
    return frozenset(s[:n] for s in _syllables() for n in range(1, len(s) + 1))


@cache
def _initial_letters() -> frozenset[str]:
    return frozenset(s[0] for s in _syllables())
