"""The only writers of the catalogue: drafting, confidentiality review, publishing,
withdrawal, corrections, attachments, channels, the catalogue tree and validity.

The workflow (保密审查 before anything is published)::

    draft ──submit──▶ review ──publish (a reviewer)──▶ published ──withdraw──▶ withdrawn
      ▲                 │                                   │
      └────return───────┘                     propose_correction ─▶ a version in review,
                                              approved or returned like a draft

A reviewer (reviewer or OGI-office role on the agency) never reviews a draft they wrote or
submitted, or a correction they made. ``actor=None`` is the system itself (the demo, an
import): it publishes history directly, without review. People always pass theirs.

Each function checks, writes and audits in one transaction, so a refused step leaves
nothing behind (``core.steps.StepError``). Dates in a year whose annual report is published
are refused (``core.periods``), as for applications and appeals: section 二 and section 一
count from these dates. Every change that a public page shows bumps ``changed_at`` on the
item, which the public pages' cache reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from xxgk import taxonomy, workdays
from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core.periods import require_unlocked
from xxgk.core.steps import StepError, require_past, user_or_none
from xxgk.core.today import today
from xxgk.holidays.calendar import current_calendar
from xxgk.search.indexing import follow as follow_in_search

from .files import MAX_ATTACHMENTS, CheckedFile
from .models import (
    Attachment,
    Category,
    IndexSequence,
    InfoItem,
    Interpretation,
    ItemChannel,
    ItemState,
    ItemVersion,
    PolicyDocument,
    ValidityChange,
)
from .sanitize import clean_html

ATTRIBUTE_KEYS = tuple(c.key for c in taxonomy.DISCLOSURE_ATTRIBUTES)
POLICY_KIND_KEYS = tuple(c.key for c in taxonomy.POLICY_KINDS)
VALIDITY_KEYS = tuple(c.key for c in taxonomy.VALIDITIES)
WITHHOLDING_KEYS = tuple(c.key for c in taxonomy.WITHHOLDING_GROUNDS)
CHANNEL_KEYS = tuple(c.key for c in taxonomy.CHANNELS)
MAX_TITLE = 300
MAX_SUMMARY = 2000
MAX_BODY = 500_000
EARLIEST = dt.date(1949, 10, 1)
REVIEWER_ROLES = (StaffRole.Role.REVIEWER, StaffRole.Role.OGI_ADMIN)
# The content fields a correction may change (not the dates the deadline was fixed from).
CORRECTABLE = ("title", "title_en", "doc_no", "summary", "topic_words", "body", "body_en",
               "category_id", "key_area")


@dataclass(frozen=True)
class ItemText:
    """What every item has, as staff write it. ``category`` puts it in the catalogue tree;
    a key-area category makes it a key-area item."""

    title: str
    formed_on: dt.date
    body: str = ""
    key_area: bool = False
    attribute: str = "proactive"
    withholding_ground: str = ""
    title_en: str = ""
    body_en: str = ""
    summary: str = ""
    topic_words: str = ""
    doc_no: str = ""
    category: Category | None = None
    channels: tuple[str, ...] = ()


def _require_editor(actor: Any, agency: Agency) -> None:
    if actor is not None and not access.may_write(actor, agency):
        raise StepError(_("Your account may not edit the catalogue of this agency."))


def may_review(actor: Any, item: InfoItem) -> bool:
    """A reviewer of the item's agency who neither wrote nor submitted it."""
    if not access.has_role(actor, item.agency, *REVIEWER_ROLES):
        return False
    return actor.pk not in (item.created_by_id, item.submitted_by_id)


def _require_reviewer(actor: Any, item: InfoItem, author_id: int | None = None) -> None:
    if not access.has_role(actor, item.agency, *REVIEWER_ROLES):
        raise StepError(_("Only a reviewer of this agency may review its items."))
    if actor.pk in (item.created_by_id, item.submitted_by_id, author_id):
        raise StepError(_("Nobody reviews their own draft: another reviewer must do it."))


def publication_deadline(formed_on: dt.date) -> dt.date:
    """Art. 26: the last day to publish information formed or changed on ``formed_on``.

    A year the calendar does not know yet counts weekends only, as the workbench does.
    """
    return workdays.add_working_days(formed_on, taxonomy.PROACTIVE_PUBLICATION_WORKING_DAYS,
                                     calendar=current_calendar(assume_weekends=True))


