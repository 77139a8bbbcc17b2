"""What the catalogue counts for the annual report and the scorecards, per agency and year.

Each function is a handful of aggregate queries grouped by agency, whatever the number of
agencies; ``item_counts`` finds its rows through the index ``catalog_item_counts``.
Only agencies that keep their catalogue in xxgk are counted (``in_use``): an agency that
has never published an item here keeps its entered figures, and its zero would be a guess.

Only what was published *in xxgk* counts (``Origin.XXGK``). Imported history
(``Origin.IMPORTED``) was published elsewhere, on its own dates, and the reports of those
years counted it there: it is shown and searched, never counted again, and an agency
whose catalogue holds only imported history is not in use.

A withdrawn item counts in the year it was published, like any other: it was published
(and the figures of a year must not change when an item is taken down later). Only a
policy document's being in force at a year's end looks at withdrawal: a document
withdrawn by that day no longer stood in the catalogue.

Definitions, for a year Y:

- items published: proactive items published in Y (policy documents and interpretations
  included, as they are items too); key-area items those marked 重点领域; on time those
  published on or before their Art. 26 deadline (``publish_by``). The catalogue is the
  portal, so the portal's figure (``portal_items``, 门户网站发布信息) is the same count;
  Weibo and WeChat (``weibo_items``, ``wechat_items``) are the items published in Y that
  also went out there (``ItemChannel``).
- section 二, for government rules and normative documents in the catalogue on 31 December
  of Y (published by then): issued (本年制发) — those issued in Y; repealed (本年废止) —
  those repealed in Y; in force (现行有效) — those whose validity that day, read from their
  ``ValidityChange`` history, is in force or amended, and not withdrawn by then. Counting
  only what was published by the year's end keeps a past year's figures fixed when older
  documents are added later.
- policy documents interpreted: policy documents published in Y with at least one
  published interpretation.
- late and unpublished (``unpublished_late``, for the scorecard): proactive items still a
  draft or in review whose deadline has passed (before today) and fell on or before
  31 December of Y, as an application still open past its due date counts as overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from xxgk import taxonomy
from xxgk.agencies.models import Agency

from .models import (
    InfoItem,
    Interpretation,
    ItemChannel,
    ItemState,
    Origin,
    PolicyDocument,
    ValidityChange,
)

# Published, whether or not it was withdrawn since (see above).
WAS_PUBLISHED: tuple[str, ...] = (ItemState.PUBLISHED, ItemState.WITHDRAWN)
UNPUBLISHED: tuple[str, ...] = (ItemState.DRAFT, ItemState.REVIEW)
# The publishing figures of section 一 that the catalogue counts.
PUBLISHING_COUNTS: tuple[str, ...] = ("items_published", "key_area_items", "policy_documents",
                                      "interpretations", "portal_items", "weibo_items",
                                      "wechat_items")
# The figure each counted channel feeds (taxonomy.CHANNELS keys).
CHANNEL_FIGURES: dict[str, str] = {"weibo": "weibo_items", "wechat": "wechat_items"}
# Section 二's cells that the catalogue counts, as flat report keys.
SECTION_TWO_KEYS: tuple[str, ...] = tuple(
    f"proactive.{kind}.{column}" for kind in taxonomy.POLICY_KINDS_IN_REPORT
    for column in ("issued", "repealed", "in_force"))
ITEM_COUNTS: tuple[str, ...] = ("items_published", "key_area_items", "on_time",
                                "policy_documents", "interpretations", "policies_interpreted",
                                "portal_items", "weibo_items", "wechat_items")


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def counted_items(model: type[InfoItem] = InfoItem) -> QuerySet[Any]:
    """The rows every count starts from: published in xxgk (withdrawn since or not)."""
    return model.objects.filter(state__in=WAS_PUBLISHED, origin=Origin.XXGK)


def in_use(agency_ids: Iterable[int], year: int) -> set[int]:
    """The agencies that had published at least one item in xxgk by the end of ``year``:
    one index probe each."""
    _first, last = _year(year)
    published = counted_items().filter(agency_id=OuterRef("pk"), published_on__lte=last)
    return set(Agency.objects.filter(pk__in=list(agency_ids)).filter(Exists(published))
               .values_list("pk", flat=True))


def item_counts(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """``{agency: {items_published, key_area_items, on_time, policy_documents,
    interpretations, policies_interpreted, portal_items, weibo_items, wechat_items}}``
    for the agencies in use."""
    first, last = _year(year)
    ids = sorted(in_use(agency_ids, year))
    counts = {agency_id: dict.fromkeys(ITEM_COUNTS, 0) for agency_id in ids}
    if not ids:
        return counts
    in_year = {"agency_id__in": ids, "published_on__range": (first, last)}
    # Only proactive items are ever published (the actions and bulk refuse others); the
    # attribute is checked in the aggregate rather than the WHERE clause, so that SQLite
    # seeks by agency in ``catalog_item_counts`` instead of reading the whole year of
    # every agency through ``catalog_item_public`` (six times faster for one agency).
    proactive = Q(attribute="proactive")
    items = (counted_items().filter(**in_year)
             .order_by().values_list("agency_id")
             .annotate(n=Count("pk", filter=proactive),
                       key_area=Count("pk", filter=proactive & Q(key_area=True)),
                       on_time=Count("pk", filter=proactive
                                     & Q(published_on__lte=F("publish_by")))))
    for agency_id, n, key_area, on_time in items:
        counts[agency_id].update(items_published=n, key_area_items=key_area, on_time=on_time,
                                 portal_items=n)
    interpreted = counted_items(Interpretation).filter(policy=OuterRef("pk"))
    policies = (counted_items(PolicyDocument).filter(**in_year).order_by()
                .values_list("agency_id")
                .annotate(n=Count("pk"), interpreted=Count("pk", filter=Q(Exists(interpreted)))))
    for agency_id, n, interpreted_n in policies:
        counts[agency_id].update(policy_documents=n, policies_interpreted=interpreted_n)
    interpretations = (counted_items(Interpretation).filter(**in_year).order_by()
                       .values_list("agency_id").annotate(n=Count("pk")))
    for agency_id, n in interpretations:
        counts[agency_id]["interpretations"] = n
    channels = (ItemChannel.objects
                .filter(channel__in=list(CHANNEL_FIGURES), item__attribute="proactive",
                        item__in=counted_items().filter(**in_year))
                .order_by().values_list("item__agency_id", "channel").annotate(n=Count("pk")))
    for agency_id, channel, n in channels:
        counts[agency_id][CHANNEL_FIGURES[channel]] = n
    return counts


def unpublished_late(agency_ids: Iterable[int], year: int,
                     today: dt.date) -> dict[int, int]:
    """``{agency: n}``: proactive items not yet published whose Art. 26 deadline passed
    before ``today`` and fell on or before 31 December of ``year`` (absent: none). Pass
    the agencies in use (``item_counts``' keys): it does not ask again. One query, through
    the index ``catalog_item_due``."""
    _first, last = _year(year)
    ids = sorted(agency_ids)
    if not ids:
        return {}
    late = (InfoItem.objects.filter(agency_id__in=ids, state__in=UNPUBLISHED,
                                    publish_by__lt=min(today, last + dt.timedelta(days=1)),
                                    attribute="proactive", origin=Origin.XXGK)
            .order_by().values_list("agency_id").annotate(n=Count("pk")))
    return dict(late)


def section_two(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """Section 二's rows for government rules and normative documents, per agency in use,
    as flat report keys."""
    first, last = _year(year)
    ids = sorted(in_use(agency_ids, year))
    counts = {agency_id: dict.fromkeys(SECTION_TWO_KEYS, 0) for agency_id in ids}
    if not ids:
        return counts
    # What the catalogue held on 31 December: a document added later (an old one entered
    # now) counts from the year it was published, so a year's figures never change after it.
    documents = counted_items(PolicyDocument).filter(
        agency_id__in=ids, published_on__lte=last,
        kind__in=taxonomy.POLICY_KINDS_IN_REPORT).order_by()
    issued = (documents.filter(issued_on__range=(first, last))
              .values_list("agency_id", "kind").annotate(n=Count("pk")))
    for agency_id, kind, n in issued:
        counts[agency_id][f"proactive.{kind}.issued"] = n
    validity_then = Subquery(ValidityChange.objects
                             .filter(document=OuterRef("pk"), changed_on__lte=last)
                             .order_by("-changed_on", "-pk").values("validity")[:1])
    in_force = (documents.filter(issued_on__lte=last)
                .exclude(withdrawn_on__lte=last)
                .annotate(validity_then=Coalesce(validity_then, Value("in_force")))
                .filter(validity_then__in=taxonomy.VALIDITIES_IN_FORCE)
                .values_list("agency_id", "kind").annotate(n=Count("pk")))
    for agency_id, kind, n in in_force:
        counts[agency_id][f"proactive.{kind}.in_force"] = n
    repealed = (ValidityChange.objects
                .filter(document__in=documents, validity="repealed",
                        changed_on__range=(first, last))
                .order_by().values_list("document__agency_id", "document__kind")
                .annotate(n=Count("document_id", distinct=True)))
    for agency_id, kind, n in repealed:
        counts[agency_id][f"proactive.{kind}.repealed"] = n
    return counts
