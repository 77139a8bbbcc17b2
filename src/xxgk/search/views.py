"""The public search page and the suggestions the search box asks for.

Thin: the form reads the parameters, ``service.search`` answers, the template shows. Not
served from the page cache: every search is counted for hot searches and the OGI office's
list of queries that found nothing, and a search costs a few milliseconds.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import SearchForm, request_from
from .service import SearchPage, request_language, search
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


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    language = request_language()
    wanted = request_from(request.GET, language)
    result = search(wanted, record=True)
    params = {name: str(request.GET.get(name, ""))[:200]
              for name in ("q", "field", "sort", "since", "until", *FACETS)}
    facets = [(name, [(facet, _link(params, **{name: "" if facet.selected else facet.key},
                                    page=""))
                      for facet in result.facets.get(name, [])])
              for name in FACETS if result.facets.get(name)]
    return render(request, "search/search.html", {
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
        "hot": hot_searches(language=language) if not wanted.q else [],
        "first_number": (wanted.page - 1) * result.request.limit + 1,
    })


@require_safe
def suggestions(request: HttpRequest) -> JsonResponse:
    """``{"suggestions": [{"text", "kind", "url"}]}`` for what has been typed."""
    typed = str(request.GET.get("q", ""))[:100]
    found = suggest(typed, language=request_language(), limit=8) if typed.strip() else []
    return JsonResponse({"suggestions": [{"text": s.text, "kind": s.kind, "url": s.url}
                                         for s in found]})