def _next_index_no(agency: Agency, year: int) -> str:
    sequence, _created = IndexSequence.objects.get_or_create(agency=agency, year=year)
    sequence = IndexSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code}/{year}-{sequence.last:05d}"


def _content(text: ItemText) -> dict[str, Any]:
    """The checked, cleaned content fields of ``text`` (the index number and the deadline
    are added by the caller)."""
    title = text.title.strip()
    if not title:
        raise StepError(_("Give the title."), "title")
    if len(title) > MAX_TITLE:
        raise StepError(_("The title is longer than %(n)d characters.") % {"n": MAX_TITLE},
                        "title")
    if len(text.title_en.strip()) > MAX_TITLE:
        raise StepError(_("The title is longer than %(n)d characters.") % {"n": MAX_TITLE},
                        "title_en")
    if len(text.summary) > MAX_SUMMARY:
        raise StepError(_("The summary is longer than %(n)d characters.")
                        % {"n": MAX_SUMMARY}, "summary")
    for name in ("body", "body_en"):
        if len(getattr(text, name)) > MAX_BODY:
            raise StepError(_("The text is longer than %(n)d characters.") % {"n": MAX_BODY},
                            name)
    if len(text.doc_no.strip()) > 80:
        raise StepError(_("The document number is longer than 80 characters."), "doc_no")
    if len(text.topic_words.strip()) > 200:
        raise StepError(_("The topic words are longer than 200 characters."), "topic_words")
    if text.attribute not in ATTRIBUTE_KEYS:
        raise StepError(_("Choose a disclosure attribute."), "attribute")
    if text.attribute == "withheld" and text.withholding_ground not in WITHHOLDING_KEYS:
        raise StepError(_("Give the legal ground for withholding the item."),
                        "withholding_ground")
    if text.category is not None and not text.category.is_active:
        raise StepError(_("That catalogue category is no longer in use."), "category")
    if unknown := set(text.channels) - set(CHANNEL_KEYS):
        raise StepError(_("Unknown channel: %(c)s.") % {"c": ", ".join(sorted(unknown))},
                        "channels")
    return {
        "title": title, "title_en": text.title_en.strip(), "doc_no": text.doc_no.strip(),
        "summary": text.summary.strip(), "topic_words": text.topic_words.strip(),
        "body": clean_html(text.body), "body_en": clean_html(text.body_en),
        "category_id": text.category.pk if text.category else None,
        "key_area": text.key_area or bool(text.category and text.category.is_key_area),
    }


def _require_formed(day: dt.date) -> None:
    require_past(day, "formed_on")
    if day < EARLIEST:
        raise StepError(_("The date is before 1 October 1949."), "formed_on")


def _item_fields(agency: Agency, text: ItemText) -> dict[str, Any]:
    fields = _content(text)
    _require_formed(text.formed_on)
    return {
        **fields, "agency": agency, "index_no": _next_index_no(agency, text.formed_on.year),
        "attribute": text.attribute,
        "withholding_ground": text.withholding_ground if text.attribute == "withheld" else "",
        "formed_on": text.formed_on, "publish_by": publication_deadline(text.formed_on),
    }


def _set_channels(item: InfoItem, channels: tuple[str, ...]) -> None:
    ItemChannel.objects.filter(item=item).exclude(channel__in=channels).delete()
    have = set(ItemChannel.objects.filter(item=item).values_list("channel", flat=True))
    ItemChannel.objects.bulk_create(
        ItemChannel(item=item, channel=c) for c in CHANNEL_KEYS if c in channels and c not in have)


def create_item(agency: Agency, text: ItemText, *, actor: Any = None,
                request: HttpRequest | None = None) -> InfoItem:
    """A draft item with its index number."""
    _require_editor(actor, agency)
    with transaction.atomic():
        item = InfoItem.objects.create(**_item_fields(agency, text), created_by=user_or_none(actor))
        _set_channels(item, text.channels)
        audit.record("catalog.create", actor=actor, obj=item, request=request)
    return item


def _require_policy(text: ItemText, kind: str, issued_on: dt.date) -> None:
    if kind not in POLICY_KIND_KEYS:
        raise StepError(_("Choose the kind of policy document."), "kind")
    require_past(issued_on, "issued_on")
    if issued_on < EARLIEST:
        raise StepError(_("The date is before 1 October 1949."), "issued_on")
    if text.attribute != "proactive":
        raise StepError(_("Policy documents are disclosed proactively (Art. 20)."),
                        "attribute")


