"""The shapes of the read-only catalogue and annual-report endpoints.

Query parameters are bounded and patterned like the URLs they stand for (an agency code as
``Agency.code`` allows it, a category code as a slug), so a malformed value is a 422 naming
the parameter before anything reaches the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from xxgk import taxonomy

from .schemas import AgencyOut

PolicyKind = Literal[tuple(c.key for c in taxonomy.POLICY_KINDS)]  # type: ignore[valid-type]
Validity = Literal[tuple(c.key for c in taxonomy.VALIDITIES)]  # type: ignore[valid-type]
Channel = Literal[tuple(c.key for c in taxonomy.CHANNELS)]  # type: ignore[valid-type]
ItemType = Literal["item", "policy_document", "interpretation"]
Branch = Literal[tuple(c.key for c in taxonomy.CATALOGUE_BRANCHES)]  # type: ignore[valid-type]

AGENCY_CODE = r"^[0-9A-Z]{2,20}$"
CATEGORY_CODE = r"^[-a-zA-Z0-9_]{1,40}$"
MAX_LIMIT = 100
# A cursor as ``portal.paging.Cursor`` writes it: the day and the primary key of an entry.
CURSOR = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])_[0-9]{1,18}$"
FIRST_YEAR, LAST_YEAR = 1949, 2100


class CatalogFilter(Schema):
    """Which public items to list, newest published first, a page at a time."""

    agency: str | None = Field(None, pattern=AGENCY_CODE,
                               description="an agency code: that agency's own items")
    category: str | None = Field(
        None, pattern=CATEGORY_CODE,
        description="a category code: items in that category or any category below it")
    kind: PolicyKind | None = Field(
        None, description="policy documents of this kind only")
    validity: Validity | None = Field(
        None, description="policy documents with this validity today only")
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR,
                             description="published in this calendar year")
    cursor: str | None = Field(
        None, pattern=CURSOR,
        description="the `next` value of the previous page; leave out for the first page")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"items per page (1–{MAX_LIMIT})")


class PolicyFilter(CatalogFilter):
    """Which policy documents to list, newest issued first, as the policy library does."""

    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR,
                             description="issued in this calendar year")


class ReportFilter(Schema):
    agency: str | None = Field(None, pattern=AGENCY_CODE, description="an agency code")
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="the report's year")


class CategoryRef(Schema):
    code: str
    name: str
    name_en: str


class PolicyFacts(Schema):
    kind: PolicyKind
    issued_on: dt.date
    validity: Validity


class ItemOut(Schema):
    id: int
    type: ItemType
    index_no: str = Field(description="索引号")
    title: str
    title_en: str = Field(description="empty when there is no English version")
    doc_no: str = Field(description="文号, when the item has one")
    summary: str
    agency: AgencyOut
    category: CategoryRef | None
    formed_on: dt.date = Field(description="when the information was formed or changed")
    published_on: dt.date
    changed_at: dt.datetime = Field(description="when anything the item's page shows changed")
    url: str = Field(description="the item's public page")
    policy: PolicyFacts | None = Field(description="for a policy document")


class ItemPage(Schema):
    items: list[ItemOut]
    next: str | None = Field(description="the cursor of the next page; null on the last page")


class ItemRef(Schema):
    """Another public item, as a link."""

    id: int
    title: str
    title_en: str
    doc_no: str
    published_on: dt.date
    url: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str = Field(description="the file, as the item's page offers it")


class ValidityChangeOut(Schema):
    changed_on: dt.date
    validity: Validity
    by_document: ItemRef | None = Field(description="the document that made the change")
    note: str


class PolicyLinksOut(Schema):
    amends: list[ItemRef]
    repeals: list[ItemRef]
    amended_by: list[ItemRef]
    repealed_by: list[ItemRef]


class PolicyOut(ItemOut):
    successor: ItemRef | None = Field(
        description="what repealed, replaced or amended it, when it is no longer in force "
                    "as issued")
    links: PolicyLinksOut
    interpretations: int = Field(description="how many published interpretations it has")


class PolicyPage(Schema):
    items: list[PolicyOut]
    next: str | None = Field(description="the cursor of the next page; null on the last page")


class PolicyDetail(Schema):
    successor: ItemRef | None
    links: PolicyLinksOut
    history: list[ValidityChangeOut]
    interpretations: list[ItemRef]


class ItemDetailOut(ItemOut):
    topic_words: str
    key_area: bool
    body: str = Field(description="sanitised HTML")
    body_en: str = Field(description="sanitised HTML; empty when there is no English version")
    attachments: list[AttachmentOut]
    channels: list[Channel] = Field(description="where else it went out")
    policy_detail: PolicyDetail | None = Field(description="for a policy document")
    interprets: ItemRef | None = Field(description="for an interpretation: its policy")


class CategoryNode(Schema):
    code: str
    branch: Branch
    name: str
    name_en: str
    article: str
    count: int = Field(description="public items in it and every category below it")
    children: list[CategoryNode]


class ReportDownload(Schema):
    format: str
    url: str


class ReportOut(Schema):
    agency: AgencyOut
    year: int
    published_on: dt.date | None
    url: str = Field(description="the report's public page")
    downloads: list[ReportDownload]


CategoryNode.model_rebuild()
