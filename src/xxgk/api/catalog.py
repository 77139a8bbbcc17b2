"""The read-only catalogue and annual-report endpoints: published items, policy documents,
the catalogue tree with its counts, and the published annual reports.

Public, GET only, no account. They answer with exactly what the public pages show: items
that are ``InfoItem.is_public`` (the portal's ``queries.public_items``: published and
proactive), reports that have been published. Anything else is a 404, as on the pages, so
an answer never reveals that a withheld, draft or withdrawn item exists.

Lists are newest first and keyset-paged like the portal's listings (``portal.paging``):
``next`` is the key of the last entry (``2025-03-10_1234``), and the next page starts at
that key in the index, so page 50,000 costs what page 1 does. Items are ordered by
publication date, policy documents by issue date, as the policy library orders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError, ValidationError

from xxgk.agencies.models import Agency
from xxgk.catalog import policies
from xxgk.catalog.models import (
    Attachment,
    InfoItem,
    Interpretation,
    ItemState,
    PolicyDocument,
    ValidityChange,
)
from xxgk.portal import catalogue, paging
from xxgk.portal.queries import public_items, public_policies
from xxgk.reports.files import PUBLIC_FORMATS
from xxgk.reports.models import AnnualReport

from . import present
from .catalog_schemas import (
    CatalogFilter,
    CategoryNode,
    ItemDetailOut,
    ItemPage,
    PolicyFilter,
    PolicyPage,
    ReportFilter,
    ReportOut,
)
from .schemas import INVALID, ErrorOut

public = Router()
reports = Router()

ITEM_ID_MAX = 2**63 - 1  # the largest primary key either database stores
# What a list entry reads: never a body (up to 500,000 characters) in a list.
_LIST_FIELDS = ("pk", "index_no", "title", "title_en", "doc_no", "summary", "formed_on",
                "published_on", "changed_at", "agency__code", "agency__name",
                "agency__name_en", "category__code", "category__name", "category__name_en")
_ITEM_REF_FIELDS = ("pk", "title", "title_en", "doc_no", "published_on")
_REF_FIELDS = (*_ITEM_REF_FIELDS, "issued_on")


def _field_error(field: str, message: str) -> ValidationError:
    """A 422 in ninja's own format, for a parameter only the database can judge."""
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# ---- Filters and paging ----------------------------------------------------------------


def _filtered(queryset: QuerySet, filters: CatalogFilter, *, policy_prefix: str,
              year_field: str) -> QuerySet:
    """``queryset`` narrowed by ``filters``; a well-formed code that names nothing is a
    422 (a typo in a client should not look like an empty catalogue)."""
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).only("pk").first()
        if agency is None:
            raise _field_error("agency", _("No agency has that code."))
        queryset = queryset.filter(agency_id=agency.pk)
    if filters.category:
        node = catalogue.tree(counted=False).by_code.get(filters.category)
        if node is None:
            raise _field_error("category", _("No catalogue category has that code."))
        queryset = queryset.filter(category_id__in=catalogue.descendants(node))
    if filters.kind:
        queryset = queryset.filter(**{f"{policy_prefix}kind": filters.kind})
    if filters.validity:
        queryset = queryset.filter(**{f"{policy_prefix}validity": filters.validity})
    if filters.year:
        queryset = queryset.filter(**{f"{year_field}__range": (
            dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31))})
    return queryset


def _page(queryset: QuerySet, filters: CatalogFilter, field: str) -> tuple[list[Any], str | None]:
    """One page newest first by ``(field, pk)`` after ``filters.cursor``, and the next
    cursor. The condition has the portal's shape (``paging``): an index range on the date,
    then the few rows of the cursor's own day."""
    if filters.cursor:
        try:
            cursor = paging.parse_cursor(filters.cursor)
        except Http404:
            raise _field_error("cursor", _("This is not a cursor this API gave.")) from None
        queryset = queryset.filter(Q(**{f"{field}__lte": cursor.day})
                                   & (Q(**{f"{field}__lt": cursor.day}) | Q(pk__lt=cursor.pk)))
    rows = list(queryset.order_by(f"-{field}", "-pk")[: filters.limit + 1])
    entries = rows[: filters.limit]
    more = len(rows) > filters.limit
    next_cursor = (str(paging.Cursor(getattr(entries[-1], field), entries[-1].pk))
                   if more else None)
    return entries, next_cursor


# ---- Presenting ------------------------------------------------------------------------


def _category(item: InfoItem) -> dict[str, str] | None:
    if item.category_id is None:
        return None
    return {"code": item.category.code, "name": item.category.name,
            "name_en": item.category.name_en}


def _item(request: HttpRequest, item: InfoItem, policy: PolicyDocument | None,
          item_type: str) -> dict[str, Any]:
    return {
        "id": item.pk, "type": item_type, "index_no": item.index_no, "title": item.title,
        "title_en": item.title_en, "doc_no": item.doc_no, "summary": item.summary,
        "agency": present.agency(item.agency), "category": _category(item),
        "formed_on": item.formed_on, "published_on": item.published_on,
        "changed_at": item.changed_at,
        "url": _absolute(request, reverse("portal:item", args=[item.pk])),
        "policy": None if policy is None else {
            "kind": policy.kind, "issued_on": policy.issued_on, "validity": policy.validity},
    }


