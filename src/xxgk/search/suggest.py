"""Recommendation: words offered as people type, "did you mean", and the hot searches.

The suggestions are ``SuggestionTerm`` rows, rebuilt from what the public can find (the
public items' topic words and frequent title words), the dictionary and synonyms, and
what people searched with results. Each row keeps its pinyin and initials, so that the
letters an input method has not yet turned into characters (``shebao``, ``sb``) find 社保,
and so that a homophone typo (社宝 for 社保, the commonest kind with pinyin input) is
corrected by an indexed lookup of the same pinyin instead of a scan.

Every lookup is a prefix or an equality on an indexed column. Prefixes are written as
ranges on SQLite (its ``LIKE`` ignores ASCII case and so never uses an index on a
binary-collated column) and as ``LIKE 'p%'`` on PostgreSQL (Django gives every indexed
text column a ``varchar_pattern_ops`` index there, which a range under a language
collation could not use correctly).
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Length, Substr

from xxgk.catalog.models import InfoItem

from .backends import Filters, backend
from .models import SearchEntry, SuggestionTerm
from .pinyin import (
    initials_key,
    looks_like_pinyin,
    mixed_initials,
    pinyin_key,
    reads_as,
    syllables,
    typed_words,
    whole_syllables,
)
from .query import Query, Term
from .querylog import normalized, popular_queries
from .text import fold, is_word, title_key
from .vocabulary import dictionary_words, segmenter, split_terms, synonyms

BATCH = 2000
TITLES = 3
# Matches read by title before a beginning counts as common (see ``_titles``).
_TITLE_SAMPLE = 500
# At most this many popular queries head the suggestions.
POPULAR_SUGGESTIONS = 3
# A title word in more than this share of all titles is not offered, once there are
# enough titles for a share to mean something.
COMMON_TITLE_SHARE = 0.2
COMMON_AFTER = 1000
POPULAR_DAYS = 30
# The suggestions serve the Chinese pages; the English ones offer titles only.
TERMS_LANGUAGE = "zh-hans"

_TEXT = SuggestionTerm._meta.get_field("text").max_length
_PINYIN = SuggestionTerm._meta.get_field("pinyin").max_length
_INITIALS = SuggestionTerm._meta.get_field("initials").max_length
# "Did you mean" joins up to this many query words when looking for the word meant: a
# mistyped word is often cut in pieces (最低生活报障 → 最低 / 生活报 / 障).
_SPAN = 3
# A two-character word is corrected to a term that does not sound the same only when that
# term is this many times as heavy as any other one edit away.
_CLEAR = 3
# Pinyin of several words (``yanglao butie``, ``canjirenjiuye``, ``ylbt``) is read piece by
# piece: letters beyond _PINYIN_LETTERS are not read, a piece is at most _PIECE letters (a
# term's pinyin rarely is longer), and each piece is read as one of its _READINGS heaviest
# terms, the readings of the pieces being compared by how many documents hold them all
# (at most _COMBINATIONS of them, each counted up to _TOGETHER).
_PINYIN_LETTERS = 60
_PIECE = 30
_READINGS = 3
_COMBINATIONS = 9
_TOGETHER = 500
# Syllables typed some whole and some as initials (``shebk``, ``sbka`` for 社保卡) are looked
# up by the initials they may stand for (``pinyin.mixed_initials``); of the terms so
# written, at most _MIX_ROWS (heaviest first) are read and told apart by their syllables.
# While typing, the _MIX_PREFIXES readings of the fewest syllables are looked up.
_MIX_ROWS = 100
_MIX_PREFIXES = 4


@dataclass(frozen=True)
class Suggestion:
    """One line of the list under the search box."""

    text: str
    kind: str  # "popular" (a popular query), "term" or "title"
    url: str | None = None


# ---- Rebuilding the terms -----------------------------------------------------------------

def rebuild_terms(progress: Callable[[int], None] | None = None) -> int:
    """Replace every suggestion term; the number written. ``progress(items_read)`` is told
    after each batch of public items read.

    A term's weight is the number of public items whose title or topic words hold it (a
    synonym's is its group's best, since a search for it finds the others), or for a
    popular query how often it was searched, whichever is larger. A term no public item
    holds is left out: offering it would lead to an empty page. The titles are read once,
    as a stream, so memory grows with the number of distinct words, not of items.
    """
    holding, in_titles, topics, titles_read = _count_public_words(progress)
    # A word in a large share of all titles (关于, 通知, 印发) narrows nothing: offering it
    # first would push the words people look for down the list.
    common = COMMON_TITLE_SHARE * titles_read if titles_read >= COMMON_AFTER else titles_read
    weights: dict[str, int] = {}
    for word, titles in in_titles.items():
        if 2 <= titles <= common:
            weights[word] = holding[word]
    for word in topics:
        weights[word] = holding[word]
    table = synonyms()
    for word in map(fold, dictionary_words()):
        weights[word] = max(holding[other] for other in table.alternatives(word))
    popular = dict(popular_queries(language=TERMS_LANGUAGE, days=POPULAR_DAYS))
    for query, searched in popular.items():
        weights[query] = max(weights.get(query, 0), searched)
    terms = [_term(text, weight, popular.get(text)) for text, weight in weights.items()
             if weight > 0 and len(text) <= _TEXT]
    # One transaction: readers see the old terms until the new ones are all there.
    with transaction.atomic():
        SuggestionTerm.objects.all().delete()
        SuggestionTerm.objects.bulk_create(terms, batch_size=BATCH)
    return len(terms)


def _count_public_words(progress: Callable[[int], None] | None
                        ) -> tuple[Counter[str], Counter[str], set[str], int]:
    """For every word: how many public items hold it (in the title or the topic words),
    how many public titles do; the set of topic words; and how many titles were read."""
    cut = segmenter()
    holding: Counter[str] = Counter()
    in_titles: Counter[str] = Counter()
    topics: set[str] = set()
    # Only items with an entry: the index holds exactly the public items.
    rows = (InfoItem.objects.filter(search_entry__isnull=False)
            .values_list("title", "topic_words").iterator(chunk_size=BATCH))
    read = 0
    for title, topic_words in rows:
        # Numbers (2025, 12) begin many titles and say nothing as a suggestion.
        words = {word for word in cut.query_words(title) if len(word) >= 2
                 and not word.isdigit()}
        in_titles.update(words)
        own_topics = {fold(word) for word in split_terms(topic_words) if is_word(word)}
        topics |= own_topics
        holding.update(words | own_topics)
        read += 1
        if progress is not None and read % BATCH == 0:
            progress(read)
    if progress is not None:
        progress(read)
    return holding, in_titles, topics, read


def _term(text: str, weight: int, searched: int | None) -> SuggestionTerm:
    return SuggestionTerm(text=text, pinyin=pinyin_key(text)[:_PINYIN],
                          initials=initials_key(text)[:_INITIALS], weight=weight,
                          searched=searched)


# ---- Suggestions as people type -------------------------------------------------------------

def suggest(prefix: str, *, language: str = "zh-hans", limit: int = 8) -> list[Suggestion]:
    """At most ``limit`` suggestions for what has been typed so far: up to three popular
    queries beginning with it (or whose pinyin or initials do, when it reads as pinyin),
    most searched first, then the heaviest terms so beginning, then up to three public
    titles beginning with it, newest first. The English pages are offered English titles
    only: the terms and the popular queries are the Chinese pages'."""
    if language == "en":
        return _english_titles(prefix.strip(), limit)
    typed = normalized(prefix)
    if not typed or limit <= 0:
        return []
    titles = _titles(typed, min(TITLES, limit))
    room = limit - len(titles)
    popular = _terms(typed, min(POPULAR_SUGGESTIONS, room), popular=True)
    shown = {suggestion.text for suggestion in popular}
    terms = [term for term in _terms(typed, room) if term.text not in shown]
    return popular + terms[:room - len(popular)] + titles


