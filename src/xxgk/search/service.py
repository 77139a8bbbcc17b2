"""Search: one function that the page, the API and ``xxgk search`` all call.

``search`` takes a ``SearchRequest`` (what a person asked, every value as typed: unknown
filters, odd page numbers and any characters are answered, never refused) and returns a
``SearchPage``. In order:

1. **Exact identifiers.** A 文号 in any brackets, an 索引号 or a whole pasted title finds its
   item first (``doc_no_key``, ``index_no``, ``title_key``): these are pinned on page 1.
2. **Words.** The query's words, each with its synonyms, must all stand in a document;
   ranked by the engine's relevance (title > 文号 > summary > body), documents in force
   before expired or repealed ones, recency breaking ties. When no document holds every
   word, the query is loosened (``Query.loosened``: its weak words, such as 怎么办 or a
   lone character, dropped; then documents holding any word; ``relaxed``).
3. **Corrections.** A query that no document holds whole, or only a few, is looked up as
   pinyin or with one character mistyped (``suggest.did_you_mean``). A correction that
   documents hold whole is shown instead (``corrected``), before the typed query is
   loosened; beside a loosened page or a few results it is offered (``suggestion``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import get_language

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.catalog.models import Category
from xxgk.catalog.sanitize import plain_text
from xxgk.core.labels import in_page_language
from xxgk.portal.queries import public_items

from . import highlight
from .backends import Filters, Matches, backend
from .models import SearchEntry
from .query import FIELDS, Query, parse
from .vocabulary import segmenter, synonyms

MAX_LIMIT = 100
# Fewer results than this and a correction is looked for.
FEW_RESULTS = 3
FACET_SIZE = 20
# A query matching more documents than this is broad (a word most documents hold, or
# filters alone): its matches are not all read. The newest are shown first, counted up to
# COUNT_CAP, without facets: ranking and counting a million matches takes seconds, and
# relevance among them says little (docs/architecture.md, Search).
BROAD = 5_000
COUNT_CAP = 10_000
# At most this many items are pinned first as named exactly (a 文号 shared by a few).
EXACT_LIMIT = 5
# The score of a pinned item: above any engine's relevance (BM25 stays far below it).
EXACT_SCORE = 1000.0
SORTS = ("relevance", "date")
LANGUAGES = ("zh-hans", "en")


def _printable(text: str) -> str:
    """``text`` without control characters (PostgreSQL refuses a NUL in any text)."""
    return "".join(char for char in (text or "") if char.isprintable() or char == " ").strip()


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    agency: str = ""
    category: str = ""
    kind: str = ""
    validity: str = ""
    field: str = "all"
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    limit: int = 10
    language: str = "zh-hans"

    def normalized(self) -> SearchRequest:
        """The request with every value in its range (nothing a person types is an
        error: an unknown sort is relevance, page 0 is page 1)."""
        return replace(
            self, q=_printable(self.q), agency=_printable(self.agency),
            category=_printable(self.category), kind=_printable(self.kind),
            validity=_printable(self.validity), field=self.field if self.field in FIELDS else "all",
            sort=self.sort if self.sort in SORTS else "relevance",
            page=max(1, min(int(self.page or 1), 10**9)),
            limit=max(1, min(int(self.limit or 10), MAX_LIMIT)),
            language=self.language if self.language in LANGUAGES else "zh-hans")

    @property
    def has_filters(self) -> bool:
        return bool(self.agency or self.category or self.kind or self.validity
                    or self.since or self.until)


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    item_id: int
    index_no: str
    title: str
    title_html: str
    doc_no: str
    published_on: dt.date
    score: float
    url: str
    agency_name: str
    validity: str
    validity_label: str
    snippet: str
    exact: bool = False

    def as_json(self) -> dict[str, Any]:
        """The result as the API and ``xxgk search --json`` give it."""
        return {"index_no": self.index_no, "title": self.title, "doc_no": self.doc_no,
                "published_on": self.published_on.isoformat(),
                "score": round(self.score, 4), "url": self.url, "agency": self.agency_name,
                "validity": self.validity or None, "exact": self.exact}


@dataclass
class SearchPage:
    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    corrected: str | None = None
    suggestion: str | None = None
    relaxed: bool = False
    query_words: tuple[str, ...] = ()
    # A broad query: newest first, ``total`` counted up to COUNT_CAP, no facets.
    broad: bool = False

    @property
    def more(self) -> bool:
        """Whether there are more matches than ``total`` says (a broad query's count
        stopped at COUNT_CAP)."""
        return self.broad and self.total >= COUNT_CAP

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.request.limit) if self.total else 0

    @property
    def has_next(self) -> bool:
        return self.request.page < self.pages

    def as_json(self) -> dict[str, Any]:
        return {"query": self.request.q, "total": self.total, "page": self.request.page,
                "pages": self.pages, "corrected": self.corrected,
                "suggestion": self.suggestion, "relaxed": self.relaxed,
                "broad": self.broad, "more": self.more,
                "results": [hit.as_json() for hit in self.hits],
                "facets": {name: [{"key": f.key, "label": f.label, "count": f.count}
                                  for f in facets] for name, facets in self.facets.items()}}


def _filters(request: SearchRequest) -> Filters | None:
    """The request's filters; None when one names nothing that exists (no result can
    match an unknown agency, category, kind or validity)."""
    agency_ids = None
    if request.agency:
        agency = Agency.objects.filter(code=request.agency).first()
        if agency is None:
            return None
        agency_ids = tuple(agency.subtree().values_list("pk", flat=True))
    category_id = None
    if request.category:
        category_id = Category.objects.filter(code=request.category).values_list(
            "pk", flat=True).first()
        if category_id is None:
            return None
    if request.kind and request.kind not in {kind.key for kind in taxonomy.POLICY_KINDS}:
        return None
    if request.validity and request.validity not in {v.key for v in taxonomy.VALIDITIES}:
        return None
    return Filters(agency_ids=agency_ids, category_id=category_id, kind=request.kind,
                   validity=request.validity, since=request.since, until=request.until)


def _exact(query: Query, filters: Filters, limit: int) -> list[int]:
    """Items the query names exactly (文号, 索引号, title), within the filters."""
    keys = [("doc_no_key", query.doc_no_key), ("title_key", query.title_key)]
    if query.text and len(query.text) <= 40:
        keys.append(("index_no", query.text))
    ids: list[int] = []
    for column, value in keys:
        if not value:
            continue
        entries = SearchEntry.objects.filter(**{column: value})
        if filters.agency_ids is not None:
            entries = entries.filter(agency_id__in=filters.agency_ids)
        for name in ("category_id", "kind", "validity"):
            if getattr(filters, name):
                entries = entries.filter(**{name: getattr(filters, name)})
        if filters.since:
            entries = entries.filter(published_on__gte=filters.since)
        if filters.until:
            entries = entries.filter(published_on__lte=filters.until)
        for pk in entries.order_by("-in_force", "-published_on", "-item_id").values_list(
                "item_id", flat=True)[:limit]:
            if pk not in ids:
                ids.append(pk)
    return ids[:limit]


def _labels(model: Any, ids: set[Any], english: bool) -> dict[Any, tuple[str, str]]:
    rows = model.objects.filter(pk__in=ids).values_list("pk", "code", "name", "name_en")
    return {pk: (code, name_en if english and name_en else name)
            for pk, code, name, name_en in rows}


def _facets(rows: list[tuple], request: SearchRequest) -> dict[str, list[Facet]]:
    english = request.language == "en"
    counts: dict[str, dict[Any, int]] = {"agency": {}, "category": {}, "kind": {},
                                         "validity": {}}
    for agency_id, category_id, kind, validity, count in rows:
        for name, value in (("agency", agency_id), ("category", category_id), ("kind", kind),
                            ("validity", validity)):
            if value:
                counts[name][value] = counts[name].get(value, 0) + count
    agencies = _labels(Agency, set(counts["agency"]), english)
    categories = _labels(Category, set(counts["category"]), english)
    named = {"agency": agencies, "category": categories,
             "kind": {c.key: (c.key, in_page_language(c)) for c in taxonomy.POLICY_KINDS},
             "validity": {c.key: (c.key, in_page_language(c)) for c in taxonomy.VALIDITIES}}
    facets = {}
    for name, by_value in counts.items():
        selected = getattr(request, name)
        entries = [Facet(named[name][value][0], named[name][value][1], count,
                         named[name][value][0] == selected)
                   for value, count in by_value.items() if value in named[name]]
        entries.sort(key=lambda facet: (-facet.count, facet.label))
        facets[name] = entries[:FACET_SIZE]
    return facets


def _add_exact_to_facets(rows: list[tuple], exact_ids: list[int]) -> list[tuple]:
    extra = SearchEntry.objects.filter(item_id__in=exact_ids).values_list(
        "agency_id", "category_id", "kind", "validity")
    return [*rows, *((*values, 1) for values in extra)]


def _hits(ids: list[tuple[int, float]], exact: set[int], query: Query, english: bool
          ) -> list[Hit]:
    validity_labels = {c.key: in_page_language(c) for c in taxonomy.VALIDITIES}
    fields = ("pk", "index_no", "title", "title_en", "doc_no", "published_on", "summary",
              "body", "body_en", "agency__name", "agency__name_en", "policydocument__validity")
    # Read through public_items (the one rule) although only public items have entries.
    rows = {row["pk"]: row for row in public_items().filter(pk__in=[pk for pk, _ in ids])
            .values(*fields)}
    words = query.words()
    hits = []
    for pk, score in ids:
        row = rows.get(pk)
        if row is None:
            continue
        title = row["title_en"] if english and row["title_en"] else row["title"]
        summary = row["summary"] if not english else ""
        body = plain_text(row["body_en"] if english else row["body"])
        passage = summary if summary and highlight.has_match(summary, words) else body
        validity = row["policydocument__validity"] or ""
        hits.append(Hit(
            item_id=pk, index_no=row["index_no"], title=title,
            title_html=highlight.mark(title, words), doc_no=row["doc_no"],
            published_on=row["published_on"], score=score,
            url=f"/xxgk/item/{pk}/", validity=validity,
            validity_label=validity_labels.get(validity, ""),
            agency_name=(row["agency__name_en"] if english and row["agency__name_en"]
                         else row["agency__name"]),
            snippet=highlight.snippet(passage or summary, words), exact=pk in exact))
    return hits


def _run(request: SearchRequest, query: Query, filters: Filters, *, loosen: bool = True
         ) -> SearchPage:
    """The page for ``query``; when no document holds it whole, for ``query.loosened()``
    (unless not to ``loosen``)."""
    engine = backend()
    language = "en" if request.language == "en" else "zh"
    exact = _exact(query, filters, EXACT_LIMIT)
    ranked_filters = replace(filters, exclude_ids=tuple(exact))
    if not query.terms and not request.has_filters:
        return _page(request, query, exact, Matches(()), engine, language, ranked_filters)
    if request.has_filters:
        # Whether ranking is affordable depends on all the matches, which the engine ranks
        # before the filters are applied: counted apart.
        if engine.count_upto(query, language, Filters(), BROAD + 1) > BROAD:
            return _broad_page(request, query, exact, engine, language, ranked_filters,
                               engine.matches(query, language, ranked_filters,
                                              upto=COUNT_CAP))
        matches = engine.matches(query, language, ranked_filters)
    else:
        # Unfiltered, the matches read once (but for the few exact hits), no further than
        # the count a broad query shows, decide and are the facets and the page.
        matches = engine.matches(query, language, ranked_filters, upto=COUNT_CAP)
        if len(matches) > BROAD:
            return _broad_page(request, query, exact, engine, language, ranked_filters,
                               matches)
    if not matches and not exact and loosen and (looser := query.loosened()) is not None:
        return _run(request, looser, filters)
    return _page(request, query, exact, matches, engine, language, ranked_filters)


def _page(request: SearchRequest, query: Query, exact: list[int], matches: Matches,
          engine: Any, language: str, filters: Filters) -> SearchPage:
    rows = matches.facet_rows()
    page = SearchPage(request=request, total=len(matches) + len(exact),
                      relaxed=query.misses_words, query_words=query.words(),
                      facets=_facets(_add_exact_to_facets(rows, exact), request))
    return _fill(page, query, exact, len(matches), lambda offset, limit: engine.page(
        query, language, filters, sort=request.sort, offset=offset, limit=limit,
        within=matches))


def _broad_page(request: SearchRequest, query: Query, exact: list[int], engine: Any,
                language: str, filters: Filters, matches: Matches) -> SearchPage:
    """Newest first: from the matches read when they are all there (fewer than the count
    shown), else by walking the entries in date order."""
    page = SearchPage(request=request, total=len(matches) + len(exact),
                      relaxed=query.misses_words, query_words=query.words(), broad=True)
    if len(matches) < COUNT_CAP:
        return _fill(page, query, exact, len(matches), matches.newest)
    return _fill(page, query, exact, len(matches), lambda offset, limit: engine.newest(
        query, language, filters, offset=offset, limit=limit))


def _fill(page: SearchPage, query: Query, exact: list[int], matched: int,
          fetch: Callable[[int, int], list[tuple[int, float]]]) -> SearchPage:
    """The page's hits: the exactly named items first (on the first pages), then the
    engine's matches from ``fetch(offset, limit)``."""
    request = page.request
    offset = (request.page - 1) * request.limit
    if offset >= page.total:
        return page
    shown = [(pk, EXACT_SCORE) for pk in exact[offset:offset + request.limit]]
    room = request.limit - len(shown)
    if room > 0 and matched:
        shown += fetch(max(0, offset - len(exact)), room)
    page.hits = _hits(shown, set(exact), query, request.language == "en")
    return page


