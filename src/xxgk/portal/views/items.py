"""An item's public page and its attachments. Only public items (``is_public``); anything
else is a 404, never a 403, so that a page does not reveal that a withheld, draft or
withdrawn item exists."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from xxgk import taxonomy
from xxgk.catalog import policies
from xxgk.catalog.models import Attachment, InfoItem, ItemState
from xxgk.core.labels import in_page_language
from xxgk.portal import site
from xxgk.portal.cache import cached_public_page
from xxgk.portal.queries import listing, public_items
from xxgk.search.related import related_items
from xxgk.search.service import request_language

_VALIDITIES = {c.key: c for c in taxonomy.VALIDITIES}
_KINDS = {c.key: c for c in taxonomy.POLICY_KINDS}
# A document in one of these is no longer (or no longer only) what it says: the page says
# so at the top and links what replaced or amended it.
_NOTICE_VALIDITIES = ("expired", "repealed", "amended")


def _child(item: InfoItem, name: str):
    try:
        return getattr(item, name)
    except ObjectDoesNotExist:
        return None


def _public(item: InfoItem | None) -> InfoItem | None:
    return item if item is not None and item.is_public else None


@require_safe
@cached_public_page
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        public_items().select_related("agency", "category", "policydocument",
                                      "interpretation__policy__agency"), pk=pk)
    policy = _child(found, "policydocument")
    interpretation = _child(found, "interpretation")
    english = get_language() == "en"
    title = found.title_en if english and found.title_en else found.title
    body = found.body_en if english and found.body_en else found.body
    context = {
        "item": found, "policy": policy, "title": title,
        "title_chinese": english and not found.title_en,
        # Sanitised when written (catalog.sanitize.clean_html), never stored as typed.
        "body": mark_safe(body),  # noqa: S308
        "body_chinese": english and bool(found.body) and not found.body_en,
        "attachments": list(found.attachments.defer("content")),
        "channels": _channels(found),
        "column": site.COLUMN_CATALOGUE,
        "article": site.Article(title=title, published=found.published_on.isoformat(),
                                source=_localized_name(found.agency)),
        "related": related_items(found, language=request_language()),
    }
    if interpretation is not None:
        context["interpreted_policy"] = _public(interpretation.policy)
    if policy is not None:
        context.update(_policy_context(policy))
    return render(request, "portal/item.html", context)


def _channels(item: InfoItem) -> list[str]:
    """Where else the item went out, in the order the report lists the channels."""
    have = set(item.channels.values_list("channel", flat=True))
    return [in_page_language(c) for c in taxonomy.CHANNELS if c.key in have]


def _localized_name(agency) -> str:
    return agency.name_en if get_language() == "en" and agency.name_en else agency.name


def _policy_context(policy) -> dict:
    history = policies.validity_history(policy)
    context = {
        "kind_label": in_page_language(_KINDS[policy.kind]) if policy.kind in _KINDS else "",
        "validity_label": in_page_language(_VALIDITIES[policy.validity]),
        "validity_history": [(change, in_page_language(_VALIDITIES[change.validity]),
                              _public(change.by_document)) for change in history],
        "links": policies.links(policy),
        "interpretations": list(listing(public_items().filter(
            interpretation__policy_id=policy.pk)).order_by("-published_on", "-pk")),
        "column": site.COLUMN_POLICIES,
    }
    if policy.validity in _NOTICE_VALIDITIES:
        context["notice"] = policy.validity
        context["successor"] = policies.successor(policy)
    return context


@require_safe
def attachment(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A file of a public item, as a download under its own name."""
    found = get_object_or_404(Attachment, pk=file_id, item_id=pk,
                              item__state=ItemState.PUBLISHED, item__attribute="proactive")
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.name)
    response["Content-Length"] = str(found.size)
    return response