def _terms(typed: str, limit: int, *, popular: bool = False) -> list[Suggestion]:
    """The terms beginning with ``typed`` (or their pinyin or initials, or failing enough
    of those, their syllables typed some whole and some as initials), heaviest first;
    ``popular``: the popular queries only, most searched first."""
    if limit <= 0:
        return []
    conditions = [_prefix("text", typed)]
    letters = looks_like_pinyin(typed, partial=True)
    if letters:
        key = pinyin_key(typed)
        conditions += [_prefix("pinyin", key), _prefix("initials", key)]
    terms = (SuggestionTerm.objects.filter(searched__isnull=False) if popular
             else SuggestionTerm.objects.all())
    order = "searched" if popular else "weight"
    found: dict[str, int] = {}
    # One query per index rather than one with OR, which SQLite may answer with a scan.
    for condition in conditions:
        found.update(terms.filter(condition).order_by(f"-{order}", "text")
                     .values_list("text", order)[:limit])
    # Whole syllables were looked up exactly by their pinyin.
    if letters and len(found) < limit and not whole_syllables(typed, partial=True):
        found.update(_begun_as_mix(typed, terms, order, limit))
    best = sorted(found.items(), key=lambda term: (-term[1], term[0]))[:limit]
    return [Suggestion(text, "popular" if popular else "term") for text, _n in best]