def create_policy_document(agency: Agency, text: ItemText, *, kind: str, issued_on: dt.date,
                           actor: Any = None,
                           request: HttpRequest | None = None) -> PolicyDocument:
    """A draft policy document (its 文号 is ``text.doc_no``); it counts in section 二 once
    published."""
    _require_editor(actor, agency)
    _require_policy(text, kind, issued_on)
    with transaction.atomic():
        document = PolicyDocument.objects.create(
            **_item_fields(agency, text), kind=kind, issued_on=issued_on,
            created_by=user_or_none(actor))
        _set_channels(document, text.channels)
        audit.record("catalog.create_policy", actor=actor, obj=document, request=request,
                     detail={"kind": kind})
    return document


def create_interpretation(policy: PolicyDocument, text: ItemText, *, actor: Any = None,
                          request: HttpRequest | None = None) -> Interpretation:
    """A draft interpretation of ``policy``, in the catalogue of the policy's agency."""
    _require_editor(actor, policy.agency)
    with transaction.atomic():
        interpretation = Interpretation.objects.create(
            **_item_fields(policy.agency, text), policy=policy, created_by=user_or_none(actor))
        _set_channels(interpretation, text.channels)
        audit.record("catalog.create_interpretation", actor=actor, obj=interpretation,
                     request=request, detail={"policy": policy.index_no})
    return interpretation


def _locked_item(item: InfoItem) -> InfoItem:
    return InfoItem.objects.select_for_update().get(pk=item.pk)


def _copy_state(item: InfoItem, locked: InfoItem) -> InfoItem:
    for name in ("state", "published_on", "withdrawn_on", "withdrawal_reason",
                 "review_comment", "submitted_by_id", "version", "changed_at",
                 *CORRECTABLE):
        setattr(item, name, getattr(locked, name))
    return item


def update_draft(item: InfoItem, text: ItemText, *, kind: str | None = None,
                 issued_on: dt.date | None = None, actor: Any = None,
                 request: HttpRequest | None = None) -> InfoItem:
    """Rewrite a draft (a new or a returned one). ``kind`` and ``issued_on`` are a policy
    document's; the index number stays, the Art. 26 deadline follows ``formed_on``."""
    _require_editor(actor, item.agency)
    fields = _content(text)
    _require_formed(text.formed_on)
    policy = isinstance(item, PolicyDocument)
    if policy:
        _require_policy(text, kind or item.kind, issued_on or item.issued_on)
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state != ItemState.DRAFT:
            raise StepError(_("Only a draft can be edited; correct a published item "
                              "with a new version."))
        fields.update(attribute=text.attribute, formed_on=text.formed_on,
                      publish_by=publication_deadline(text.formed_on),
                      withholding_ground=(text.withholding_ground
                                          if text.attribute == "withheld" else ""))
        InfoItem.objects.filter(pk=item.pk).update(**fields, changed_at=timezone.now())
        if policy:
            PolicyDocument.objects.filter(pk=item.pk).update(
                kind=kind or item.kind, issued_on=issued_on or item.issued_on)
        _set_channels(locked, text.channels)
        audit.record("catalog.edit", actor=actor, obj=locked, request=request)
    item.refresh_from_db()
    return item


def submit(item: InfoItem, *, actor: Any,
           request: HttpRequest | None = None) -> InfoItem:
    """Send a draft to confidentiality review. A withheld item is never published, so it
    is not submitted: it stays in the catalogue, recorded, off every public page."""
    _require_editor(actor, item.agency)
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state != ItemState.DRAFT:
            raise StepError(_("Only a draft can be submitted for review."))
        if locked.attribute != "proactive":
            raise StepError(_("Only items disclosed proactively are published."),
                            "attribute")
        locked.state, locked.submitted_by, locked.review_comment = (
            ItemState.REVIEW, user_or_none(actor), "")
        locked.save(update_fields=["state", "submitted_by", "review_comment", "changed_at"])
        audit.record("catalog.submit", actor=actor, obj=locked, request=request)
    return _copy_state(item, locked)


