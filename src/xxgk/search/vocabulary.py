"""The words search knows: the dictionary the segmenter keeps whole, and the synonyms.

Both ship with xxgk (``data/dictionary.txt``, ``data/synonyms.txt``) and the OGI office
extends them in the staff pages. The dictionary is the shipped file plus the
``DictionaryWord`` rows; the synonym groups are installed once from the shipped file into
``SynonymGroup`` and from then on are the office's to edit.

Each process keeps the segmenter and the synonym table it built, and looks whether the rows
changed at most every ``RECHECK_SECONDS`` (one cheap aggregate query): a word added in the
staff pages reaches every server within that time, without a query on every search.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Max

from .segment import Segmenter
from .text import fold

DATA = Path(__file__).parent / "data"
RECHECK_SECONDS = 10.0

_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_terms(text: str) -> list[str]:
    """The words of a synonym group or a list as typed: separated by spaces, commas or 、."""
    return [term for term in _SEPARATORS.split(text.strip()) if term]


def _lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@cache
def shipped_words() -> tuple[str, ...]:
    """The shipped dictionary."""
    return tuple(_lines("dictionary.txt"))


@cache
def shipped_synonyms() -> tuple[tuple[str, ...], ...]:
    """The shipped synonym groups."""
    return tuple(tuple(split_terms(line)) for line in _lines("synonyms.txt"))


def install_shipped_synonyms(model: Any, using: str = "default") -> None:
    """Write the shipped groups when there are none at all (a new or flushed database):
    once the office has edited the list, a migrate never brings a deleted group back."""
    manager = model.objects.using(using)
    if not manager.exists():
        manager.bulk_create(model(terms=" ".join(group), shipped=True)
                            for group in shipped_synonyms())


@dataclass(frozen=True)
class SynonymTable:
    """Which words a query word also finds."""

    groups: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        index: dict[str, set[str]] = {}
        for group in self.groups:
            folded = [fold(term) for term in group]
            for term in folded:
                index.setdefault(term, set()).update(folded)
        object.__setattr__(self, "_index", index)

    def alternatives(self, word: str) -> tuple[str, ...]:
        """``word`` first, then the other words of every group that holds it."""
        others = self._index.get(word, set()) - {word}  # type: ignore[attr-defined]
        return (word, *sorted(others, key=lambda term: (-len(term), term)))

    def words(self) -> Iterable[str]:
        """Every word in a group, for the dictionary and the suggestions."""
        return self._index.keys()  # type: ignore[attr-defined]


class _Built:
    """A value built from rows, rebuilt when the rows' signature changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._checked = 0.0
        self._signature: Any = None
        self._value: Any = None

    def get(self, signature: Any, build: Any) -> Any:
        now = time.monotonic()
        if self._value is not None and now - self._checked < RECHECK_SECONDS:
            return self._value
        with self._lock:
            current = signature()
            if self._value is None or current != self._signature:
                self._value, self._signature = build(), current
            self._checked = now
            return self._value

    def forget(self) -> None:
        self._value = None

    def recheck(self) -> None:
        self._checked = 0.0


_segmenter = _Built()
_synonyms = _Built()


def _dictionary_signature() -> tuple[Any, ...]:
    from .models import DictionaryWord

    row = DictionaryWord.objects.aggregate(count=Count("pk"), last=Max("added_at"))
    return row["count"], row["last"]


def _synonym_signature() -> tuple[Any, ...]:
    from .models import SynonymGroup

    row = SynonymGroup.objects.aggregate(count=Count("pk"), last=Max("changed_at"))
    return row["count"], row["last"]


def dictionary_words() -> list[str]:
    """The shipped dictionary, the office's words and every synonym (a synonym is a word
    someone searches for, so it is kept whole)."""
    from .models import DictionaryWord

    return [*shipped_words(), *DictionaryWord.objects.values_list("word", flat=True),
            *synonyms().words()]


def segmenter() -> Segmenter:
    """This process's segmenter, with the current dictionary."""
    return _segmenter.get(lambda: (_dictionary_signature(), _synonym_signature()),
                          lambda: Segmenter(dictionary_words()))


def synonyms() -> SynonymTable:
    """This process's synonym table, from the current groups."""
    from .models import SynonymGroup

    return _synonyms.get(_synonym_signature, lambda: SynonymTable(tuple(
        tuple(split_terms(terms)) for terms in SynonymGroup.objects.values_list("terms",
                                                                                flat=True))))


def recheck() -> None:
    """Look whether the rows changed on next use, however recently they were looked at
    (a page about to be stored must not be built from a vocabulary older than itself)."""
    _segmenter.recheck()
    _synonyms.recheck()


def forget() -> None:
    """Rebuild both on next use (after an edit in this process, and between tests)."""
    _segmenter.forget()
    _synonyms.forget()