def _begun_as_mix(typed: str, terms: Any, order: str, limit: int) -> dict[str, int]:
    """The heaviest terms (``order``) whose syllables begin as typed, each whole or as
    its initial, the last perhaps unfinished (``shebk`` → 社保卡, 社保卡申领)."""
    keys = mixed_initials(typed, partial=True)[:_MIX_PREFIXES]
    if not keys:
        return {}
    # Ranges of one indexed column: SQLite and PostgreSQL read each from the index.
    begins = functools.reduce(operator.or_, (_prefix("initials", key) for key in keys))
    rows = (terms.filter(begins).order_by(f"-{order}", "text")
            .values_list("text", order)[:_MIX_ROWS])
    found = {text: weight for text, weight in rows
             if reads_as(typed, syllables(text), partial=True)}
    return dict(itertools.islice(found.items(), limit))


def _titles(typed: str, limit: int, key_field: str = "title_key",
            title_field: str = "title") -> list[Suggestion]:
    """The newest public titles beginning with ``typed`` (``key_field``: the entry's
    key of the title in the page's language, ``title_field`` the item's title).

    Sorting every match by date reads them all: 200–400 ms at a million items for a
    beginning as common as 关于 or 四川省. So a sample of matches is read first, in title
    order from the index; if that is all of them, they are sorted. If not, the beginning is
    common, and the entries are read from the newest down (the date index), back to the
    oldest date the newest of the sample could be displaced by, until enough match.
    """
    key = title_key(typed)
    if not key:
        return []
    found = list(SearchEntry.objects.filter(_prefix(key_field, key)).order_by(key_field)
                 .values_list("published_on", "item_id")[:_TITLE_SAMPLE])
    if len(found) == _TITLE_SAMPLE:
        no_older = sorted(found, reverse=True)[limit - 1][0]
        # Substr, not the prefix: the title index must not be the one used here.
        found = list(SearchEntry.objects.alias(begins=Substr(key_field, 1, len(key)))
                     .filter(begins=key, published_on__gte=no_older)
                     .order_by("-published_on", "-item_id")
                     .values_list("published_on", "item_id")[:limit])
    newest = [pk for _day, pk in sorted(found, reverse=True)[:limit]]
    items = InfoItem.objects.only("pk", title_field).in_bulk(newest)
    return [Suggestion(getattr(items[pk], title_field), "title", items[pk].get_absolute_url())
            for pk in newest]


def _english_titles(typed: str, limit: int) -> list[Suggestion]:
    if not typed or limit <= 0:
        return []
    return _titles(typed, limit, "title_en_key", "title_en")


def _prefix(field: str, prefix: str) -> Q:
    """``field`` begins with ``prefix``, in the form the engine answers from its index."""
    if connection.vendor == "sqlite":
        # Binary collation compares UTF-8 bytes: every text beginning with the prefix lies
        # between it and the prefix followed by the last code point.
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})


# ---- Did you mean ---------------------------------------------------------------------------

def did_you_mean(query: str, *, language: str = "zh-hans") -> str | None:
    """The query the person probably meant, for one with no or few results; None when
    nothing is better.

    Pinyin or initials typed in place of characters give the heaviest term written so
    (or with some syllables whole and some as initials, ``shebk`` → 社保卡); letters that
    no term is written as are read as several terms (``yanglao butie`` →
    养老补贴, see ``_written_as_words``), or else as the beginning of one.
    Otherwise each run of the query's words that is not a known term is compared with
    the terms that differ from it in one character: one that sounds the same first (社宝
    → 社保, 公租防 → 公租房: the input method offered the wrong character), then any
    term one edit away (a character wrong, two swapped, one missing or one too many:
    ``_one_edit_off``), which for a two-character run must be clearly the one meant.
    """
    if language == "en":
        return None
    typed = normalized(query)
    if not typed:
        return None
    if looks_like_pinyin(typed):
        key = pinyin_key(typed)
        return (_written_as(key) or _written_as_mix(typed) or _written_as_words(typed)
                or _begun_as(key))
    corrected = _corrected(typed)
    return corrected if corrected != typed else None