def _correction(request: SearchRequest) -> str | None:
    """What the typed query was likely meant to be (pinyin, a mistyped character), if
    anything else."""
    from .suggest import did_you_mean

    better = did_you_mean(request.q, language=request.language)
    return better if better and better != request.q else None


def _corrected(request: SearchRequest, page: SearchPage, better: str) -> SearchPage:
    page.corrected = better
    page.request = request
    return page


def _search(request: SearchRequest, *, whole: bool = True, loosened: bool = True
            ) -> SearchPage:
    """The page for ``request``: its words all held (``whole``), then, when no document
    holds them so, loosened (``loosened``: ``Query.loosened``)."""
    filters = _filters(request)
    if filters is None:
        return SearchPage(request=request)
    query: Query | None = parse(request.q, segmenter(), synonyms(), field=request.field)
    if query.is_empty and not request.has_filters:
        return SearchPage(request=request)
    if not whole:
        query = query.loosened()
        if query is None:
            return SearchPage(request=request)
    return _run(request, query, filters, loosen=loosened)


def search(request: SearchRequest) -> SearchPage:
    """The page of results for ``request``, corrected on its first page.

    A mistyped word is the usual reason why no document holds every word: before the
    query is loosened, its correction is searched, and shown instead when documents hold
    it whole (the loosened query, often a broad read of any of its words, is then never
    run). Otherwise the loosened page is shown with the correction offered, or, when
    nothing holds even some of the typed words, the correction loosened. A query found
    whole but in fewer than ``FEW_RESULTS`` documents is shown with the correction offered.
    """
    request = request.normalized()
    if not request.q or request.page != 1:
        return _search(request)
    page = _search(request, loosened=False)
    if page.total:
        if page.total < FEW_RESULTS:
            page.suggestion = _correction(request)
        return page
    better = _correction(request)
    if better is not None:
        corrected = _search(replace(request, q=better), loosened=False)
        if corrected.total:
            return _corrected(request, corrected, better)
    page = _search(request, whole=False)
    if page.total:
        page.suggestion = better
        return page
    if better is not None:
        corrected = _search(replace(request, q=better), whole=False)
        if corrected.total:
            return _corrected(request, corrected, better)
    return page


def request_language() -> str:
    """The language of the page being served, as a ``SearchRequest`` names it."""
    return "en" if get_language() == "en" else "zh-hans"