def return_to_drafter(item: InfoItem, comment: str, *, actor: Any,
                      request: HttpRequest | None = None) -> InfoItem:
    """The reviewer sends a draft back with what to change."""
    comment = comment.strip()
    if not comment:
        raise StepError(_("Say what has to change."), "comment")
    with transaction.atomic():
        locked = _locked_item(item)
        _require_reviewer(actor, locked)
        if locked.state != ItemState.REVIEW:
            raise StepError(_("The item is not in review."))
        locked.state, locked.review_comment = ItemState.DRAFT, comment[:500]
        locked.save(update_fields=["state", "review_comment", "changed_at"])
        audit.record("catalog.return", actor=actor, obj=locked, request=request,
                     detail={"comment": comment[:500]})
    return _copy_state(item, locked)


def publish(item: InfoItem, on: dt.date | None = None, *, actor: Any = None,
            request: HttpRequest | None = None) -> InfoItem:
    """Publish a proactive item on ``on`` (default today; a date the report counts it
    under). People publish by approving an item in review; the system (``actor=None``:
    the demo, history) may publish a draft directly."""
    on = on or today()
    require_past(on, "published_on")
    if on < item.formed_on:
        raise StepError(_("An item cannot be published before it was formed."),
                        "published_on")
    require_unlocked(item.agency, on, "published_on")
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state in (ItemState.PUBLISHED, ItemState.WITHDRAWN):
            raise StepError(_("The item is already published."))
        if locked.attribute != "proactive":
            raise StepError(_("Only items disclosed proactively are published."),
                            "attribute")
        if actor is not None:
            _require_reviewer(actor, locked)
            if locked.state != ItemState.REVIEW:
                raise StepError(_("Submit the item for review first."))
        locked.state, locked.published_on = ItemState.PUBLISHED, on
        locked.save(update_fields=["state", "published_on", "changed_at"])
        follow_in_search([locked.pk])
        audit.record("catalog.publish", actor=actor, obj=locked, request=request,
                     detail={"published_on": on.isoformat(),
                             "on_time": on <= locked.publish_by})
    return _copy_state(item, locked)


def withdraw(item: InfoItem, reason: str, *, actor: Any = None,
             request: HttpRequest | None = None) -> InfoItem:
    """Take a published item off every public page, with the reason (kept, and shown to
    staff). It still counted in the year it was published."""
    _require_editor(actor, item.agency)
    reason = reason.strip()
    if not reason:
        raise StepError(_("Give the reason for withdrawing the item."), "reason")
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state != ItemState.PUBLISHED:
            raise StepError(_("Only a published item can be withdrawn."))
        locked.state, locked.withdrawn_on = ItemState.WITHDRAWN, today()
        locked.withdrawal_reason = reason[:300]
        locked.save(update_fields=["state", "withdrawn_on", "withdrawal_reason", "changed_at"])
        follow_in_search([locked.pk])
        audit.record("catalog.withdraw", actor=actor, obj=locked, request=request,
                     detail={"reason": reason[:300]})
    return _copy_state(item, locked)


def _snapshot(item: InfoItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in CORRECTABLE}


def propose_correction(item: InfoItem, text: ItemText, reason: str, *, actor: Any = None,
                       request: HttpRequest | None = None) -> ItemVersion:
    """A corrected version of a published item, to review; the published one stays up
    until a reviewer approves the correction."""
    _require_editor(actor, item.agency)
    reason = reason.strip()
    if not reason:
        raise StepError(_("Say what the correction changes and why."), "reason")
    content = _content(replace(text, attribute="proactive"))
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state != ItemState.PUBLISHED:
            raise StepError(_("Only a published item is corrected by a new version."))
        if locked.versions.filter(state=ItemVersion.State.REVIEW).exists():
            raise StepError(_("A correction of this item is already in review."))
        if content == _snapshot(locked):
            raise StepError(_("The correction changes nothing."))
        version = ItemVersion.objects.create(
            item=locked, number=locked.version + 1, state=ItemVersion.State.REVIEW,
            content=content, reason=reason[:300], made_by=user_or_none(actor))
        audit.record("catalog.propose_correction", actor=actor, obj=locked, request=request,
                     detail={"version": version.number, "reason": reason[:300]})
    return version