def _written_as(key: str) -> str | None:
    for field in ("pinyin", "initials"):
        term = (SuggestionTerm.objects.filter(**{field: key}).order_by("-weight", "text")
                .values_list("text", flat=True).first())
        if term:
            return term
    return None


def _written_as_mix(typed: str) -> str | None:
    """The heaviest term whose syllables are typed, each whole or as its initial
    (``shebk``, ``sbka``, ``shebaok`` → 社保卡)."""
    rows = (SuggestionTerm.objects.filter(initials__in=list(mixed_initials(typed)))
            .order_by("-weight", "text").values_list("text", flat=True)[:_MIX_ROWS])
    return next((text for text in rows if reads_as(typed, syllables(text))), None)


def _begun_as(key: str) -> str | None:
    """The heaviest term whose pinyin begins with ``key`` (whole syllables of it: the
    person stopped typing before the last, ``gongyouchanquan`` for 共有产权房)."""
    return (SuggestionTerm.objects.filter(_prefix("pinyin", key)).order_by("-weight", "text")
            .values_list("text", flat=True).first())


def _written_as_words(typed: str) -> str | None:
    """Letters read as a run of terms, each written as a piece of them in pinyin or in
    initials (``yanglao butie``, ``yanglaobutie``, ``ylbt`` → 养老补贴; ``shebao k`` →
    社保卡 is one term's, found before): the fewest pieces, cut where the person typed a
    space when that costs no piece more. Of the pieces' readings (initials are ambiguous:
    yl is 养老 or 医疗), the one whose terms most documents hold side by side; none
    when no document does."""
    key, breaks = "", set()
    for letters in typed_words(typed):
        key += letters
        breaks.add(len(key))
    key = key[:_PINYIN_LETTERS]
    pieces = {key[i:j] for i in range(len(key))
              for j in range(i + 2, min(len(key), i + _PIECE) + 1)}
    readings: dict[str, dict[str, int]] = {}
    for field in ("pinyin", "initials"):
        rows = (SuggestionTerm.objects.filter(**{f"{field}__in": sorted(pieces)})
                .values_list(field, "text", "weight"))
        for piece, text, weight in rows:
            readings.setdefault(piece, {})[text] = weight
    # best[i]: the cheapest cut of key[:i], as (pieces, pieces across a space, the cut).
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (len(key) + 1)
    best[0] = (0, 0, ())
    for end in range(2, len(key) + 1):
        for start in range(max(0, end - _PIECE), end - 1):
            piece, before = key[start:end], best[start]
            if before is None or piece not in readings:
                continue
            across = sum(1 for place in breaks if start < place < end)
            cut = (before[0] + 1, before[1] + across, (*before[2], piece))
            if best[end] is None or cut[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = cut
    found = best[len(key)]
    if found is None or len(found[2]) < 2:
        return None
    choices = [sorted(readings[piece].items(), key=lambda term: (-term[1], term[0]))[:_READINGS]
               for piece in found[2]]
    combinations = sorted(itertools.product(*choices),
                          key=lambda terms: -math.prod(weight + 1 for _text, weight in terms))
    # Nobody types one word twice running: qqqq is no 确权确权.
    candidates = [texts for terms in combinations[:_COMBINATIONS]
                  if len(set(texts := tuple(text for text, _weight in terms))) == len(texts)]
    # A reading no document holds side by side leads nowhere.
    together = {terms: _held_together(terms) for terms in candidates}
    held = [terms for terms in candidates if together[terms]]
    return "".join(max(held, key=lambda terms: together[terms])) if held else None


def _held_together(terms: tuple[str, ...]) -> int:
    """How many public documents hold the words of ``terms`` near one another, as the
    words of one phrase stand (up to ``_TOGETHER``)."""
    cut = segmenter()
    words = tuple(word for text in terms for word in cut.query_words(text))
    text = "".join(terms)
    query = Query(text=text, terms=(Term(text, (words,)),), doc_no_key="", title_key="")
    return backend().count_upto(query, "zh", Filters(), _TOGETHER)


def _corrected(typed: str) -> str:
    words = segmenter().query_words(typed)
    spans = {"".join(words[i:j]) for i in range(len(words))
             for j in range(i + 1, min(len(words), i + _SPAN) + 1)}
    known = set(SuggestionTerm.objects.filter(text__in=spans).values_list("text", flat=True))
    sounds = _homophones([span for span in spans if _correctable(span) and span not in known])
    i, corrected = 0, typed
    while i < len(words):
        # The longest run first: 养老保线 is 养老保险 mistyped, not 养老 and a wrong 保线.
        for j in range(min(len(words), i + _SPAN), i, -1):
            span = "".join(words[i:j])
            if (not _correctable(span) or span not in typed
                    or all(word in known for word in words[i:j])):
                continue
            better = sounds.get(span) or _one_edit_off(span)
            if better:
                corrected = corrected.replace(span, better, 1)
                i = j
                break
        else:
            i += 1
    return corrected


def _correctable(span: str) -> bool:
    return 2 <= len(span) <= _TEXT and not span.isascii()


def _homophones(spans: list[str]) -> dict[str, str]:
    """For each span, the heaviest term that sounds the same and differs in one character
    (one query on the pinyin index for all of them)."""
    by_sound: dict[str, list[str]] = {}
    for span in spans:
        by_sound.setdefault(pinyin_key(span)[:_PINYIN], []).append(span)
    best: dict[str, str] = {}
    rows = (SuggestionTerm.objects.filter(pinyin__in=list(by_sound)).order_by("-weight", "text")
            .values_list("text", "pinyin"))
    for text, sound in rows:
        for span in by_sound.get(sound, ()):
            if span not in best and _one_apart(span, text):
                best[span] = text
    return best


def _one_edit_off(span: str) -> str | None:
    """The heaviest term one edit from ``span``: a character wrong, two neighbours
    swapped, one missing or one too many.

    A term one character wrong or missing at position ``i`` shares the span's first half
    when ``i`` lies in the second half (an indexed prefix query), and its second half
    otherwise (a suffix query, which reads the text index only); swapped neighbours and a
    character too many are looked up by the few texts they can be.

    Two characters agreeing on one is a weak sign (社休: 社保, 社区 or 休假?): for a
    two-character span, swapped characters are taken, and another term only when it is
    clearly the one most searched for, ``_CLEAR`` times as heavy as any other as near.
    """
    half = (len(span) + 1) // 2
    swapped = [span[:i] + span[i + 1] + span[i] + span[i + 2:] for i in range(len(span) - 1)]
    # One too many only from four characters: 社保费 is a word, not 社保 mistyped.
    shorter = [span[:i] + span[i + 1:] for i in range(len(span))] if len(span) > 3 else []
    near_length = (SuggestionTerm.objects.alias(length=Length("text"))
                   .filter(length__in=(len(span), len(span) + 1)))
    candidates = {
        *SuggestionTerm.objects.filter(text__in=[*swapped, *shorter])
        .values_list("text", "weight"),
        *near_length.filter(_prefix("text", span[:half])).values_list("text", "weight"),
        *near_length.filter(text__endswith=span[half:]).values_list("text", "weight")}
    near = sorted(((weight, text) for text, weight in candidates
                   if text != span and _one_edit_apart(span, text)),
                  key=lambda term: (-term[0], term[1]))
    if len(span) > 2:
        return near[0][1] if near else None
    swap = next((text for _weight, text in near if text in swapped), None)
    if swap or not near:
        return swap
    if len(near) == 1 or near[0][0] >= _CLEAR * near[1][0]:
        return near[0][1]
    return None


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one character changed, two neighbours swapped, or one
    character added or removed."""
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and a[differ[0]] == b[differ[1]]
                                    and a[differ[1]] == b[differ[0]])
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y),
             len(short))
    return short[i:] == long[i + 1:]


# ---- Hot searches ---------------------------------------------------------------------------

def hot_searches(*, language: str, limit: int = 10, days: int = 30) -> list[str]:
    """The queries most searched in the last ``days`` days that found something, by
    several people (``querylog.popular_queries``)."""
    return [query for query, _searched in popular_queries(language=language, days=days,
                                                          limit=limit)]
