"""The OGI office's staff pages for search: what people searched for and did not find, the
hot searches, the dictionary words and the synonym groups.

Thin: the OGI-office check from ``agencies.access`` (any other staff account is refused,
403), reads from ``querylog`` and ``suggest``, and every change through one function of
``actions.py``; a refused step (``StepError``) is shown on the field it names, with status
422. Every page says how the rebuild of the index after a dictionary change is doing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xxgk.agencies import access
from xxgk.core.steps import StepError
from xxgk.workbench.access import require_staff

from . import actions, querylog, suggest, vocabulary
from . import forms_staff as sf
from .models import DictionaryWord, HiddenQuery, SynonymGroup
from .text import fold

# The public search page (the portal's), where each listed query is tried as people do.
PUBLIC_SEARCH = "/search/"
QUERY_DAYS = 30
QUERY_LIMIT = 100
HOT_LIMIT = 20
PAGE_SIZE = 100


def _require_ogi(request: HttpRequest) -> None:
    require_staff(request)
    if not access.is_ogi_office(request.user):
        raise PermissionDenied


def _refused(form: Any, error: StepError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _status(request: HttpRequest, form: Any) -> int:
    """422 for a refused submission, so that tools (and tests) can tell it from success."""
    return 422 if request.method == "POST" and form.is_bound and form.errors else 200


def _page(request: HttpRequest, rows: QuerySet[Any]) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode()}


def _filtered(request: HttpRequest, rows: QuerySet[Any], field: str) -> tuple[Any, QuerySet[Any]]:
    filters = sf.FindForm(request.GET or None)
    if filters.is_valid() and (holding := fold(filters.cleaned_data["q"].strip())):
        rows = rows.filter(**{f"{field}__contains": holding})
    return filters, rows


def _render(request: HttpRequest, template: str, current: str, context: dict[str, Any],
            status: int = 200) -> HttpResponse:
    return render(request, f"search/staff/{template}", {
        **context, "current": current, "reindex": actions.reindex_job(),
    }, status=status)


def _one_button(request: HttpRequest, step: Callable[[], Any],
                success: Callable[[Any], str], back_to: str) -> HttpResponse:
    """A step a button takes: its refusal or ``success(result)`` as a message, then back."""
    try:
        done = step()
    except StepError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success(done))
    return redirect(back_to)


def public_search_url(query: str) -> str:
    return f"{PUBLIC_SEARCH}?{urlencode({'q': query})}"


# ---- What people search for ----------------------------------------------------------------

@login_required
def queries(request: HttpRequest) -> HttpResponse:
    """The queries of the last 30 days that found nothing (the office adds a word or a
    synonym, or publishes what people look for) and the hot searches."""
    _require_ogi(request)
    missing = [{"query": query, "count": count, "last_day": last_day,
                "url": public_search_url(query)}
               for query, count, last_day in querylog.zero_result_queries(
                   days=QUERY_DAYS, limit=QUERY_LIMIT)]
    hot = [(language, label, [(query, public_search_url(query)) for query in
                              suggest.hot_searches(language=language, limit=HOT_LIMIT,
                                                   days=QUERY_DAYS)])
           for language, label in (("zh-hans", _("Chinese pages")),
                                   ("en", _("English pages")))]
    return _render(request, "queries.html", "queries", {
        "missing": missing, "hot": hot, "days": QUERY_DAYS, "popular": querylog.POPULAR,
        "popular_clients": querylog.POPULAR_CLIENTS,
        "hidden": HiddenQuery.objects.select_related("hidden_by").order_by("query")})


@login_required
@require_POST
def query_hide(request: HttpRequest) -> HttpResponse:
    _require_ogi(request)
    return _one_button(
        request, lambda: actions.hide_query(str(request.POST.get("query", "")),
                                            actor=request.user, request=request),
        lambda hidden: _("%(query)s is no longer offered as a hot search or a suggestion.")
        % {"query": hidden.query}, "search_staff:queries")


@login_required
@require_POST
def query_show(request: HttpRequest, pk: int) -> HttpResponse:
    _require_ogi(request)
    hidden = get_object_or_404(HiddenQuery, pk=pk)
    return _one_button(
        request, lambda: actions.show_query(hidden, actor=request.user, request=request),
        lambda _done: _("%(query)s may be a hot search again.") % {"query": hidden.query},
        "search_staff:queries")


# ---- Dictionary words ------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def dictionary(request: HttpRequest) -> HttpResponse:
    _require_ogi(request)
    form = sf.WordForm(request.POST or None, initial={"word": request.GET.get("word", "")})
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.add_word(form.cleaned_data["word"], actor=request.user,
                                   request=request)
        except StepError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(word)s has been added; the index is rebuilt on "
                                        "the worker.") % {"word": row.word})
            return redirect("search_staff:dictionary")
    filters, words = _filtered(request, DictionaryWord.objects.select_related("added_by"),
                               "word")
    return _render(request, "dictionary.html", "dictionary", {
        "form": form, "filters": filters, **_page(request, words),
        "shipped": vocabulary.shipped_words(),
    }, status=_status(request, form))


@login_required
@require_POST
def word_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_ogi(request)
    word = get_object_or_404(DictionaryWord, pk=pk)
    return _one_button(
        request, lambda: actions.remove_word(word, actor=request.user, request=request),
        lambda _done: _("%(word)s has been removed; the index is rebuilt on the worker.")
        % {"word": word.word}, "search_staff:dictionary")


# ---- Synonym groups --------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def synonyms(request: HttpRequest) -> HttpResponse:
    _require_ogi(request)
    form = sf.SynonymForm(request.POST or None,
                          initial={"terms": request.GET.get("terms", "")})
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.add_synonyms(form.cleaned_data["terms"], actor=request.user,
                                         request=request)
        except StepError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The group %(terms)s has been added.")
                             % {"terms": group.terms})
            return redirect("search_staff:synonyms")
    filters, groups = _filtered(request, SynonymGroup.objects.select_related("changed_by"),
                                "terms")
    return _render(request, "synonyms.html", "synonyms", {
        "form": form, "filters": filters, **_page(request, groups),
    }, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def synonym(request: HttpRequest, pk: int) -> HttpResponse:
    _require_ogi(request)
    group = get_object_or_404(SynonymGroup.objects.select_related("changed_by"), pk=pk)
    form = sf.EditSynonymForm(request.POST or None, initial={"terms": group.terms})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_synonyms(group, form.cleaned_data["terms"], actor=request.user,
                                    request=request)
        except StepError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The group has been saved."))
            return redirect("search_staff:synonyms")
    return _render(request, "synonym.html", "synonyms", {"group": group, "form": form},
                   status=_status(request, form))


@login_required
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_ogi(request)
    group = get_object_or_404(SynonymGroup, pk=pk)
    return _one_button(
        request, lambda: actions.delete_synonyms(group, actor=request.user, request=request),
        lambda _done: _("The group %(terms)s has been deleted.") % {"terms": group.terms},
        "search_staff:synonyms")