def review_correction(version: ItemVersion, *, approve: bool, comment: str = "",
                      actor: Any, request: HttpRequest | None = None) -> ItemVersion:
    """Approve a correction (its content becomes the item's) or return it with a comment."""
    comment = comment.strip()
    if not approve and not comment:
        raise StepError(_("Say what has to change."), "comment")
    with transaction.atomic():
        item = _locked_item(version.item)
        locked = ItemVersion.objects.select_for_update().get(pk=version.pk)
        _require_reviewer(actor, item, author_id=locked.made_by_id)
        if locked.state != ItemVersion.State.REVIEW:
            raise StepError(_("The correction is not in review."))
        if approve and item.state != ItemState.PUBLISHED:
            raise StepError(_("The item is no longer published."))
        locked.reviewed_by, locked.reviewed_at = user_or_none(actor), timezone.now()
        locked.review_comment = comment[:500]
        if approve:
            locked.previous = _snapshot(item)
            locked.state = ItemVersion.State.PUBLISHED
            InfoItem.objects.filter(pk=item.pk).update(
                **locked.content, version=locked.number, changed_at=timezone.now())
            follow_in_search([item.pk])
        else:
            locked.state = ItemVersion.State.RETURNED
        locked.save()
        audit.record("catalog.correct" if approve else "catalog.return_correction",
                     actor=actor, obj=item, request=request,
                     detail={"version": locked.number, "comment": comment[:500]})
    return locked


def set_channels(item: InfoItem, channels: tuple[str, ...], *, actor: Any = None,
                 request: HttpRequest | None = None) -> InfoItem:
    """Record where else the item went out (Weibo, WeChat …), at any time."""
    _require_editor(actor, item.agency)
    if unknown := set(channels) - set(CHANNEL_KEYS):
        raise StepError(_("Unknown channel: %(c)s.") % {"c": ", ".join(sorted(unknown))},
                        "channels")
    with transaction.atomic():
        _set_channels(item, tuple(channels))
        InfoItem.objects.filter(pk=item.pk).update(changed_at=timezone.now())
        audit.record("catalog.channels", actor=actor, obj=item, request=request,
                     detail={"channels": sorted(channels)})
    return item


def add_attachment(item: InfoItem, file: CheckedFile, *, actor: Any = None,
                   request: HttpRequest | None = None) -> Attachment:
    """Attach a checked file (``files.check_file``) to a draft."""
    _require_editor(actor, item.agency)
    with transaction.atomic():
        locked = _locked_item(item)
        if locked.state != ItemState.DRAFT:
            raise StepError(_("Files are attached to a draft."), "attachments")
        count = locked.attachments.count()
        if count >= MAX_ATTACHMENTS:
            raise StepError(_("An item has at most %(n)d attachments.")
                            % {"n": MAX_ATTACHMENTS}, "attachments")
        attachment = Attachment.objects.create(
            item=locked, name=file.name, content_type=file.content_type,
            size=len(file.content), sha256=file.sha256, content=file.content,
            position=count + 1)
        audit.record("catalog.attach", actor=actor, obj=locked, request=request,
                     detail={"file": file.name, "sha256": file.sha256})
    return attachment


def remove_attachment(attachment: Attachment, *, actor: Any = None,
                      request: HttpRequest | None = None) -> None:
    item = attachment.item
    _require_editor(actor, item.agency)
    with transaction.atomic():
        if _locked_item(item).state != ItemState.DRAFT:
            raise StepError(_("Files are removed from a draft."), "attachments")
        audit.record("catalog.detach", actor=actor, obj=item, request=request,
                     detail={"file": attachment.name, "sha256": attachment.sha256})
        attachment.delete()


# ---- The catalogue tree (the OGI office) ------------------------------------------------

def _require_ogi(actor: Any) -> None:
    if actor is not None and not access.is_ogi_office(actor):
        raise StepError(_("Only the OGI office configures the catalogue."))


@dataclass(frozen=True)
class CategoryText:
    name: str
    name_en: str = ""
    article: str = ""
    position: int = 0


def _category_fields(text: CategoryText) -> dict[str, Any]:
    name = text.name.strip()
    if not name or len(name) > 60:
        raise StepError(_("Give a name of at most 60 characters."), "name")
    if len(text.name_en.strip()) > 80:
        raise StepError(_("The English name is longer than 80 characters."), "name_en")
    return {"name": name, "name_en": text.name_en.strip(), "article": text.article.strip()[:40],
            "position": max(int(text.position), 0)}


