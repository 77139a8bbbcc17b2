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
from collections.abc import Sequence
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import convert

_NOT_LETTER = re.compile(r"[^a-z]+")
# Between syllables a person may type a space or the apostrophe of 西安 (xi'an).
_SEPARATORS = re.compile(r"[\s']+")
_PINYIN_LIKE = re.compile(r"[a-z\s']*[a-z][a-z\s']*")
# The initials an input method takes for a syllable besides its first letter.
_DOUBLE_INITIALS = ("zh", "ch", "sh")
# A mix of whole syllables and initials reads in many ways (every syllable is also a run of
# letters that begin syllables: yang is y-a-n-g), and the readings of long letters grow
# exponentially: at each place only this many are kept, those of the fewest syllables,
# which are the ones people mean (a term is a few characters long).
MIX_READINGS = 64


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
    that are all letters a syllable can begin with, i.e. initials (``sb``), or syllables
    some whole and some as initials (``gzufang``).

    ``partial`` admits an unfinished last syllable, for a prefix typed so far (``gongzuf``).
    English words of consonants and a, e, o read as initials too: the callers only use the
    answer to look up terms, so a false reading finds nothing rather than something wrong.
    """
    query = _normal(query)
    if not _PINYIN_LIKE.fullmatch(query):
        return False
    if whole_syllables(query, partial=partial):
        return True
    chunks = [chunk for chunk in _SEPARATORS.split(query) if chunk]
    if set("".join(chunks)) <= _initial_letters():
        return True
    return all(mixed_initials(chunk, partial=partial and i == len(chunks) - 1)
               for i, chunk in enumerate(chunks))


def typed_words(query: str) -> list[str]:
    """The letters of ``query`` in the runs the person separated by spaces or apostrophes
    (``yanglao butie`` → yanglao, butie): where one word's pinyin may end."""
    return [letters for chunk in _SEPARATORS.split(_normal(query))
            if (letters := _NOT_LETTER.sub("", chunk))]


@lru_cache(maxsize=50_000)
def syllables(text: str) -> tuple[str, ...]:
    """The toneless reading of each character of ``text`` (社保卡 → she, bao, ka); a run
    of Latin letters is one reading, as in :func:`initials_key`. Kept per process: the
    suggestions read the same terms' again and again, at some 20 µs a character."""
    return tuple(letters for reading in lazy_pinyin(_normal(text), style=Style.NORMAL)
                 if (letters := _letters([reading])))


def whole_syllables(query: str, *, partial: bool = False) -> bool:
    """Whether ``query`` is pinyin of whole syllables only (``shebao``, ``gong zu fang``;
    ``partial``: the last one possibly unfinished), which its full pinyin looks up
    exactly: no syllable of it stands for itself as an initial."""
    chunks = [chunk for chunk in _SEPARATORS.split(_normal(query)) if chunk]
    return bool(chunks) and all(
        chunk.isascii() and chunk.isalpha()
        and _segments(chunk, partial=partial and i == len(chunks) - 1)
        for i, chunk in enumerate(chunks))


@lru_cache(maxsize=1024)
def mixed_initials(letters: str, *, partial: bool = False) -> tuple[str, ...]:
    """The initials of the terms ``letters`` may be typed for, each syllable whole or as
    its initial (``shebaok``, ``shebk``, ``sbka``: she bao ka, typed in part → ``sbk``);
    fewest syllables first, at most ``MIX_READINGS``. ``partial``: the last syllable may be
    unfinished. A reading is only where to look: :func:`reads_as` says whether a term's
    syllables are the ones typed. Kept per process for the popular queries' lookup and
    the terms' of one keystroke."""
    letters = _NOT_LETTER.sub("", _normal(letters))
    if not letters:
        return ()
    syllables_, starts = _syllables(), _initial_letters()
    prefixes = _syllable_prefixes()
    longest = max(map(len, syllables_))
    reach: list[set[str]] = [set() for _ in range(len(letters) + 1)]
    reach[0].add("")
    for start in range(len(letters)):
        if len(reach[start]) > MIX_READINGS:
            reach[start] = set(sorted(reach[start], key=lambda key: (len(key), key))
                               [:MIX_READINGS])
        for end in range(start + 1, min(len(letters), start + longest) + 1):
            piece = letters[start:end]
            if (piece in syllables_ or piece in _DOUBLE_INITIALS
                    or (len(piece) == 1 and piece in starts)
                    or (partial and end == len(letters) and piece in prefixes)):
                reach[end] |= {key + piece[0] for key in reach[start]}
    return tuple(sorted(reach[-1], key=lambda key: (len(key), key))[:MIX_READINGS])


def reads_as(letters: str, readings: Sequence[str], *, partial: bool = False) -> bool:
    """Whether ``letters`` are ``readings`` (a term's :func:`syllables`) typed each whole
    or as its initial (its first letter, or zh, ch, sh). ``partial``: the letters may stop
    early, inside a syllable or before the last ones (what has been typed so far)."""
    letters = _NOT_LETTER.sub("", _normal(letters))
    # Where in the letters the readings so far may end.
    places = {0}
    for reading in readings:
        if partial and any(reading.startswith(letters[place:]) for place in places):
            return True
        after = set()
        for place in places:
            for typed in {reading, reading[0], *(d for d in _DOUBLE_INITIALS
                                                 if reading.startswith(d))}:
                if letters.startswith(typed, place):
                    after.add(place + len(typed))
        if not after:
            return False
        places = after
    return len(letters) in places


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
