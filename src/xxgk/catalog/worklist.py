"""What the catalogue's staff pages read: an account's items, the Art. 26 due and late
lists, the review queue, an item's history and the tree with its counts.

Reads only: every change goes through ``actions.py``. Scope comes from
``agencies.access`` as everywhere else; an item outside it does not exist for the account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy, workdays
from xxgk.agencies import access
from xxgk.agencies.models import AuditEntry
from xxgk.core.labels import in_page_language
from xxgk.core.templatetags.xxgk import localized
from xxgk.holidays.calendar import current_calendar

from . import actions
from .models import Category, InfoItem, Interpretation, ItemState, ItemVersion, PolicyDocument

User = AbstractBaseUser | AnonymousUser
# Not published yet (a draft or in review) is "no publication date": publishing sets it and
# a withdrawal keeps it. Asked that way, the due and late counts read only the covering
# index catalog_item_counts (agency, state, published_on, attribute, …, publish_by) instead
# of every row with its body.
# audit.record stores the concrete model's label: an item written as a policy document or
# an interpretation (created as one) is logged under its own label, later steps (which
# lock the InfoItem row) under catalog.infoitem, all with the same primary key.
ITEM_LABELS = ("catalog.infoitem", "catalog.policydocument", "catalog.interpretation")
# What the audit log's catalogue actions are called on the item's history.
ACTION_LABELS: dict[str, Any] = {
    "catalog.create": _("Drafted"),
    "catalog.create_policy": _("Drafted as a policy document"),
    "catalog.create_interpretation": _("Drafted as an interpretation"),
    "catalog.edit": _("Draft edited"),
    "catalog.submit": _("Submitted for confidentiality review"),
    "catalog.return": _("Returned to the drafter"),
    "catalog.publish": _("Approved and published"),
    "catalog.withdraw": _("Withdrawn"),
    "catalog.propose_correction": _("Correction proposed"),
    "catalog.correct": _("Correction approved"),
    "catalog.return_correction": _("Correction returned"),
    "catalog.channels": _("Channels recorded"),
    "catalog.attach": _("File attached"),
    "catalog.detach": _("File removed"),
    "catalog.validity": _("Validity changed"),
    "catalog.validity_review": _("Confirmed in force"),
}
# The audit details shown, with their names (details never hold personal information).
DETAIL_LABELS: dict[str, Any] = {
    "comment": _("Comment"),
    "reason": _("Reason"),
    "published_on": _("Published on"),
    "on_time": _("On time"),
    "file": _("File"),
    "channels": _("Channels"),
    "version": _("Version"),
    "kind": _("Kind"),
    "policy": _("Policy document"),
    "validity": _("Validity"),
    "on": _("Effective on"),
}
# The content fields of a version, in the order the history prints them.
CONTENT_LABELS: tuple[tuple[str, Any], ...] = (
    ("title", _("Title")),
    ("title_en", _("English title")),
    ("doc_no", _("Document number")),
    ("summary", _("Summary")),
    ("topic_words", _("Topic words")),
    ("category_id", _("Catalogue category")),
    ("key_area", _("Key area")),
    ("body", _("Text")),
    ("body_en", _("English text")),
)


# ---- Scope ---------------------------------------------------------------------------------

def scoped_items(user: User) -> QuerySet[InfoItem]:
    """The items of the agencies ``user`` sees (any role)."""
    return InfoItem.objects.filter(agency__in=access.visible_agencies(user))


def staff_item(user: User, pk: int) -> InfoItem:
    """The item as its own kind (a policy document or an interpretation is returned as
    one), if ``user`` sees its agency; otherwise 404."""
    for model in (PolicyDocument, Interpretation, InfoItem):
        found = (model.objects.filter(pk=pk, agency__in=access.visible_agencies(user))
                 .select_related("agency", "category", "created_by", "submitted_by").first())
        if found is not None:
            return found
    raise Http404


def item_page(items: QuerySet[InfoItem], order: tuple[str, ...], number: Any,
              size: int) -> Page:
    """One page of ``items`` in ``order`` (any page number: out of range is the last).

    The page's ids are chosen first, so that the database sorts only ids (read from an
    index) rather than whole rows with their bodies; then those rows are read."""
    page = Paginator(items.order_by(*order).values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    rows = (InfoItem.objects.filter(pk__in=ids).select_related("agency", "category")
            .defer("body", "body_en", "summary"))
    by_pk = {row.pk: row for row in rows}
    page.object_list = [by_pk[pk] for pk in ids if pk in by_pk]
    return page


# ---- The Art. 26 deadline -------------------------------------------------------------------

def due_horizon(day: dt.date, within: int) -> dt.date:
    """The last publish-by date that counts as due on ``day``: ``within`` working days on
    (a year the calendar does not know counts weekends only, as the deadline itself)."""
    return workdays.add_working_days(day, within, calendar=current_calendar(assume_weekends=True))


def due(items: QuerySet[InfoItem], day: dt.date, within: int) -> QuerySet[InfoItem]:
    """Proactive items not published yet whose deadline is today or within ``within``
    working days."""
    return items.filter(attribute="proactive", published_on__isnull=True,
                        publish_by__gte=day, publish_by__lte=due_horizon(day, within))


def late(items: QuerySet[InfoItem], day: dt.date) -> QuerySet[InfoItem]:
    """Proactive items past their deadline unpublished, or published after it."""
    return items.filter(attribute="proactive").filter(
        Q(published_on__isnull=True, publish_by__lt=day) | Q(published_on__gt=F("publish_by")))


@dataclass(frozen=True)
class Deadline:
    """An item's Art. 26 standing on a day: ``status`` is on_time, late, due, open or
    none (not published proactively, so no deadline applies); ``days_left`` counts
    working days to the deadline for an unpublished item."""

    status: str
    publish_by: dt.date
    days_left: int | None = None

    @property
    def label(self) -> Any:
        return {"on_time": _("Published on time"), "late": _("Late"), "due": _("Due"),
                "open": _("Not yet due"), "none": _("No deadline")}[self.status]


def deadline(item: InfoItem, day: dt.date, within: int,
             calendar: workdays.WorkCalendar | None = None) -> Deadline:
    """``item``'s standing on ``day`` (pass one ``calendar`` for a whole list)."""
    if item.attribute != "proactive":
        return Deadline("none", item.publish_by)
    if item.published_on is not None:
        status = "on_time" if item.published_on <= item.publish_by else "late"
        return Deadline(status, item.publish_by)
    calendar = calendar or current_calendar(assume_weekends=True)
    if item.publish_by < day:
        return Deadline("late", item.publish_by)
    left = workdays.working_days_between(day, item.publish_by, calendar=calendar)
    return Deadline("due" if left <= within else "open", item.publish_by, left)


