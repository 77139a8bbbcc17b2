"""What the public pages may read: public items only, in the columns a page needs.

``InfoItem.is_public`` (published and proactive) is the one rule; ``public_items`` is the
same two columns as a queryset, so that no public page can show a draft, a withheld or a
withdrawn item by forgetting a filter. Every portal view starts from these querysets.
"""

from __future__ import annotations

from django.db.models import QuerySet

from xxgk.catalog.models import InfoItem, ItemState, PolicyDocument

# What a listing entry shows: never the body (up to 500,000 characters) in a list.
LIST_FIELDS = ("pk", "title", "title_en", "doc_no", "index_no", "published_on", "agency_id",
               "category_id", "agency__name", "agency__name_en")


def public_items() -> QuerySet[InfoItem]:
    """Every public item (of any kind), unordered."""
    return InfoItem.objects.filter(state=ItemState.PUBLISHED, attribute="proactive")


def listing(queryset: QuerySet[InfoItem]) -> QuerySet[InfoItem]:
    """``queryset`` with only what a listing entry shows (agency names joined)."""
    return queryset.select_related("agency").only(*LIST_FIELDS)


def public_policies() -> QuerySet[PolicyDocument]:
    """Every public policy document."""
    return PolicyDocument.objects.filter(state=ItemState.PUBLISHED, attribute="proactive")