def _ref(request: HttpRequest, item: InfoItem) -> dict[str, Any]:
    return {"id": item.pk, "title": item.title, "title_en": item.title_en,
            "doc_no": item.doc_no, "published_on": item.published_on,
            "url": _absolute(request, reverse("portal:item", args=[item.pk]))}


def _refs(request: HttpRequest, items: Iterable[InfoItem]) -> list[dict[str, Any]]:
    return [_ref(request, item) for item in items]


def _links(request: HttpRequest, links: policies.PolicyLinks) -> dict[str, Any]:
    return {"amends": _refs(request, links.amends), "repeals": _refs(request, links.repeals),
            "amended_by": _refs(request, links.amended_by),
            "repealed_by": _refs(request, links.repealed_by)}


# ---- Items -----------------------------------------------------------------------------


@public.get("/items", response={200: ItemPage, **INVALID},
            summary="Published items, newest first")
def items(request: HttpRequest, filters: Query[CatalogFilter]) -> dict[str, Any]:
    """Public items of every kind (policy documents and interpretations are items too),
    newest published first. `kind` and `validity` keep policy documents only."""
    queryset = _filtered(public_items(), filters, policy_prefix="policydocument__",
                         year_field="published_on")
    queryset = (queryset.select_related("agency", "category").only(*_LIST_FIELDS)
                .annotate(p_kind=F("policydocument__kind"),
                          p_issued_on=F("policydocument__issued_on"),
                          p_validity=F("policydocument__validity"),
                          p_interprets=F("interpretation__policy_id")))
    entries, next_cursor = _page(queryset, filters, "published_on")
    out = []
    for item in entries:
        policy = None
        if item.p_kind is not None:
            policy = PolicyDocument(kind=item.p_kind, issued_on=item.p_issued_on,
                                    validity=item.p_validity)
        item_type = ("policy_document" if policy is not None
                     else "interpretation" if item.p_interprets is not None else "item")
        out.append(_item(request, item, policy, item_type))
    return {"items": out, "next": next_cursor}


def _child(item: InfoItem, name: str) -> Any:
    try:
        return getattr(item, name)
    except ObjectDoesNotExist:
        return None


@public.get("/items/{item_id}", response={200: ItemDetailOut, 404: ErrorOut, **INVALID},
            summary="One published item")
def item(request: HttpRequest,
         item_id: int = Path(..., ge=1, le=ITEM_ID_MAX)) -> dict[str, Any]:
    """A public item with its text, attachments, channels and, for a policy document, its
    validity history, links, successor and interpretations (or, for an interpretation, its
    policy). Anything not public is a 404."""
    found = (public_items().select_related("agency", "category", "policydocument",
                                           "interpretation__policy")
             .filter(pk=item_id).first())
    if found is None:
        raise HttpError(404, _("No published item has that number."))
    policy: PolicyDocument | None = _child(found, "policydocument")
    interpretation: Interpretation | None = _child(found, "interpretation")
    item_type = ("policy_document" if policy is not None
                 else "interpretation" if interpretation is not None else "item")
    out = _item(request, found, policy, item_type)
    out.update({
        "topic_words": found.topic_words, "key_area": found.key_area, "body": found.body,
        "body_en": found.body_en,
        "attachments": [{"id": a.pk, "name": a.name, "content_type": a.content_type,
                         "size": a.size,
                         "url": _absolute(request, reverse("portal:attachment",
                                                           args=[found.pk, a.pk]))}
                        for a in Attachment.objects.filter(item=found)
                        .only("name", "content_type", "size", "position")],
        "channels": list(found.channels.values_list("channel", flat=True)),
        "policy_detail": None, "interprets": None,
    })
    if policy is not None:
        history = policies.validity_history(policy)
        successor = policies.successor(policy)
        out["policy_detail"] = {
            "successor": None if successor is None else _ref(request, successor),
            "links": _links(request, policies.links(policy)),
            "history": [{"changed_on": change.changed_on, "validity": change.validity,
                         "note": change.note,
                         "by_document": (_ref(request, change.by_document)
                                         if change.by_document is not None
                                         and change.by_document.is_public else None)}
                        for change in history],
            "interpretations": _refs(request, public_items()
                                     .filter(interpretation__policy=policy)
                                     .only(*_ITEM_REF_FIELDS)
                                     .order_by("published_on", "pk")),
        }
    if interpretation is not None and interpretation.policy.is_public:
        out["interprets"] = _ref(request, interpretation.policy)
    return out


# ---- Policy documents ------------------------------------------------------------------