# ---- The review queue ------------------------------------------------------------------------

def review_queue(user: User) -> tuple[QuerySet[InfoItem], QuerySet[ItemVersion]]:
    """Drafts and corrections in review in the agencies where ``user`` reviews, without
    those ``user`` wrote, submitted or proposed (nobody reviews their own)."""
    agencies = access.visible_agencies(user, roles=actions.REVIEWER_ROLES)
    items = (InfoItem.objects.filter(agency__in=agencies, state=ItemState.REVIEW)
             .exclude(created_by=user).exclude(submitted_by=user)
             .select_related("agency", "category", "submitted_by").order_by("publish_by", "pk"))
    versions = (ItemVersion.objects
                .filter(item__agency__in=agencies, state=ItemVersion.State.REVIEW)
                .exclude(made_by=user).exclude(item__created_by=user)
                .exclude(item__submitted_by=user)
                .select_related("item", "item__agency", "made_by").order_by("made_at", "pk"))
    return items, versions


# ---- History ---------------------------------------------------------------------------------

def versions(item: InfoItem) -> list[ItemVersion]:
    return list(item.versions.select_related("made_by", "reviewed_by").order_by("number", "pk"))


def pending_correction(item: InfoItem) -> ItemVersion | None:
    return (item.versions.filter(state=ItemVersion.State.REVIEW)
            .select_related("made_by").first())


def audit_entries(item: InfoItem) -> list[AuditEntry]:
    """Every audit entry about the item, oldest first, under any of its labels."""
    return list(AuditEntry.objects.filter(object_type__in=ITEM_LABELS, object_id=str(item.pk))
                .order_by("at", "id"))


@dataclass(frozen=True)
class ContentRow:
    label: Any
    value: Any
    is_html: bool = False


def content_rows(content: dict[str, Any] | None,
                 categories: dict[int, Category]) -> list[ContentRow]:
    """A version's stored content as labelled rows (bodies are sanitised HTML, as stored)."""
    if not content:
        return []
    rows = []
    for name, label in CONTENT_LABELS:
        value = content.get(name)
        if name == "category_id":
            found = categories.get(value) if value else None
            value = localized(found) if found is not None else None
        elif name == "key_area":
            value = _("Yes") if value else _("No")
        if value in (None, ""):
            continue
        rows.append(ContentRow(label, value, is_html=name in ("body", "body_en")))
    return rows


def categories_in(contents: list[dict[str, Any] | None]) -> dict[int, Category]:
    ids = {c.get("category_id") for c in contents if c} - {None}
    return {c.pk: c for c in Category.objects.filter(pk__in=ids)} if ids else {}


def audit_details(entry: AuditEntry) -> list[tuple[Any, str]]:
    """The entry's details in words, in a fixed order."""
    out = []
    for key, label in DETAIL_LABELS.items():
        if key not in entry.detail:
            continue
        value = entry.detail[key]
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, list):
            names = {c.key: c for c in taxonomy.CHANNELS}
            value = ", ".join(in_page_language(names[v]) if v in names else str(v)
                              for v in value)
        out.append((label, str(value)))
    return out


# ---- The catalogue tree -----------------------------------------------------------------------

@dataclass(frozen=True)
class TreeRow:
    category: Category
    depth: int
    items: int
    published: int
    # Whether the node is the first or the last of its siblings: it cannot move further.
    first: bool = False
    last: bool = False

    @property
    def indent(self) -> str:
        return "\u3000" * self.depth


def tree(active_only: bool = False) -> list[tuple[taxonomy.Category, list[TreeRow]]]:
    """Each branch with its nodes, parents before children, and their item counts."""
    nodes = Category.objects.annotate(
        n_items=Count("items"),
        n_published=Count("items", filter=Q(items__state=ItemState.PUBLISHED)))
    if active_only:
        nodes = nodes.filter(is_active=True)
    children: dict[int | None, list[Category]] = {}
    for node in nodes.order_by("position", "pk"):
        children.setdefault(node.parent_id, []).append(node)
    result = []
    for branch in taxonomy.CATALOGUE_BRANCHES:
        rows: list[TreeRow] = []

        def walk(parent: int | None, depth: int, branch_key: str = branch.key,
                 rows: list[TreeRow] = rows) -> None:
            siblings = [n for n in children.get(parent, []) if n.branch == branch_key]
            for index, node in enumerate(siblings):
                rows.append(TreeRow(node, depth, node.n_items, node.n_published,
                                    first=index == 0, last=index == len(siblings) - 1))
                walk(node.pk, depth + 1)

        walk(None, 0)
        result.append((branch, rows))
    return result
