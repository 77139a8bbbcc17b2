"""``GET /api/search``: the public search as JSON, the same function and the same objects
as the search page and ``xxgk search --json`` (``search.service``).

Malformed parameters (a date that is not one, a limit out of range, a code with characters
no code has) are a 422 naming the parameter; a well-formed filter that names nothing gives
an empty result, as on the page: a search is never an error. Too many searches from one
address in a minute are a 429 (``search.throttle``, the page's budget).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xxgk.applications.step_bodies import IsoDate
from xxgk.search import throttle
from xxgk.search.query import MAX_QUERY_CHARACTERS
from xxgk.search.service import MAX_LIMIT, SearchRequest, search

from .catalog_schemas import AGENCY_CODE, CATEGORY_CODE, PolicyKind, Validity
from .schemas import INVALID, ErrorOut

public = Router()


class SearchFilter(Schema):
    q: str = Field("", max_length=MAX_QUERY_CHARACTERS * 50, description="what to search for")
    agency: str | None = Field(None, pattern=AGENCY_CODE,
                               description="an agency code: it and the agencies below it")
    category: str | None = Field(None, pattern=CATEGORY_CODE, description="a category code")
    kind: PolicyKind | None = Field(None, description="policy documents of this kind")
    validity: Validity | None = Field(None, description="policy documents of this validity")
    field: Literal["all", "title", "body", "doc_no"] = "all"
    since: IsoDate | None = Field(None, description="published on or after")
    until: IsoDate | None = Field(None, description="published on or before")
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(1, ge=1, le=10**9)
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    language: Literal["zh-hans", "en"] = "zh-hans"


class HitOut(Schema):
    index_no: str
    title: str
    doc_no: str
    published_on: dt.date
    score: float
    url: str
    agency: str
    validity: str | None
    exact: bool


class FacetOut(Schema):
    key: str
    label: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    corrected: str | None
    suggestion: str | None
    relaxed: bool
    broad: bool
    more: bool
    results: list[HitOut]
    facets: dict[str, list[FacetOut]]


@public.get("", response={200: SearchOut, 429: ErrorOut, **INVALID},
            summary="Search the public catalogue and policy library")
def search_items(request: HttpRequest, filters: Query[SearchFilter]) -> dict[str, Any]:
    """Ranked results (title > 文号 > summary > body; documents in force first), with
    facet counts. A 文号 in any brackets, an 索引号 or a whole title finds its item first.
    Searches count against the address's budget per minute, with the search page's (429)."""
    throttle.check(request)
    page = search(SearchRequest(
        q=filters.q, agency=filters.agency or "", category=filters.category or "",
        kind=filters.kind or "", validity=filters.validity or "", field=filters.field,
        since=filters.since, until=filters.until, sort=filters.sort, page=filters.page,
        limit=filters.limit, language=filters.language))
    answer = page.as_json()
    for hit in answer["results"]:
        hit["url"] = request.build_absolute_uri(hit["url"])
    return answer
