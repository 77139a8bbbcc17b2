"""Pure: what a typed query asks for, and how each engine is told.

A query becomes a list of ``Term``s, one per word the person typed; a document matches
when it holds every term. When none does, the query is loosened step by step
(``Query.loosened``): first the weak words are dropped (a question's words as people ask
it, 怎么办 or 多少钱, ``data/colloquial.txt``, and lone characters), then a document need
hold only any of the words. A term matches through any of its
``alternatives``: the word itself, its synonyms, and the word's own parts (a word the
dictionary did not know when a document was indexed was indexed as its parts). An
alternative of several index words matches when they stand near each other.

Nothing the person typed reaches an engine as syntax: every word is quoted by the renderer
(FTS5's double quotes, tsquery's single quotes), and only words (letters and digits) are
kept, so ``AND``, ``NEAR``, ``*``, ``:`` or a quote are searched for or dropped, never
obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Protocol

from xxgk.docnumbers import doc_no_key, looks_like_doc_no

from .text import fold, title_key

# Longer queries are cut: nobody types more, and a pasted page must not make a huge query.
MAX_QUERY_CHARACTERS = 200
MAX_TERMS = 12
# How far apart (in index words) the parts of an alternative may stand.
NEAR_SLACK = 2

FIELDS = ("all", "title", "body", "doc_no")
COLLOQUIAL = Path(__file__).parent / "data" / "colloquial.txt"


@cache
def colloquial_words() -> frozenset[str]:
    """The shipped words of a question as people ask it (``data/colloquial.txt``)."""
    lines = COLLOQUIAL.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines
                     if line.strip() and not line.startswith("#"))


class Cutter(Protocol):
    def index_words(self, text: str) -> list[str]: ...
    def query_words(self, text: str) -> list[str]: ...


class Synonyms(Protocol):
    def alternatives(self, word: str) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Term:
    """One word of the query: matched through any alternative (a tuple of index words)."""

    word: str
    alternatives: tuple[tuple[str, ...], ...]
    # A word of the question rather than of its subject (怎么办): dropped when no document
    # holds it with the others.
    colloquial: bool = False

    @property
    def weak(self) -> bool:
        """Whether the word is a question's word or a lone character (see
        ``Query.loosened``)."""
        return self.colloquial or len(self.word) == 1


@dataclass(frozen=True)
class Query:
    text: str
    terms: tuple[Term, ...]
    doc_no_key: str
    title_key: str
    field: str = "all"
    # A document holds any of the terms (not every one).
    relaxed: bool = False
    # The weak words typed but no longer asked for (``loosened``).
    dropped: tuple[str, ...] = ()

    @property
    def misses_words(self) -> bool:
        """Whether a document may lack some of the words typed (any term is enough, or
        the weak words were dropped): what the page tells the person."""
        return self.relaxed or bool(self.dropped)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.doc_no_key and not self.title_key

    def words(self) -> tuple[str, ...]:
        """What a snippet marks, longest first: each typed word and its whole synonyms
        (not the parts a word is also matched through: 社会 alone marked in 社会保障局
        for a search for 社会保险 would mislead)."""
        words = {term.word for term in self.terms}
        words |= {alternative[0] for term in self.terms for alternative in term.alternatives
                  if len(alternative) == 1}
        return tuple(sorted(words, key=lambda word: (-len(word), word)))

    def relax(self) -> Query:
        """The same query matching documents that hold any of its terms."""
        return replace(self, relaxed=True)

    def loosened(self) -> Query | None:
        """The next looser query, for when no document matches this one; None when there
        is none. First the weak words are dropped when others remain: the question's
        words (怎么办) lose nothing the documents say, and a lone character says little
        about a subject (分 in 垃圾怎么分 matches 股权分置, 月 in 老人每个月有什么补贴 any
        monthly payment); the words that remain are still all required. Then any of them.

        Requiring all words but one (then but two, …) before any, measured on
        bench/search_quality.py, lost more than it gained (colloquial nDCG@10 0.55 against
        0.60): the few documents holding most words pushed out better ones holding fewer.
        """
        strong = tuple(term for term in self.terms if not term.weak)
        if not self.misses_words and strong and len(strong) < len(self.terms):
            return replace(self, terms=strong,
                           dropped=tuple(term.word for term in self.terms if term.weak))
        if self.relaxed or len(self.terms) < 2:
            return None
        return self.relax()


def _alternatives(word: str, cutter: Cutter, synonyms: Synonyms) -> tuple[tuple[str, ...], ...]:
    found: dict[tuple[str, ...], None] = {}
    for alternative in synonyms.alternatives(word):
        parts = tuple(cutter.index_words(alternative))
        whole = tuple(part for part in parts if part != alternative)
        if alternative in parts or len(parts) == 1:
            found.setdefault((alternative,), None)
        if whole and whole != (alternative,):
            found.setdefault(whole, None)
    return tuple(found)


def parse(text: str, cutter: Cutter, synonyms: Synonyms, *, field: str = "all",
          colloquial: frozenset[str] | None = None) -> Query:
    """The query ``text`` asks for (``field``: where the words must stand; ``colloquial``:
    the words of a question, the shipped ones unless given)."""
    if colloquial is None:
        colloquial = colloquial_words()
    text = (text or "")[:MAX_QUERY_CHARACTERS].strip()
    if field not in FIELDS:
        field = "all"
    words = cutter.query_words(text)[:MAX_TERMS]
    terms = tuple(Term(word, _alternatives(word, cutter, synonyms), word in colloquial)
                  for word in words)
    exact_doc_no = doc_no_key(text) if looks_like_doc_no(text) or field == "doc_no" else ""
    return Query(text=fold(text), terms=tuple(term for term in terms if term.alternatives),
                 doc_no_key=exact_doc_no[:80],
                 title_key=title_key(text) if len(text) >= 8 and field in ("all", "title")
                 else "", field=field)


# ---- FTS5 ------------------------------------------------------------------------------

# The FTS5 table's columns, in order (the bm25 weights follow this order).
FTS5_COLUMNS = ("title_words", "doc_no_words", "summary_words", "body_words",
                "title_en_words", "body_en_words")
FTS5_WEIGHTS = (10.0, 6.0, 3.0, 1.0, 10.0, 1.0)
_FTS5_FIELDS = {
    ("zh", "all"): ("title_words", "doc_no_words", "summary_words", "body_words"),
    ("zh", "title"): ("title_words",),
    ("zh", "body"): ("summary_words", "body_words"),
    ("zh", "doc_no"): ("doc_no_words",),
    ("en", "all"): ("title_en_words", "body_en_words"),
    ("en", "title"): ("title_en_words",),
    ("en", "body"): ("body_en_words",),
    ("en", "doc_no"): ("doc_no_words",),
}


def _fts5_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _fts5_alternative(words: tuple[str, ...]) -> str:
    if len(words) == 1:
        return _fts5_word(words[0])
    return f"NEAR({' '.join(_fts5_word(word) for word in words)}, {len(words) + NEAR_SLACK})"


def to_fts5(query: Query, language: str) -> str:
    """The FTS5 MATCH expression for ``query`` over the columns of ``language``."""
    columns = _FTS5_FIELDS[(language, query.field)]
    terms = ["(" + " OR ".join(_fts5_alternative(alt) for alt in term.alternatives) + ")"
             for term in query.terms]
    joined = (" OR " if query.relaxed else " AND ").join(terms)
    return "{" + " ".join(columns) + "} : (" + joined + ")"


# ---- PostgreSQL tsquery ----------------------------------------------------------------

# The tsvector weights: A title, B 文号, C summary, D body (English: A title, D body).
_TS_WEIGHTS = {"all": "", "title": "A", "body": "CD", "doc_no": "B"}


def _ts_word(word: str, weights: str) -> str:
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{quoted}:{weights}" if weights else quoted


def _ts_near(words: list[str]) -> str:
    """Index words standing near each other, in their order: each at most
    ``NEAR_SLACK + 1`` positions after the one before (the followed-by operator ``<N>``,
    "exactly N after", for each N up to that). The parts of a word stand in the document
    in the order the segmenter cut them; FTS5's NEAR, unordered, says much the same."""
    pairs = ["(" + " | ".join(f"{before} <{distance}> {after}"
                              for distance in range(1, NEAR_SLACK + 2)) + ")"
             for before, after in zip(words, words[1:], strict=False)]
    return "(" + " & ".join(pairs) + ")"


def to_tsquery(query: Query) -> str:
    """The ``to_tsquery`` text for ``query`` (the same for both languages' vectors)."""
    weights = _TS_WEIGHTS[query.field]
    terms = []
    for term in query.terms:
        alternatives = []
        for alternative in term.alternatives:
            words = [_ts_word(word, weights) for word in alternative]
            alternatives.append(words[0] if len(words) == 1 else _ts_near(words))
        terms.append("(" + " | ".join(alternatives) + ")")
    return (" | " if query.relaxed else " & ").join(terms)
