"""The search page's form: GET parameters as typed, every bad value the default.

A search page never answers a typed address with an error: an unknown sort is relevance,
a page number that is not one is page 1, a date that is not one is no date. Unknown filter
values are kept (they give an empty page, which is what they ask for).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_CHARACTERS
from .service import SearchRequest

FIELD_CHOICES = [("all", _("Full text")), ("title", _("Title")), ("doc_no", _("Document number")),
                 ("body", _("Text only"))]
SORT_CHOICES = [("relevance", _("Most relevant first")), ("date", _("Newest first"))]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _page(value: Any) -> int:
    try:
        return max(1, min(int(str(value)[:12]), 10**9))
    except ValueError:
        return 1


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False,
                        max_length=MAX_QUERY_CHARACTERS * 50,
                        widget=forms.TextInput(attrs={
                            "type": "search", "autocomplete": "off",
                            "data-suggest": "/search/suggest"}))
    field = forms.ChoiceField(label=_("Search in"), choices=FIELD_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)
    since = forms.DateField(label=_("Published from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("to"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


def request_from(data: Any, language: str) -> SearchRequest:
    """The ``SearchRequest`` the GET parameters ask for (never an error)."""
    def text(name: str, limit: int = 40) -> str:
        return str(data.get(name, "") or "")[:limit]

    field = text("field")
    sort = text("sort")
    return SearchRequest(
        q=text("q", MAX_QUERY_CHARACTERS * 50), agency=text("agency"),
        category=text("category"), kind=text("kind"), validity=text("validity"),
        field=field if field in dict(FIELD_CHOICES) else "all",
        sort=sort if sort in dict(SORT_CHOICES) else "relevance",
        since=_date(data.get("since")), until=_date(data.get("until")),
        page=_page(data.get("page", 1)), language=language)
