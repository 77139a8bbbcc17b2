"""The public search page and the suggestions the search box asks for.

Thin: the form reads the parameters, ``service.search`` answers, the template shows. A
page of results is served from the public page cache (``portal.cache``) until the
catalogue, the index or the vocabulary changes; popular queries are asked again and again,
and a stored page costs a fraction of a search. Every search is counted all the same, cached
or not, for the hot searches and the OGI office's list of queries that found nothing: the
page carries its number of results in ``X-Total-Count`` for that. The page without a query
shows today's hot searches, so it is never stored. A synonym or a dictionary word moves
the generation on (``search/migrations/0004_public_generation.py``), and a page is built
with the vocabulary as it is when the page is rendered.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from xxgk.agencies.audit import client_address
from xxgk.core.steps import TooManyRequestsError
from xxgk.portal.cache import cached_public_page

from . import querylog, throttle, vocabulary
from .forms import SearchForm, request_from
from .service import SearchPage, SearchRequest, request_language, search
from .suggest import hot_searches, suggest

FACETS = ("agency", "category", "kind", "validity")
PAGER_SPAN = 4


def _link(params: dict[str, str], **changes: object) -> str:
    merged = {**params, **{k: str(v) for k, v in changes.items()}}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", "None")})


def _pages(page: SearchPage, params: dict[str, str]) -> list[tuple[int, str, bool]]:
    current, last = page.request.page, page.pages
    numbers = sorted({1, last, *range(max(1, current - PAGER_SPAN),
                                      min(last, current + PAGER_SPAN) + 1)})
    return [(n, _link(params, page=n), n == current) for n in numbers if n >= 1]


TOTAL_HEADER = "X-Total-Count"


def _too_many(response: HttpResponse, refused: TooManyRequestsError) -> HttpResponse:
    response["Retry-After"] = refused.retry_after
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    try:
        throttle.check(request)
    except TooManyRequestsError as refused:
        return _too_many(render(request, "search/too_many.html", {"message": refused.message},
                                status=429), refused)
    wanted = request_from(request.GET, request_language()).normalized()
    response = _results_page(request, wanted)
    if wanted.q and wanted.page == 1 and TOTAL_HEADER in response:
        querylog.record(wanted.q, int(response[TOTAL_HEADER]), language=wanted.language,
                        client=client_address(request) or "")
    return response


@cached_public_page
def _results_page(request: HttpRequest, wanted: SearchRequest) -> HttpResponse:
    # The page may be stored until the generation moves: the synonyms and the dictionary
    # it is built with are read now, not up to RECHECK_SECONDS ago.
    vocabulary.recheck()
    result = search(wanted)
    params = {name: str(request.GET.get(name, ""))[:200]
              for name in ("q", "field", "sort", "since", "until", *FACETS)}
    facets = [(name, [(facet, _link(params, **{name: "" if facet.selected else facet.key},
                                    page=""))
                      for facet in result.facets.get(name, [])])
              for name in FACETS if result.facets.get(name)]
    response = render(request, "search/search.html", {
        "form": SearchForm(initial={"q": wanted.q, "field": wanted.field,
                                    "sort": wanted.sort, "since": wanted.since,
                                    "until": wanted.until}),
        "result": result, "facets": facets, "params": params,
        "filters": [(name, params[name], _link(params, **{name: ""}, page=""))
                    for name in FACETS if params[name]],
        "pages": _pages(result, params) if result.pages > 1 else [],
        "previous": _link(params, page=wanted.page - 1) if wanted.page > 1 else "",
        "next": _link(params, page=wanted.page + 1) if result.has_next else "",
        "corrected_link": _link(params, q=result.corrected or "", page=""),
        "suggestion_link": _link(params, q=result.suggestion or "", page=""),
        "hot": hot_searches(language=wanted.language) if not wanted.q else [],
        "first_number": (wanted.page - 1) * result.request.limit + 1,
    })
    if wanted.q:
        response[TOTAL_HEADER] = str(result.total)
    else:
        patch_cache_control(response, no_cache=True)
    return response


@require_safe
def suggestions(request: HttpRequest) -> JsonResponse:
    """``{"suggestions": [{"text", "kind", "url"}]}`` for what has been typed; over the
    address's budget, a 429 ``{"detail": reason}`` as the API gives."""
    try:
        throttle.check(request)
    except TooManyRequestsError as refused:
        return _too_many(JsonResponse({"detail": refused.message}, status=429), refused)
    typed = str(request.GET.get("q", ""))[:100]
    found = suggest(typed, language=request_language(), limit=8) if typed.strip() else []
    return JsonResponse({"suggestions": [{"text": s.text, "kind": s.kind, "url": s.url}
                                         for s in found]})