def create_category(branch: str, code: str, text: CategoryText, *,
                    parent: Category | None = None, actor: Any = None,
                    request: HttpRequest | None = None) -> Category:
    """A new node of the tree under ``parent`` (or at the top of ``branch``)."""
    _require_ogi(actor)
    if branch not in {c.key for c in taxonomy.CATALOGUE_BRANCHES}:
        raise StepError(_("Choose the branch of the catalogue."), "branch")
    code = code.strip().lower()
    if not code or len(code) > 40 or not all(ch.isascii() and (ch.isalnum() or ch in "-_")
                                             for ch in code):
        raise StepError(_("The code is up to 40 letters, digits, - or _: it is part of the "
                          "page's address."), "code")
    if parent is not None and parent.branch != branch:
        raise StepError(_("The parent is in another branch."), "parent")
    with transaction.atomic():
        if Category.objects.filter(code=code).exists():
            raise StepError(_("A category with that code exists."), "code")
        category = Category.objects.create(branch=branch, code=code, parent=parent,
                                           **_category_fields(text))
        audit.record("catalog.category_create", actor=actor, obj=category, request=request,
                     detail={"code": code})
    return category


def update_category(category: Category, text: CategoryText, *, is_active: bool = True,
                    actor: Any = None, request: HttpRequest | None = None) -> Category:
    """Rename, renumber or retire a node (its code and its items stay)."""
    _require_ogi(actor)
    fields = _category_fields(text)
    with transaction.atomic():
        Category.objects.filter(pk=category.pk).update(**fields, is_active=is_active)
        audit.record("catalog.category_update", actor=actor, obj=category, request=request,
                     detail={"code": category.code, "active": is_active})
    category.refresh_from_db()
    return category