def _links_of(documents: list[PolicyDocument]
              ) -> tuple[dict[int, policies.PolicyLinks], dict[int, PolicyDocument]]:
    """``policies.links`` and ``policies.successor`` for a page of documents in two
    queries instead of three per document, from the same ``ValidityChange.by_document``
    rows by the same rules (a test compares the two for every document)."""
    ids = {d.pk for d in documents}
    published = ItemState.PUBLISHED
    ref_fields = [f"{side}__{name}" for side in ("document", "by_document")
                  for name in (*_REF_FIELDS[1:], "state")]  # the pk always comes
    rows = list(ValidityChange.objects
                .filter(Q(by_document_id__in=ids, document__state=published)
                        | Q(document_id__in=ids, by_document__state=published))
                .select_related("document", "by_document")
                .only("validity", "document_id", "by_document_id", *ref_fields))
    made: dict[int, list[ValidityChange]] = {}
    received: dict[int, list[ValidityChange]] = {}
    for row in rows:
        if row.by_document_id in ids and row.document.state == published:
            made.setdefault(row.by_document_id, []).append(row)
        if (row.document_id in ids and row.by_document_id is not None
                and row.by_document.state == published):
            received.setdefault(row.document_id, []).append(row)

    def unique(found: Iterable[PolicyDocument]) -> list[PolicyDocument]:
        seen: dict[int, PolicyDocument] = {}
        for document in found:
            seen.setdefault(document.pk, document)
        return sorted(seen.values(), key=lambda d: (d.issued_on, d.pk))

    links, successors = {}, {}
    for pk in ids:
        mine, theirs = made.get(pk, []), received.get(pk, [])
        links[pk] = policies.PolicyLinks(
            amends=unique(c.document for c in mine if c.validity == "amended"),
            repeals=unique(c.document for c in mine if c.validity in policies.ENDED),
            amended_by=unique(c.by_document for c in theirs if c.validity == "amended"),
            repealed_by=unique(c.by_document for c in theirs if c.validity in policies.ENDED))
        candidates = [c.by_document for c in theirs
                      if c.validity != "in_force" and c.by_document_id != pk]
        if candidates:
            successors[pk] = max(candidates,
                                 key=lambda d: (d.issued_on, d.published_on, d.pk))
    return links, successors


@public.get("/policies", response={200: PolicyPage, **INVALID},
            summary="Policy documents, newest issued first")
def policy_documents(request: HttpRequest, filters: Query[PolicyFilter]) -> dict[str, Any]:
    """The policy library: published policy documents with their validity today, their
    links to the documents they amend or repeal and that amend or repeal them, and the
    successor of one no longer in force as issued. `year` is the year issued."""
    queryset = _filtered(public_policies(), filters, policy_prefix="", year_field="issued_on")
    queryset = (queryset.select_related("agency", "category")
                .only(*_LIST_FIELDS, "kind", "issued_on", "validity"))
    entries, next_cursor = _page(queryset, filters, "issued_on")
    links, successors = _links_of(entries)
    interpreted = dict(public_items().filter(interpretation__policy__in=entries).order_by()
                       .values_list("interpretation__policy").annotate(n=Count("pk")))
    out = []
    for document in entries:
        entry = _item(request, document, document, "policy_document")
        successor = successors.get(document.pk)
        entry.update({"successor": None if successor is None else _ref(request, successor),
                      "links": _links(request, links[document.pk]),
                      "interpretations": interpreted.get(document.pk, 0)})
        out.append(entry)
    return {"items": out, "next": next_cursor}


# ---- The catalogue tree ----------------------------------------------------------------


def _node(node: catalogue.Node) -> dict[str, Any]:
    category = node.category
    return {"code": category.code, "branch": category.branch, "name": category.name,
            "name_en": category.name_en, "article": category.article, "count": node.count,
            "children": [_node(child) for child in node.children]}


@public.get("/categories", response=list[CategoryNode], summary="The catalogue tree")
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    """The catalogue tree (目录) by branch, each category with its count of public items
    (its own and those below it), as the 法定主动公开内容 page shows it: categories in use,
    and retired ones only while they hold items."""
    tree = catalogue.tree()
    return [_node(node) for branch in tree.branches for node in branch.nodes]


# ---- Annual reports --------------------------------------------------------------------


@reports.get("", response={200: list[ReportOut], **INVALID},
             summary="Published annual reports")
def annual_reports(request: HttpRequest, filters: Query[ReportFilter]) -> list[dict[str, Any]]:
    """Every published annual report (the frozen text the public reads), newest year
    first, with its page and its downloads. There is one per agency and year, so the list
    is not paged."""
    queryset = AnnualReport.objects.filter(snapshot__isnull=False)
    if filters.agency:
        queryset = queryset.filter(agency__code=filters.agency)
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    rows = (queryset.select_related("agency").order_by("-year", "agency__path")
            .only("year", "published_at", "agency__code", "agency__name", "agency__name_en"))
    out = []
    for report in rows:
        code, year = report.agency.code, report.year
        out.append({
            "agency": present.agency(report.agency), "year": year,
            "published_on": (timezone.localdate(report.published_at)
                             if report.published_at else None),
            "url": _absolute(request, reverse("annual_reports:detail", args=[code, year])),
            "downloads": [{"format": fmt, "url": _absolute(request, reverse(
                "annual_reports:download", args=[code, year, fmt]))} for fmt in PUBLIC_FORMATS],
        })
    return out