def move_category(category: Category, direction: str, *, actor: Any = None,
                  request: HttpRequest | None = None) -> Category:
    """Move a node one place ``up`` or ``down`` among its siblings (same parent, same
    branch). The siblings are numbered 1, 2, 3 … in their new order, so positions typed
    earlier (equal ones, gaps) become one plain order that the buttons keep."""
    _require_ogi(actor)
    if direction not in ("up", "down"):
        raise StepError(_("A node moves up or down."))
    with transaction.atomic():
        siblings = list(Category.objects.select_for_update()
                        .filter(branch=category.branch, parent_id=category.parent_id)
                        .order_by("position", "pk"))
        index = next(i for i, node in enumerate(siblings) if node.pk == category.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise StepError(_("%(name)s is already the first of its level.") % {"name": category.name}
                            if direction == "up" else
                            _("%(name)s is already the last of its level.") % {"name": category.name})
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, node in enumerate(siblings, start=1):
            if node.position != position:
                Category.objects.filter(pk=node.pk).update(position=position)
        audit.record("catalog.category_move", actor=actor, obj=category, request=request,
                     detail={"code": category.code, "direction": direction,
                             "position": other + 1})
    category.refresh_from_db()
    return category


def record_validity_change(document: PolicyDocument, *, on: dt.date, validity: str,
                           by_document: PolicyDocument | None = None, note: str = "",
                           actor: Any = None,
                           request: HttpRequest | None = None) -> ValidityChange:
    """From ``on``, ``document`` is ``validity`` (repealed, amended, expired, in force)."""
    _require_editor(actor, document.agency)
    if validity not in VALIDITY_KEYS:
        raise StepError(_("Choose the validity."), "validity")
    require_past(on, "changed_on")
    if on < document.issued_on:
        raise StepError(_("The change cannot be earlier than the document's issue date."),
                        "changed_on")
    if document.state != ItemState.PUBLISHED:
        raise StepError(_("Publish the document before recording changes to it."))
    if by_document is not None and (by_document.pk == document.pk
                                    or by_document.state != ItemState.PUBLISHED):
        raise StepError(_("The amending or repealing document must be another "
                          "published document."), "by_document")
    if by_document is not None and by_document.issued_on > on:
        raise StepError(_("The amending or repealing document was issued after that date."),
                        "by_document")
    # A document is amended or repealed by its own agency or by a government above it.
    if by_document is not None and not document.agency.path.startswith(by_document.agency.path):
        raise StepError(_("The amending or repealing document must be the agency's own or "
                          "a government's above it."), "by_document")
    before = (document.validity_changes.filter(changed_on__lte=on)
              .order_by("-changed_on", "-pk").values_list("validity", flat=True).first())
    if (before or "in_force") == validity:
        raise StepError(_("The document already has that validity on that date."), "validity")
    require_unlocked(document.agency, on, "changed_on")
    with transaction.atomic():
        change = ValidityChange.objects.create(
            document=document, changed_on=on, validity=validity, by_document=by_document,
            note=note.strip()[:300], recorded_by=user_or_none(actor))
        newest = document.validity_changes.order_by("-changed_on", "-pk").first()
        PolicyDocument.objects.filter(pk=document.pk).update(validity=newest.validity)
        follow_in_search([document.pk])
        audit.record("catalog.validity", actor=actor, obj=document, request=request,
                     detail={"validity": validity, "on": on.isoformat()})
    document.validity = newest.validity
    return change


# ---- The validity clean-up (bulk, all or nothing) --------------------------------------

# The clean-up page's "confirm still in force": nothing changes on the document; a
# ``ValidityReview`` keeps it off the clean-up list for a while (``policies``).
CONFIRM_IN_FORCE = "confirm"
BULK_VALIDITY_CHOICES = ("expired", "repealed", CONFIRM_IN_FORCE)
MAX_BULK_DOCUMENTS = 200


def _confirm_in_force(document: PolicyDocument, on: dt.date, reason: str, actor: Any,
                      request: HttpRequest | None) -> Any:
    # Imported here because this part was appended to a shared module after its imports.
    from .models import ValidityReview

    _require_editor(actor, document.agency)
    if document.state != ItemState.PUBLISHED:
        raise StepError(_("Publish the document before recording changes to it."))
    if document.validity not in taxonomy.VALIDITIES_IN_FORCE:
        raise StepError(_("The document is no longer in force."), "validity")
    if on < document.issued_on:
        raise StepError(_("The change cannot be earlier than the document's issue date."),
                        "changed_on")
    review = ValidityReview.objects.create(document=document, reviewed_on=on,
                                           reviewer=user_or_none(actor), reason=reason)
    audit.record("catalog.validity_review", actor=actor, obj=document, request=request,
                 detail={"on": on.isoformat(), "reason": reason})
    return review


def bulk_validity(documents: list[PolicyDocument], validity_or_confirm: str, *,
                  on: dt.date, reason: str, actor: Any = None,
                  request: HttpRequest | None = None) -> list[Any]:
    """The clean-up page's bulk step: from ``on``, every one of ``documents`` is expired or
    repealed (``record_validity_change``, the reason as each change's note), or is
    confirmed still in force (a ``ValidityReview`` each). All or nothing: one refused
    document refuses the whole step, naming it. Returns the changes or reviews written."""
    reason = reason.strip()
    if validity_or_confirm not in BULK_VALIDITY_CHOICES:
        raise StepError(_("Choose what to do with the documents."), "action")
    if not reason:
        raise StepError(_("Give the reason: it is recorded on every document."), "reason")
    if len(reason) > 300:
        raise StepError(_("The reason is longer than 300 characters."), "reason")
    if not documents:
        raise StepError(_("Choose at least one document."), "documents")
    if len(documents) > MAX_BULK_DOCUMENTS:
        raise StepError(_("Choose at most %(n)d documents at a time.")
                        % {"n": MAX_BULK_DOCUMENTS}, "documents")
    require_past(on, "on")
    written: list[Any] = []
    with transaction.atomic():
        # Read again under a lock, so that two clean-ups at once do not both change one
        # document on what each saw before the other.
        pks = sorted({d.pk for d in documents})
        list(InfoItem.objects.select_for_update().filter(pk__in=pks).order_by("pk")
             .values_list("pk", flat=True))
        locked = list(PolicyDocument.objects.filter(pk__in=pks).select_related("agency")
                      .order_by("pk"))
        for document in locked:
            try:
                if validity_or_confirm == CONFIRM_IN_FORCE:
                    written.append(_confirm_in_force(document, on, reason, actor, request))
                else:
                    written.append(record_validity_change(
                        document, on=on, validity=validity_or_confirm, note=reason,
                        actor=actor, request=request))
            except StepError as error:
                field = "on" if error.field == "changed_on" else "documents"
                raise StepError(_("%(document)s: %(reason)s") % {
                    "document": document.doc_no or document.title, "reason": error.message},
                    field) from error
        if validity_or_confirm != CONFIRM_IN_FORCE:
            # The public pages show the validity: their caches read changed_at.
            InfoItem.objects.filter(pk__in=pks).update(changed_at=timezone.now())
        agencies = {d.agency_id for d in locked}
        audit.record("catalog.validity_bulk", actor=actor, request=request,
                     agency=locked[0].agency if len(agencies) == 1 else None,
                     detail={"action": validity_or_confirm, "on": on.isoformat(),
                             "reason": reason, "documents": [d.index_no for d in locked]})
    return written
